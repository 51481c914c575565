//! Entry names: the one rule for what a safe name is, shared by the writer and the reader, and
//! the duplicate check (exact, and ignoring case and a trailing `/`).

use std::collections::HashSet;

/// The longest entry name accepted, in bytes.
pub const MAX_NAME_BYTES: usize = 1024;

/// Why `name` is not a safe entry name, or `None` when it is.
///
/// A safe name is a relative path of `/`-separated parts, at most [`MAX_NAME_BYTES`] long,
/// with no empty, `.` or `..` part, no backslash, no NUL or other control character, and no
/// drive letter; one trailing `/` marks a directory.
pub fn unsafe_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("is empty");
    }
    if name.len() > MAX_NAME_BYTES {
        return Some("is longer than 1024 bytes");
    }
    if name.starts_with('/') {
        return Some("is absolute");
    }
    if name.contains('\\') {
        return Some("has a backslash");
    }
    if name.chars().any(char::is_control) {
        return Some("has a NUL or control character");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("starts with a drive letter");
    }
    let path = name.strip_suffix('/').unwrap_or(name);
    for part in path.split('/') {
        match part {
            "" => return Some("has an empty part"),
            "." => return Some("has a `.` part"),
            ".." => return Some("has a `..` part"),
            _ => {}
        }
    }
    None
}

/// The names seen so far, to refuse a second entry of one name.
///
/// Names are compared after dropping a trailing `/` and folding case, so `a.txt`, `A.TXT` and
/// `a.txt/` are one name: extracting them on a case-insensitive file system, or as a file and
/// a directory, would otherwise let one overwrite the other.
#[derive(Debug, Default)]
pub struct NameSet {
    seen: HashSet<String>,
}

impl NameSet {
    /// Adds `name`; false if it (or a name equal to it as above) was added before.
    pub fn insert(&mut self, name: &str) -> bool {
        self.seen.insert(fold(name))
    }

    /// Whether `name` (or a name equal to it as above) was added.
    pub fn contains(&self, name: &str) -> bool {
        self.seen.contains(&fold(name))
    }
}

/// The form names are compared in.
fn fold(name: &str) -> String {
    name.strip_suffix('/').unwrap_or(name).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_names_are_safe() {
        for name in [
            "a",
            "build.json",
            "logs/do_compile.log",
            "images/",
            "a/b/c.tar.gz",
            "é/ü",
        ] {
            assert_eq!(unsafe_reason(name), None, "{name}");
        }
    }

    #[test]
    fn escaping_or_odd_names_are_refused() {
        let long = "a".repeat(MAX_NAME_BYTES + 1);
        for (name, reason) in [
            ("", "is empty"),
            ("/etc/passwd", "is absolute"),
            ("../x", "has a `..` part"),
            ("a/../../x", "has a `..` part"),
            ("a/..", "has a `..` part"),
            ("./a", "has a `.` part"),
            ("a//b", "has an empty part"),
            ("a//", "has an empty part"),
            ("a\\b", "has a backslash"),
            ("a\0b", "has a NUL or control character"),
            ("a\nb", "has a NUL or control character"),
            ("a\u{1b}[2Jb", "has a NUL or control character"),
            ("C:/x", "starts with a drive letter"),
            (long.as_str(), "is longer than 1024 bytes"),
        ] {
            assert_eq!(unsafe_reason(name), Some(reason), "{name:?}");
        }
        assert_eq!(unsafe_reason(&"a".repeat(MAX_NAME_BYTES)), None);
    }

    #[test]
    fn duplicates_ignore_case_and_a_trailing_slash() {
        let mut names = NameSet::default();
        assert!(names.insert("logs/a.txt"));
        assert!(!names.insert("logs/a.txt"));
        assert!(!names.insert("LOGS/A.TXT"));
        assert!(!names.insert("logs/a.txt/"));
        assert!(names.contains("Logs/A.txt"));
        assert!(!names.contains("logs/b.txt"));
        assert!(names.insert("logs/b.txt"));
    }
}
