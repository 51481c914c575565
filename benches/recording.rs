//! Recording overhead on a real build: `benches/recording_overhead.py` runs the same toy
//! build of about 1,000 tasks with real BitBake, with and without meta-toaster's recorder,
//! and prints `recording overhead: X% (with A s, without B s)` last. Needs `.venv` with
//! the `toaster_rs` package (run `scripts/test.sh` once) and a BitBake (the fixture in
//! `../shared/fixtures`, or `TOASTER_TEST_BITBAKE`). Takes a few minutes.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    if !python.exists() {
        println!(
            "recording overhead: not measured: no .venv with toaster_rs (run scripts/test.sh once)"
        );
        return;
    }
    let status = Command::new(python)
        .arg(root.join("benches/recording_overhead.py"))
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => {
            println!("recording overhead: not measured: the benchmark ended with {status}")
        }
        Err(e) => println!("recording overhead: not measured: could not run Python: {e}"),
    }
}
