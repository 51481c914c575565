//! Where a command is pointed: only `owner add` starts a database; every other command
//! refuses what is not a Toaster database and writes nothing, not even a journal beside
//! it; a database this user may not write (or not write beside) is read, leaving nothing
//! behind, and changes to it are refused saying why; and a project directory Toaster
//! cannot store is a user error.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use super::{BIN, Scratch};

/// The journal and WAL files SQLite keeps beside `path` that exist now.
fn companions(path: &Path) -> Vec<PathBuf> {
    ["-journal", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = OsString::from(path.as_os_str());
            name.push(suffix);
            PathBuf::from(name)
        })
        .filter(|p| p.exists())
        .collect()
}

/// Commands that only read.
const READS: [&[&str]; 5] = [
    &["project", "list"],
    &["owner", "list"],
    &["audit"],
    &["build", "list"],
    &["--as", "alice", "config", "show", "demo"],
];

#[test]
fn reads_refuse_an_empty_file_and_leave_it_empty() {
    let s = Scratch::new();
    fs::write(s.db(), b"").expect("write");
    for args in READS {
        let err = s.fails(1, args);
        assert!(
            err.contains("is empty") && err.contains("toaster owner add NAME"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(fs::metadata(s.db()).expect("stat").len(), 0);
    assert_eq!(companions(&s.db()), Vec::<PathBuf>::new());
}

#[test]
fn owner_add_starts_a_database_in_an_empty_file() {
    let s = Scratch::new();
    fs::write(s.db(), b"").expect("write");
    let out = s.run(&["owner", "add", "alice"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("created the database"), "{stderr}");
    s.ok(&["project", "list"]);
}

#[test]
fn reads_refuse_a_text_file_and_leave_it_byte_for_byte() {
    let s = Scratch::new();
    fs::write(s.db(), "hello\n").expect("write");
    for args in READS {
        let err = s.fails(1, args);
        assert!(err.contains("is not a Toaster database"), "{args:?}: {err}");
    }
    assert_eq!(fs::read_to_string(s.db()).expect("read"), "hello\n");
    assert_eq!(companions(&s.db()), Vec::<PathBuf>::new());
}

#[test]
fn a_device_is_refused_and_nothing_is_made_beside_it() {
    let device = Path::new("/dev/null");
    if !device.exists() {
        return;
    }
    let there_before = companions(device);
    let s = Scratch::new();
    let link = s.path().join("linked.sqlite");
    std::os::unix::fs::symlink(device, &link).expect("symlink");
    let link = link.to_str().expect("path");
    for args in [
        &["--db", "/dev/null", "project", "list"][..],
        &["--db", link, "owner", "list"][..],
        &["--db", "/dev/null", "owner", "add", "alice"][..],
    ] {
        let err = s.fails(1, args);
        assert!(
            err.contains("is not a Toaster database: it is a character device")
                && err.contains("hint:"),
            "{args:?}: {err}"
        );
    }
    let out = s
        .command(&["project", "list"])
        .env("TOASTER_DB", "/dev/null")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        companions(device),
        there_before,
        "nothing made beside /dev/null"
    );
}

/// Runs `toaster` as a user who may not write something this user made read-only: this
/// user, or, when this user may write it anyway (root), `nobody` through `setpriv`.
struct Reader {
    wrapper: Option<[&'static str; 4]>,
}

impl Reader {
    /// A reader, given whether this user may still write what was made read-only; `None`
    /// when that is so and `setpriv` is missing.
    fn new(this_user_may_write: bool) -> Option<Reader> {
        if !this_user_may_write {
            return Some(Reader { wrapper: None });
        }
        let setpriv = Command::new("setpriv").arg("--version").output();
        if !setpriv.is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: running as root without setpriv to drop privileges");
            return None;
        }
        Some(Reader {
            wrapper: Some([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]),
        })
    }

    /// A reader who may not write in `dir` (read-only by now).
    fn for_dir(dir: &Path) -> Option<Reader> {
        let probe = dir.join("probe");
        let may_write = fs::write(&probe, b"").is_ok();
        if may_write {
            fs::remove_file(&probe).expect("remove probe");
        }
        Reader::new(may_write)
    }

    /// A reader who may not write `file` (read-only by now).
    fn for_file(file: &Path) -> Option<Reader> {
        Reader::new(fs::OpenOptions::new().write(true).open(file).is_ok())
    }

    fn run(&self, s: &Scratch, args: &[&str]) -> Output {
        let mut command = match &self.wrapper {
            Some([program, args @ ..]) => {
                let mut command = Command::new(program);
                command.args(args).arg(BIN);
                command
            }
            None => Command::new(BIN),
        };
        command
            .args(args)
            .current_dir(s.path())
            .env_remove("TOASTER_DB")
            .env_remove("TOASTER_OWNER")
            .env("TOASTER_CLIENT", "cli:tester@testhost")
            .output()
            .expect("run toaster")
    }

    /// Runs a command that must succeed; returns its standard output.
    fn ok(&self, s: &Scratch, args: &[&str]) -> String {
        let out = self.run(s, args);
        assert!(
            out.status.success(),
            "toaster {args:?}: {} {:?}",
            String::from_utf8_lossy(&out.stderr),
            std::thread::current().name()
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs a change that must be refused as the database is read-only.
    fn refused(&self, s: &Scratch, args: &[&str]) {
        let out = self.run(s, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("is read-only for this user; nothing was changed")
                && err.contains("hint: ask its owner for write access"),
            "{args:?}: {err}"
        );
    }
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Waits until `path` exists (a process has opened the database), or `child` has ended.
fn wait_for(path: &Path, child: &mut Child) {
    while !path.exists() {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the runner ended ({status}) before it opened the database");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_database_in_a_read_only_directory_is_read() {
    let s = Scratch::new();
    let dir = s.path().join("ro");
    fs::create_dir(&dir).expect("mkdir");
    let db = dir.join("toaster.sqlite");
    let db_arg = db.to_str().expect("path");
    s.ok(&["--db", db_arg, "owner", "add", "alice"]);
    s.ok(&["--db", db_arg, "project", "create", "demo", "--dir", "demo"]);
    assert_eq!(companions(&db), Vec::<PathBuf>::new(), "closed cleanly");
    set_mode(s.path(), 0o755);
    set_mode(&dir, 0o555);
    let Some(reader) = Reader::for_dir(&dir) else {
        set_mode(&dir, 0o755);
        return;
    };
    let list = ["--db", db_arg, "project", "list"];
    let change = ["--db", db_arg, "group", "add", "devs"];

    // No process has it open (no -wal file): read as it is, nothing made beside it.
    assert!(reader.ok(&s, &list).contains("demo"));
    reader.refused(&s, &change);
    assert_eq!(fs::read_dir(&dir).expect("ls").count(), 1, "nothing made");

    // A process that may write there has it open: read through its -wal and -shm files.
    set_mode(&dir, 0o755);
    let mut runner = Command::new(BIN)
        .args(["--db", db_arg, "runner"])
        .current_dir(s.path())
        .env("TOASTER_CLIENT", "cli:tester@testhost")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a runner");
    let mut shm = OsString::from(db.as_os_str());
    shm.push("-shm");
    wait_for(Path::new(&shm), &mut runner);
    // A reader who may not write the -shm file cannot finish setting it up: wait until a
    // read by this user, who can, has seen it set up.
    s.ok(&list);
    set_mode(&dir, 0o555);
    assert!(reader.ok(&s, &list).contains("demo"));

    // It ended without closing the database, leaving them: still read through them.
    runner.kill().expect("kill the runner");
    runner.wait().expect("wait");
    assert!(reader.ok(&s, &list).contains("demo"));
    set_mode(&dir, 0o755);
}

#[test]
fn a_reader_who_may_not_write_the_database_leaves_nothing_beside_it() {
    let s = Scratch::new().with_demo();
    set_mode(s.path(), 0o777);
    set_mode(&s.db(), 0o444);
    let Some(reader) = Reader::for_file(&s.db()) else {
        return;
    };
    // SQLite would make -wal and -shm files owned by this reader, which its owner could
    // not write: the owner's changes would fail from then on.
    assert!(reader.ok(&s, &["project", "list"]).contains("demo"));
    reader.refused(&s, &["group", "add", "devs"]);
    assert_eq!(companions(&s.db()), Vec::<PathBuf>::new());
    set_mode(&s.db(), 0o644);
    set_mode(s.path(), 0o755);
    s.ok(&["group", "add", "devs"]);
}

#[test]
fn a_project_directory_that_is_not_utf8_is_a_user_error() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    let dir = OsStr::from_bytes(b"odd-\xff-dir");
    let out = s
        .command(&["project", "create", "odd", "--dir"])
        .arg(dir)
        .output()
        .expect("run");
    let err = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("invalid project directory") && err.contains("not UTF-8"),
        "{err}"
    );
    assert!(!s.path().join(dir).exists(), "no directory was made");
    assert_eq!(s.state(), before);
}
