//! Package files and image contents through the facade, recorded from event lines as the
//! recorder in BitBake writes them: why a package is in an image, file listings queried,
//! unknown images and packages named with a hint; and two builds compared.

use super::build_tests::Fixture;
use crate::ErrorKind;
use crate::ingest::{BatchPolicy, parse_lines};
use crate::model::{Build, FileQuery, ImageDependencyKind, LogLevel, WhyHop};

/// Records `lines` (event lines) into a new build of `f` and returns it.
fn recorded(f: &Fixture, lines: &[serde_json::Value]) -> Build {
    let build = f.start();
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    for event in parse_lines(&text.join("\n")).unwrap() {
        recorder.record(event).unwrap();
    }
    recorder.flush().unwrap();
    build
}

fn image_lines(busybox_size: u64, extra: bool) -> Vec<serde_json::Value> {
    use serde_json::json;
    let mut lines = vec![
        json!({"event": "package", "name": "busybox", "version": "1.36.1-r0",
            "size": busybox_size, "recipe": "busybox", "depends": ["libc6"],
            "relations": {"rrecommends": ["busybox-syslog"], "rprovides": ["sh"]}}),
        json!({"event": "package", "name": "libc6", "version": "2.39-r0", "size": 2000,
            "recipe": "glibc", "depends": []}),
        json!({"event": "package_files", "package": "busybox", "files": [
            {"path": "/bin/busybox", "size": busybox_size},
            {"path": "/bin/busybox", "size": 1},
            {"path": "/etc/busybox.links\nodd", "size": 3}]}),
        json!({"event": "image_packages", "target": "core-image-minimal", "packages": [
            {"name": "packagegroup-core-boot", "size": 0, "depends": [
                {"name": "busybox", "kind": "depends"}, {"name": "base-files", "kind": "depends"}]},
            {"name": "busybox", "size": busybox_size, "depends": [
                {"name": "libc6", "kind": "depends"},
                {"name": "busybox-syslog", "kind": "recommends"}]},
            {"name": "busybox-syslog", "size": 10, "depends": [
                {"name": "busybox", "kind": "depends"}]},
            {"name": "base-files", "size": 5, "depends": []},
            {"name": "libc6", "size": 2000, "depends": []}]}),
        json!({"event": "image_files", "target": "core-image-minimal", "files": [
            {"path": "/bin", "size": 0, "type": "dir", "mode": "drwxr-xr-x",
                "owner": "root", "group": "root"},
            {"path": "/bin/busybox", "size": busybox_size, "type": "file",
                "mode": "-rwxr-xr-x", "owner": "root", "group": "root"},
            {"path": "/bin/sh", "size": 7, "type": "symlink", "mode": "lrwxrwxrwx",
                "owner": "root", "group": "root", "link": "busybox"},
            {"path": "/lib/libc.so.6", "size": 2000, "type": "file", "mode": "-rwxr-xr-x",
                "owner": "root", "group": "root"},
            {"path": "/binary", "size": 1, "type": "file", "mode": "-rw-r--r--",
                "owner": "root", "group": "root"}]}),
    ];
    if extra {
        lines.push(
            json!({"event": "package", "name": "htop", "version": "3.3-r0",
            "size": 90, "recipe": "htop", "depends": []}),
        );
    }
    lines
}

