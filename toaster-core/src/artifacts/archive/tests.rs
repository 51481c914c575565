use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;

const MIB: usize = 1 << 20;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bytes that deflate poorly (xorshift), so sizes stay honest.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn open(path: &Path) -> Result<ArchiveReader, ArchiveError> {
    ArchiveReader::open(path, &ArchiveLimits::default())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An archive of `entries` (name, content, deflated?) written with our writer.
fn archive(dir: &Path, file: &str, entries: &[(&str, &[u8], bool)]) -> PathBuf {
    let path = dir.join(file);
    let mut writer = ArchiveWriter::create(&path).unwrap();
    for (name, content, compress) in entries {
        writer.add_file(name, &mut &content[..], *compress).unwrap();
    }
    writer.finish().unwrap()
}

/// An archive written with the zip crate directly, for what our writer refuses to make.
fn raw_archive(dir: &Path, file: &str, build: impl FnOnce(&mut ZipWriter<File>)) -> PathBuf {
    let path = dir.join(file);
    let mut zip = ZipWriter::new(File::create(&path).unwrap());
    build(&mut zip);
    zip.finish().unwrap();
    path
}

fn small(zip: &mut ZipWriter<File>, name: &str, content: &[u8]) {
    zip.start_file(name, SimpleFileOptions::default()).unwrap();
    zip.write_all(content).unwrap();
}

/// Replaces every occurrence of `from` (local and central headers alike) by `to`.
fn patch_all(path: &Path, from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let mut bytes = fs::read(path).unwrap();
    let mut hits = 0;
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], from) {
        bytes[at + i..at + i + to.len()].copy_from_slice(to);
        at += i + to.len();
        hits += 1;
    }
    assert!(hits >= 2, "{from:?} found {hits} times");
    fs::write(path, bytes).unwrap();
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Offset of the local (`PK\3\4`, name at 30) or central (`PK\1\2`, name at 46) header of
/// entry `name`.
fn header(bytes: &[u8], name: &str, central: bool) -> usize {
    let (signature, name_at) = if central {
        (b"PK\x01\x02", 46)
    } else {
        (b"PK\x03\x04", 30)
    };
    (0..bytes.len() - name_at)
        .find(|&i| {
            &bytes[i..i + 4] == signature && bytes[i + name_at..].starts_with(name.as_bytes())
        })
        .unwrap()
}

fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

/// Reads `reader` to its end or first error, telling how many bytes came out first.
fn drain(reader: &mut EntryReader<'_>) -> (u64, Option<ArchiveError>) {
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return (total, None),
            Ok(n) => total += n as u64,
            Err(e) => return (total, Some(reader.error(e))),
        }
    }
}

// ---- writing and reading back ----

#[test]
fn what_is_written_reads_back_with_its_sizes_and_checksums() {
    let dir = temp();
    let path = dir.path().join("build-1.zip");
    let json = serde_json::json!({"build": 1, "targets": ["core-image-minimal"], "ok": true});
    let log = b"NOTE: Running task 1 of 2 (do_fetch)\nNOTE: Tasks Summary: all succeeded\n";
    let image = noise(3 * MIB + 17, 7);
    let text: Vec<u8> = b"DEBUG: sstate hit\n".repeat(50_000);

    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_json("build.json", &json).unwrap();
    writer.add_bytes("logs/cooker.log", log).unwrap();
    let stored = writer
        .add_file("images/core.img", &mut Cursor::new(&image), false)
        .unwrap();
    let deflated = writer
        .add_file("logs/debug.log", &mut &text[..], true)
        .unwrap();
    assert_eq!(writer.finish().unwrap(), path);

    assert_eq!(stored.size, image.len() as u64);
    assert_eq!(stored.sha256, sha256(&image));
    assert_eq!(deflated.size, text.len() as u64);
    assert_eq!(deflated.sha256, sha256(&text));

    let mut reader = open(&path).unwrap();
    assert_eq!(
        reader.names().collect::<Vec<_>>(),
        [
            "build.json",
            "logs/cooker.log",
            "images/core.img",
            "logs/debug.log"
        ]
    );
    assert!(reader.contains("images/core.img"));
    assert!(!reader.contains("images/other.img"));
    let back: serde_json::Value = reader.read_json("build.json").unwrap();
    assert_eq!(back, json);
    assert_eq!(reader.read_bytes("logs/cooker.log", 1024).unwrap(), log);
    let mut copy = Vec::new();
    assert_eq!(
        reader.copy_entry("images/core.img", &mut copy).unwrap(),
        stored
    );
    assert_eq!(copy, image);
    let mut entry = reader.open_entry("logs/debug.log").unwrap();
    assert_eq!(entry.size(), text.len() as u64);
    let mut out = Vec::new();
    entry.read_to_end(&mut out).unwrap();
    assert_eq!(out, text);

    // Images are stored as they are; the rest deflated.
    let mut zip = ZipArchive::new(File::open(&path).unwrap()).unwrap();
    let image_entry = zip.by_name("images/core.img").unwrap();
    assert_eq!(image_entry.compression(), CompressionMethod::Stored);
    assert_eq!(image_entry.compressed_size(), image.len() as u64);
    drop(image_entry);
    assert_eq!(
        zip.by_name("logs/debug.log").unwrap().compression(),
        CompressionMethod::Deflated
    );
}

