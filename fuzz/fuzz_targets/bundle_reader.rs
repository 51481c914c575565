//! The project-bundle reader on arbitrary bytes: it never panics; a bundle it accepts has a
//! manifest of the one known format version, and extracting its included layers writes
//! inside the directory given, and nowhere else.

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use toaster_core::bundle::OpenBundle;

fuzz_target!(|bytes: &[u8]| {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("toaster-fuzz-bundle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let file = dir.join("bundle.zip");
    std::fs::write(&file, bytes).expect("write input");
    if let Ok(mut bundle) = OpenBundle::open(&file) {
        assert_eq!(bundle.manifest.version, toaster_core::bundle::VERSION);
        let layers: Vec<String> = bundle
            .manifest
            .layers
            .iter()
            .filter(|l| l.included)
            .map(|l| l.name.clone())
            .collect();
        let into = dir.join("out");
        for name in layers {
            let _ = bundle.extract_layer(&name, &into.join(&name));
        }
        // Nothing was written beside the scratch directory's own two entries.
        for entry in std::fs::read_dir(&dir).expect("scratch directory") {
            let name = entry.expect("entry").file_name();
            assert!(name == "bundle.zip" || name == "out", "{name:?}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
});
