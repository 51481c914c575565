//! The conf reader on arbitrary bytes: it never panics, an accepted file writes back byte
//! for byte, and evaluating it (without includes, which would read the disk) either succeeds
//! or reports an error.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use toaster_core::conf::{ConfFile, Datastore, Statement, apply, values};

fuzz_target!(|bytes: &[u8]| {
    let path = Path::new("/fuzz.conf");
    let Ok(conf) = ConfFile::parse_bytes(path, bytes, false) else {
        return;
    };
    assert_eq!(conf.text().as_bytes(), bytes);
    if conf
        .statements()
        .any(|(_, s)| matches!(s, Statement::Include { .. }))
    {
        return;
    }
    let mut data = Datastore::new();
    if apply(&mut data, &conf).is_ok() {
        let _ = values(&data, &[]);
    }
});