#[test]
fn the_final_name_appears_only_at_finish_and_a_dropped_writer_leaves_nothing() {
    let dir = temp();
    let path = dir.path().join("a.zip");
    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("x.txt", b"x").unwrap();
    assert!(!path.exists());
    let present = files_in(dir.path());
    assert_eq!(present.len(), 1);
    assert!(present[0].starts_with(".a.zip.") && present[0].ends_with(".partial"));
    drop(writer);
    assert!(files_in(dir.path()).is_empty());

    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("x.txt", b"x").unwrap();
    writer.finish().unwrap();
    assert_eq!(files_in(dir.path()), ["a.zip"]);
}

#[test]
fn an_existing_file_is_never_replaced() {
    let dir = temp();
    let path = dir.path().join("a.zip");
    fs::write(&path, "mine").unwrap();
    let err = ArchiveWriter::create(&path).unwrap_err();
    assert!(matches!(err, ArchiveError::AlreadyExists { .. }), "{err}");
    fs::remove_file(&path).unwrap();

    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("x.txt", b"x").unwrap();
    fs::write(&path, "appeared meanwhile").unwrap();
    let err = writer.finish().unwrap_err();
    assert!(matches!(err, ArchiveError::AlreadyExists { .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "appeared meanwhile");
    assert_eq!(files_in(dir.path()), ["a.zip"]);
}

#[test]
fn a_path_without_a_file_name_is_refused() {
    let err = ArchiveWriter::create(Path::new("/")).unwrap_err();
    assert!(matches!(err, ArchiveError::NoFileName { .. }), "{err}");
}

#[test]
fn the_writer_refuses_names_its_reader_would_refuse() {
    let dir = temp();
    let path = dir.path().join("a.zip");
    let mut writer = ArchiveWriter::create(&path).unwrap();
    for name in ["../x", "/etc/passwd", "a\\b", "a//b", "dir/", "", "a\u{7}b"] {
        let err = writer.add_bytes(name, b"x").unwrap_err();
        assert!(
            matches!(err, ArchiveError::UnsafeName { .. }),
            "{name:?}: {err}"
        );
        assert!(err.hint().is_some());
    }
    writer.add_bytes("logs/a.txt", b"x").unwrap();
    for name in ["logs/a.txt", "LOGS/A.TXT"] {
        let err = writer.add_bytes(name, b"y").unwrap_err();
        assert!(
            matches!(err, ArchiveError::Duplicate { .. }),
            "{name:?}: {err}"
        );
    }
    // Refused names leave the archive as it was.
    writer.finish().unwrap();
    assert_eq!(
        open(&path).unwrap().names().collect::<Vec<_>>(),
        ["logs/a.txt"]
    );
}

/// A reader that gives some bytes, then fails.
struct Failing(usize);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0 == 0 {
            return Err(io::Error::other("the disk under the source went away"));
        }
        let n = buf.len().min(self.0);
        buf[..n].fill(b'z');
        self.0 -= n;
        Ok(n)
    }
}

