//! What a build's packages and images hold through the command line: packages with their
//! files, those installed in an image, why one is there, the image's files; and two builds
//! compared.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::Scratch;

/// An event log of a build on another host whose image installed busybox (of `size` bytes)
/// and libc6, and `htop` too when `htop`.
fn event_log(s: &Scratch, name: &str, size: u64, htop: bool) -> PathBuf {
    let header = json!({"format": "toaster-events", "version": 1, "build": {"project": "demo",
        "host": "farm7", "build_dir": "/srv/farm7/build", "machine": "qemuarm64",
        "distro": "poky", "targets": ["core-image-minimal"], "layers": [],
        "started_at": 1_795_765_414_000_i64}});
    let mut installed = vec![
        json!({"name": "packagegroup-core-boot", "size": 0, "depends": [
            {"name": "busybox", "kind": "depends"}]}),
        json!({"name": "busybox", "size": size, "depends": [
            {"name": "libc6", "kind": "depends"}]}),
        json!({"name": "libc6", "size": 2000}),
    ];
    let mut packages = vec![
        json!({"event": "package", "name": "busybox", "version": "1.36.1-r0", "size": size,
            "recipe": "busybox", "depends": ["libc6"],
            "relations": {"rrecommends": ["busybox-syslog"]}}),
        json!({"event": "package", "name": "libc6", "version": "2.39-r0", "size": 2000,
            "recipe": "glibc", "depends": []}),
        json!({"event": "package_files", "package": "busybox", "files": [
            {"path": "/bin/busybox", "size": size}, {"path": "/etc/odd\nname", "size": 1}]}),
    ];
    if htop {
        packages.push(
            json!({"event": "package", "name": "htop", "version": "3.3-r0",
            "size": 90, "recipe": "htop", "depends": ["libc6"]}),
        );
        installed.push(json!({"name": "htop", "size": 90, "depends": [
            {"name": "libc6", "kind": "depends"}]}));
    }
    let mut lines = vec![header];
    lines.extend(packages);
    lines.push(
        json!({"event": "image_packages", "target": "core-image-minimal",
        "packages": installed}),
    );
    lines.push(
        json!({"event": "image_files", "target": "core-image-minimal", "files": [
        {"path": "/bin", "size": 0, "type": "dir", "mode": "drwxr-xr-x", "owner": "root",
            "group": "root"},
        {"path": "/bin/busybox", "size": size, "type": "file", "mode": "-rwxr-xr-x",
            "owner": "root", "group": "root"},
        {"path": "/bin/sh", "size": 7, "type": "symlink", "mode": "lrwxrwxrwx",
            "owner": "root", "group": "root", "link": "busybox"},
        {"path": "/lib/libc.so.6", "size": 2000, "type": "file", "mode": "-rwxr-xr-x",
            "owner": "root", "group": "root"}]}),
    );
    lines.push(json!({"event": "variable", "name": "IMAGE_INSTALL",
        "value": if htop { "busybox htop" } else { "busybox" }}));
    lines.push(json!({"event": "build_completed", "state": "succeeded",
        "at": 1_795_765_500_000_i64}));
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    let path = s.path().join(name);
    std::fs::write(&path, text.join("\n") + "\n").expect("write log");
    path
}

fn import(s: &Scratch, log: &Path) -> String {
    let imported = s.json(&["build", "import-events", log.to_str().expect("path")]);
    imported["build"]["id"].as_i64().expect("id").to_string()
}

#[test]
fn packages_images_and_why_a_package_is_installed() {
    let s = Scratch::new().with_demo();
    let id = import(&s, &event_log(&s, "a.jsonl", 600, false));

    let packages = s.json(&["build", "packages", &id]);
    assert_eq!(packages[0]["name"], "busybox");
    assert_eq!(packages[0]["relations"]["rrecommends"][0], "busybox-syslog");
    let table = s.ok(&["build", "packages", &id]);
    assert!(table.contains("FILES"), "{table}");

    let installed = s.json(&["build", "packages", &id, "--in-image", "core-image-minimal"]);
    assert_eq!(installed.as_array().expect("list").len(), 3);
    assert_eq!(installed[0]["depends"]["depends"][0], "libc6");

    let why = s.json(&[
        "build",
        "packages",
        &id,
        "--in-image",
        "core-image-minimal",
        "--why",
        "libc6",
    ]);
    assert_eq!(
        why,
        json!([
            {"package": "packagegroup-core-boot", "kind": null},
            {"package": "busybox", "kind": "depends"},
            {"package": "libc6", "kind": "depends"}
        ])
    );
    let text = s.ok(&[
        "build",
        "packages",
        &id,
        "--in-image",
        "core-image-minimal",
        "--why",
        "libc6",
    ]);
    assert!(text.contains("depends of busybox"), "{text}");
    let missing = s.fails(
        1,
        &[
            "build",
            "packages",
            &id,
            "--in-image",
            "core-image-minimal",
            "--why",
            "htop",
        ],
    );
    assert!(
        missing.contains("not installed") && missing.contains("--in-image core-image-minimal"),
        "{missing}"
    );
    let no_image = s.fails(
        1,
        &["build", "packages", &id, "--in-image", "core-image-sato"],
    );
    assert!(
        no_image.contains(&format!("toaster build files {id}")),
        "{no_image}"
    );

    let images = s.json(&["build", "files", &id]);
    assert_eq!(
        images,
        json!([{"target": "core-image-minimal", "packages": 3, "files": 4, "size": 2600}])
    );
    let under = s.json(&[
        "build",
        "files",
        &id,
        "core-image-minimal",
        "--under",
        "/bin",
    ]);
    assert_eq!(under["matched"], 3);
    assert_eq!(under["total_size"], 600);
    assert_eq!(under["files"][2]["link"], "busybox");
    let largest = s.json(&[
        "build",
        "files",
        &id,
        "core-image-minimal",
        "--largest",
        "1",
    ]);
    assert_eq!(largest["files"][0]["path"], "/lib/libc.so.6");
    let listing = s.ok(&["build", "files", &id, "core-image-minimal"]);
    assert!(listing.contains("/bin/sh -> busybox"), "{listing}");
}

#[test]
fn two_builds_compared() {
    let s = Scratch::new().with_demo();
    let a = import(&s, &event_log(&s, "a.jsonl", 600, false));
    let b = import(&s, &event_log(&s, "b.jsonl", 800, true));
    let c = s.json(&["build", "compare", &a, &b]);
    assert_eq!(
        c["variables"],
        json!([{"name": "IMAGE_INSTALL", "from": "busybox", "to": "busybox htop"}])
    );
    assert_eq!(c["packages"]["added"][0]["name"], "htop");
    assert_eq!(c["packages"]["changed"][0]["size_change"], 200);
    assert_eq!(c["packages"]["unchanged"], 1);
    assert_eq!(
        c["images"],
        json!([{"target": "core-image-minimal", "from": 2600, "to": 2800, "change": 200}])
    );
    let text = s.ok(&["build", "compare", &a, &b]);
    assert!(
        text.contains("1 added, 0 removed, 1 changed, 1 alike"),
        "{text}"
    );
    assert!(text.contains("600 -> 800 (+200)"), "{text}");
    let same = s.ok(&["build", "compare", &a, &a]);
    assert!(same.contains("no differences"), "{same}");
}
