//! Reading a spec file from outside: once, and no more of it than a schema can need.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::SchemaError;

/// The largest spec file read, in bytes (the built-in catalogue is a few KiB).
pub const MAX_FILE: usize = 4 << 20;

/// The text of the spec file at `path`: refused if it is a directory, larger than
/// [`MAX_FILE`] (an endless input such as `/dev/zero` included), or not UTF-8.
pub(super) fn read(path: &Path) -> Result<String, SchemaError> {
    let io = |source| SchemaError::Io {
        path: path.to_owned(),
        source,
    };
    let not_text = |reason: &str| SchemaError::Format {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let file = File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.is_dir() {
        return Err(not_text("it is a directory, not a file"));
    }
    let mut bytes = Vec::new();
    // One byte past the bound tells a file at the bound from a larger one.
    file.take(MAX_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_FILE {
        return Err(SchemaError::TooLarge {
            path: path.to_owned(),
            limit: MAX_FILE,
        });
    }
    String::from_utf8(bytes).map_err(|_| not_text("it is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_at_the_bound_is_read_and_one_past_it_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("specs.json");
        std::fs::write(&path, " ".repeat(MAX_FILE)).unwrap();
        assert_eq!(read(&path).unwrap().len(), MAX_FILE);
        std::fs::write(&path, " ".repeat(MAX_FILE + 1)).unwrap();
        let err = read(&path).unwrap_err();
        assert!(matches!(err, SchemaError::TooLarge { .. }), "{err}");
        assert!(
            err.to_string()
                .ends_with("is larger than 4 MiB, more than a variable schema file holds")
        );
    }

    #[test]
    fn endless_binary_and_directory_inputs_are_refused() {
        let zero = read(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(zero, SchemaError::TooLarge { .. }), "{zero}");
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("it is a directory"), "{err}");
        let path = dir.path().join("binary.json");
        std::fs::write(&path, b"{\xff}").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("not UTF-8"), "{err}");
    }
}