#[test]
fn content_that_fails_is_left_out_and_the_archive_goes_on() {
    let dir = temp();
    let path = dir.path().join("a.zip");
    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("first.txt", b"first").unwrap();
    let err = writer
        .add_file("broken.bin", &mut Failing(2 * MIB), true)
        .unwrap_err();
    assert!(matches!(err, ArchiveError::Source { .. }), "{err}");
    let mut odd = HashMap::new();
    odd.insert((1, 2), 3);
    let err = writer.add_json("odd.json", &odd).unwrap_err();
    assert!(matches!(err, ArchiveError::Unserializable { .. }), "{err}");
    // The names of the left-out entries are free again.
    writer.add_bytes("broken.bin", b"fixed").unwrap();
    writer.add_bytes("last.txt", b"last").unwrap();
    writer.finish().unwrap();

    let mut reader = open(&path).unwrap();
    assert_eq!(
        reader.names().collect::<Vec<_>>(),
        ["first.txt", "broken.bin", "last.txt"]
    );
    assert_eq!(reader.read_bytes("broken.bin", 100).unwrap(), b"fixed");
    assert_eq!(reader.read_bytes("last.txt", 100).unwrap(), b"last");
}

#[test]
fn a_writer_is_send() {
    fn send<T: Send>() {}
    send::<ArchiveWriter>();
    send::<ArchiveReader>();
}

// ---- the reader's own errors ----

#[test]
fn missing_entries_bad_json_and_oversized_reads_are_named() {
    let dir = temp();
    let path = archive(
        dir.path(),
        "a.zip",
        &[
            ("x.json", b"{not json", true),
            ("big.bin", &[0u8; 4096], true),
        ],
    );
    let mut reader = open(&path).unwrap();
    let err = reader.read_bytes("nope", 10).unwrap_err();
    assert!(matches!(err, ArchiveError::NotFound { .. }), "{err}");
    let err = reader.read_json::<serde_json::Value>("x.json").unwrap_err();
    assert!(matches!(err, ArchiveError::Malformed { .. }), "{err}");
    let err = reader.read_bytes("big.bin", 4095).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::EntryTooLarge {
                size: 4096,
                limit: 4095,
                ..
            }
        ),
        "{err}"
    );
}

// ---- hostile archives ----

#[test]
fn a_cut_archive_or_another_file_is_unreadable() {
    let dir = temp();
    let path = archive(dir.path(), "a.zip", &[("a.bin", &noise(MIB, 3), true)]);
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = open(&path).unwrap_err();
    assert!(matches!(err, ArchiveError::Unreadable { .. }), "{err}");
    assert_eq!(
        err.hint().as_deref(),
        Some("the file is not a whole Toaster archive: copy it again")
    );

    let text = dir.path().join("notes.txt");
    fs::write(&text, "not a zip at all").unwrap();
    let err = open(&text).unwrap_err();
    assert!(matches!(err, ArchiveError::Unreadable { .. }), "{err}");

    let err = open(&dir.path().join("missing.zip")).unwrap_err();
    assert!(matches!(err, ArchiveError::Io { .. }), "{err}");
}

#[test]
fn unsafe_names_are_refused() {
    let dir = temp();
    let long_from = format!("d/{}", "n".repeat(1024));
    let long_to = format!("d/{}", "N".repeat(1024));
    // (name written, the same length patched in, the reason)
    let cases: [(&[u8], &[u8], &str); 9] = [
        (b"x/evil.txt", b"../evil.tx", "has a `..` part"),
        (b"Xetc/passwd", b"/etc/passwd", "is absolute"),
        (b"ab/c.txt", b"a\\b/c.tx", "has a backslash"),
        (b"aab.txt", b"a\0b.txt", "has a NUL or control character"),
        (b"aab.txt", b"a\x1bb.txt", "has a NUL or control character"),
        (b"ab/c.txt", b"a//c.txt", "has an empty part"),
        (b"C_/x.txt", b"C:/x.txt", "starts with a drive letter"),
        (b"abc.txt", b"a\xffc.txt", "is not UTF-8"),
        (
            long_from.as_bytes(),
            long_to.as_bytes(),
            "is longer than 1024 bytes",
        ),
    ];
    for (i, (from, to, reason)) in cases.into_iter().enumerate() {
        let name = String::from_utf8(from.to_vec()).unwrap();
        let path = raw_archive(dir.path(), &format!("{i}.zip"), |zip| {
            small(zip, "fine.txt", b"fine");
            small(zip, &name, b"payload");
        });
        patch_all(&path, from, to);
        let err = open(&path).unwrap_err();
        assert!(
            matches!(&err, ArchiveError::UnsafeName { reason: r, .. } if *r == reason),
            "{name:?} patched to {to:?}: {err}"
        );
    }
}