#[test]
fn why_a_package_is_in_an_image_and_what_the_image_holds() {
    let f = Fixture::new();
    let build = recorded(&f, &image_lines(600, false));
    let a = &f.alice;

    let packages = a.packages(build.id).unwrap();
    assert_eq!(packages[0].relations.len(), 2, "{packages:?}");
    let files = a.package_files(build.id, "busybox").unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["/bin/busybox", "/etc/busybox.links\nodd"]);
    assert_eq!(
        files[0].size, 600,
        "a file listed twice keeps its first size"
    );
    assert!(a.package_files(build.id, "libc6").unwrap().is_empty());
    let e = a.package_files(build.id, "zlib").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.hint().unwrap().contains("toaster build packages"),
        "{e}: {:?}",
        e.hint()
    );
    let counts = a.package_file_counts(build.id).unwrap();
    assert_eq!(counts.get("busybox"), Some(&2));
    let warned = a.log_messages(build.id, LogLevel::Warning).unwrap();
    assert!(
        warned.iter().any(|l| l.text.contains("more than once")),
        "{warned:?}"
    );

    let installed = a.image_packages(build.id, "core-image-minimal").unwrap();
    assert_eq!(installed.len(), 5);
    let why = |p| a.package_why(build.id, "core-image-minimal", p).unwrap();
    assert_eq!(
        why("libc6"),
        [
            WhyHop {
                package: "packagegroup-core-boot".into(),
                kind: None
            },
            WhyHop {
                package: "busybox".into(),
                kind: Some(ImageDependencyKind::Depends)
            },
            WhyHop {
                package: "libc6".into(),
                kind: Some(ImageDependencyKind::Depends)
            },
        ]
    );
    // busybox-syslog and busybox need each other; the chain still starts at the root.
    assert_eq!(
        why("busybox-syslog")[2].kind,
        Some(ImageDependencyKind::Recommends)
    );
    assert_eq!(why("packagegroup-core-boot").len(), 1);
    let e = a
        .package_why(build.id, "core-image-minimal", "htop")
        .unwrap_err();
    assert!(
        e.hint().unwrap().contains("--in-image core-image-minimal"),
        "{e}"
    );
    let e = a.image_packages(build.id, "core-image-sato").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.hint().unwrap().contains("toaster build files"), "{e}");

    let all = a
        .image_files(build.id, "core-image-minimal", &FileQuery::default())
        .unwrap();
    assert_eq!((all.matched, all.total_size), (5, 2601));
    let bin = FileQuery {
        under: Some("/bin/".into()),
        largest: None,
    };
    let under = a.image_files(build.id, "core-image-minimal", &bin).unwrap();
    let paths: Vec<&str> = under.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["/bin", "/bin/busybox", "/bin/sh"], "not /binary");
    assert_eq!(under.total_size, 600);
    let largest = FileQuery {
        under: None,
        largest: Some(2),
    };
    let top = a
        .image_files(build.id, "core-image-minimal", &largest)
        .unwrap();
    let paths: Vec<&str> = top.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["/lib/libc.so.6", "/bin/busybox"]);
    assert_eq!(top.matched, 5);
    let images = a.images(build.id).unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(
        (images[0].packages, images[0].files, images[0].size),
        (5, 5, 2601)
    );
}

#[test]
fn two_builds_compare_by_variables_packages_and_image_size() {
    let f = Fixture::new();
    let mut first = image_lines(600, false);
    first.push(
        serde_json::json!({"event": "variable", "name": "IMAGE_INSTALL",
        "value": "busybox"}),
    );
    let mut second = image_lines(800, true);
    second.push(
        serde_json::json!({"event": "variable", "name": "IMAGE_INSTALL",
        "value": "busybox htop"}),
    );
    let (a, b) = (recorded(&f, &first), recorded(&f, &second));
    let c = f.alice.compare_builds(a.id, b.id).unwrap();
    assert_eq!(c.variables.len(), 1);
    assert_eq!(c.variables[0].to.as_deref(), Some("busybox htop"));
    let added: Vec<&str> = c.packages_added.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(added, ["htop"]);
    assert!(c.packages_removed.is_empty());
    assert_eq!(c.packages_changed.len(), 1);
    assert_eq!(
        (
            c.packages_changed[0].from.size,
            c.packages_changed[0].to.size
        ),
        (600, 800)
    );
    assert_eq!(c.packages_unchanged, 1);
    assert_eq!(c.images.len(), 1);
    assert_eq!((c.images[0].from, c.images[0].to), (Some(2601), Some(2801)));
    assert!(c.settings.is_empty() && c.layers.is_empty(), "{c:?}");
    assert!(f.alice.compare_builds(a.id, a.id).unwrap().is_empty());
}
