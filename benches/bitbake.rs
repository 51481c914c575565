//! Benchmarks with real BitBake (the fixture in `../shared/fixtures`, or
//! `TOASTER_TEST_BITBAKE`), each a Python script run with `.venv`'s Python (run
//! `scripts/test.sh` once first):
//!
//! - `benches/recording_overhead.py`: the same toy build of about 1,000 tasks with and
//!   without the recorder; prints `recording overhead: X% (with A s, without B s)`.
//! - `benches/runner_overhead.py`: `toaster build start --wait` beside `bitbake` by hand;
//!   prints `runner overhead: before X ms, after Y ms (by hand: …)`.
//!
//! They take a few minutes.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    for script in ["recording_overhead.py", "runner_overhead.py"] {
        if !python.exists() {
            println!("{script}: not measured: no .venv with toaster_rs (run scripts/test.sh once)");
            continue;
        }
        match Command::new(&python)
            .arg(root.join("benches").join(script))
            .status()
        {
            Ok(status) if status.success() => {}
            Ok(status) => println!("{script}: not measured: it ended with {status}"),
            Err(e) => println!("{script}: not measured: could not run Python: {e}"),
        }
    }
}