#[test]
fn links_and_special_files_are_refused() {
    let dir = temp();
    let link = raw_archive(dir.path(), "link.zip", |zip| {
        small(zip, "fine.txt", b"fine");
        zip.add_symlink("passwd", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
    });
    let err = open(&link).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::NotAFile { name, .. } if name == "passwd"),
        "{err}"
    );

    let fifo = raw_archive(dir.path(), "fifo.zip", |zip| {
        let options = SimpleFileOptions::default().external_attributes(0o010_644 << 16);
        zip.start_file("pipe", options).unwrap();
    });
    let err = open(&fifo).unwrap_err();
    assert!(matches!(err, ArchiveError::NotAFile { .. }), "{err}");
}

#[test]
fn duplicate_names_are_refused_exactly_ignoring_case_and_a_trailing_slash() {
    let dir = temp();
    let exact = raw_archive(dir.path(), "exact.zip", |zip| {
        small(zip, "a.txt", b"first");
        small(zip, "b.txt", b"second");
    });
    patch_all(&exact, b"b.txt", b"a.txt");
    let err = open(&exact).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Duplicate { name, .. } if name == "a.txt"),
        "{err}"
    );

    let case = raw_archive(dir.path(), "case.zip", |zip| {
        small(zip, "logs/A.txt", b"first");
        small(zip, "logs/a.txt", b"second");
    });
    let err = open(&case).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Duplicate { name, .. } if name == "logs/a.txt"),
        "{err}"
    );

    let slash = raw_archive(dir.path(), "slash.zip", |zip| {
        small(zip, "x", b"a file");
        zip.add_directory("x/", SimpleFileOptions::default())
            .unwrap();
    });
    let err = open(&slash).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Duplicate { name, .. } if name == "x/"),
        "{err}"
    );
}

#[test]
fn directories_are_accepted() {
    let dir = temp();
    let path = raw_archive(dir.path(), "dirs.zip", |zip| {
        zip.add_directory("logs/", SimpleFileOptions::default())
            .unwrap();
        small(zip, "logs/a.txt", b"a");
    });
    let mut reader = open(&path).unwrap();
    assert_eq!(reader.names().collect::<Vec<_>>(), ["logs/", "logs/a.txt"]);
    assert_eq!(reader.read_bytes("logs/", 0).unwrap(), b"");
}

#[test]
fn encrypted_entries_are_refused() {
    let dir = temp();
    let path = archive(dir.path(), "a.zip", &[("secret.txt", b"secret", true)]);
    let mut bytes = fs::read(&path).unwrap();
    let local = header(&bytes, "secret.txt", false);
    let central = header(&bytes, "secret.txt", true);
    bytes[local + 6] |= 1;
    bytes[central + 8] |= 1;
    fs::write(&path, bytes).unwrap();
    let err = open(&path).unwrap_err();
    assert!(matches!(err, ArchiveError::Encrypted { .. }), "{err}");
}

#[test]
fn other_compression_methods_are_refused() {
    let dir = temp();
    let path = archive(dir.path(), "a.zip", &[("a.txt", b"aaaa", true)]);
    let mut bytes = fs::read(&path).unwrap();
    let local = header(&bytes, "a.txt", false);
    let central = header(&bytes, "a.txt", true);
    put_u16(&mut bytes, local + 8, 12); // bzip2
    put_u16(&mut bytes, central + 10, 12);
    fs::write(&path, bytes).unwrap();
    let err = open(&path).unwrap_err();
    assert!(
        matches!(err, ArchiveError::UnsupportedMethod { .. }),
        "{err}"
    );
}

#[test]
fn a_zip_bomb_is_refused_by_its_ratio() {
    let dir = temp();
    let zeros = vec![0u8; 50 * MIB];
    let path = archive(
        dir.path(),
        "bomb.zip",
        &[
            ("small.txt", &[0u8; 100_000], true),
            ("zeros.bin", &zeros, true),
        ],
    );
    let limits = ArchiveLimits {
        max_ratio: 100,
        ..ArchiveLimits::default()
    };
    let err = ArchiveReader::open(&path, &limits).unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Bomb { name, ratio, limit: 100, .. } if name == "zeros.bin" && *ratio > 100),
        "{err}"
    );
    // Small entries compress as well as they like (the 100 KB of zeros above), and with a
    // ratio limit above this one's, the archive opens.
    let limits = ArchiveLimits {
        max_ratio: 100_000,
        ..ArchiveLimits::default()
    };
    assert!(ArchiveReader::open(&path, &limits).is_ok());
}

#[test]
fn an_entry_lying_about_its_size_stops_at_the_declared_size() {
    let dir = temp();
    let content = b"a line of a log that repeats\n".repeat(70_000); // ~2 MiB
    let declared = MIB as u32;
    let path = dir.path().join("liar.zip");
    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("log.txt", &content).unwrap();
    writer.finish().unwrap();
    let mut bytes = fs::read(&path).unwrap();
    let local = header(&bytes, "log.txt", false);
    let central = header(&bytes, "log.txt", true);
    put_u32(&mut bytes, local + 22, declared);
    put_u32(&mut bytes, central + 24, declared);
    fs::write(&path, bytes).unwrap();

    let limits = ArchiveLimits {
        max_ratio: 100_000,
        ..ArchiveLimits::default()
    };
    let mut reader = ArchiveReader::open(&path, &limits).unwrap();
    let mut entry = reader.open_entry("log.txt").unwrap();
    let (delivered, err) = drain(&mut entry);
    assert!(
        delivered <= u64::from(declared),
        "{delivered} bytes came out"
    );
    let err = err.unwrap();
    assert!(
        matches!(err, ArchiveError::Overrun { declared: d, .. } if d == u64::from(declared)),
        "{err}"
    );
    drop(entry);

    let err = reader.copy_entry("log.txt", &mut io::sink()).unwrap_err();
    assert!(matches!(err, ArchiveError::Overrun { .. }), "{err}");
    let err = reader.read_bytes("log.txt", u64::MAX).unwrap_err();
    assert!(matches!(err, ArchiveError::Overrun { .. }), "{err}");
}

#[test]
fn a_damaged_entry_fails_its_crc_check_by_name() {
    let dir = temp();
    let mut content = noise(MIB, 11);
    content[1000..1016].copy_from_slice(b"MARKER-0123456789"[..16].as_ref());
    let path = archive(dir.path(), "a.zip", &[("images/x.img", &content, false)]);
    let mut bytes = fs::read(&path).unwrap();
    let at = find(&bytes, b"MARKER-012345678").unwrap();
    bytes[at] ^= 0xff;
    fs::write(&path, bytes).unwrap();

    let mut reader = open(&path).unwrap();
    let err = reader
        .copy_entry("images/x.img", &mut io::sink())
        .unwrap_err();
    assert!(
        matches!(&err, ArchiveError::Corrupt { name, reason, .. } if name == "images/x.img" && reason.contains("CRC")),
        "{err}"
    );
}

#[test]
fn headers_that_disagree_are_refused() {
    let dir = temp();
    let path = archive(dir.path(), "a.zip", &[("a.txt", b"some text", true)]);
    let mut bytes = fs::read(&path).unwrap();
    let central = header(&bytes, "a.txt", true);
    put_u32(&mut bytes, central + 24, 5);
    fs::write(&path, bytes).unwrap();
    let err = open(&path).unwrap_err();
    assert!(matches!(err, ArchiveError::Inconsistent { .. }), "{err}");
}

#[test]
fn too_many_entries_are_refused() {
    let dir = temp();
    let path = raw_archive(dir.path(), "many.zip", |zip| {
        for i in 0..11 {
            small(zip, &format!("{i}.txt"), b"x");
        }
    });
    let limits = ArchiveLimits {
        max_entries: 10,
        ..ArchiveLimits::default()
    };
    let err = ArchiveReader::open(&path, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::TooManyEntries {
                count: 11,
                limit: 10,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        ArchiveReader::open(
            &path,
            &ArchiveLimits {
                max_entries: 11,
                ..limits
            }
        )
        .is_ok()
    );
}

#[test]
fn too_much_in_total_is_refused() {
    let dir = temp();
    let block = noise(1000, 5);
    let path = archive(
        dir.path(),
        "large.zip",
        &[
            ("a", &block, true),
            ("b", &block, true),
            ("c", &block, true),
        ],
    );
    let limits = ArchiveLimits {
        max_total_bytes: 2500,
        ..ArchiveLimits::default()
    };
    let err = ArchiveReader::open(&path, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::TooLarge {
                total: 3000,
                limit: 2500,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_long_final_name_still_gets_a_temporary_file() {
    let dir = temp();
    let path = dir.path().join(format!("{}.zip", "é".repeat(120)));
    let mut writer = ArchiveWriter::create(&path).unwrap();
    writer.add_bytes("x.txt", b"x").unwrap();
    assert_eq!(writer.finish().unwrap(), path);
    assert!(path.exists());
}
