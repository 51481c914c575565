#!/usr/bin/env bash
# Runs every test: the Rust workspace (unit, integration, doc tests), then the Python binding
# built as a wheel from this tree, its stub check, and the Python tests.
# Makes .venv (ignored by git) with the Python tools on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt

cargo test --workspace
# The API of `toaster serve` against its OpenAPI document (schemathesis, from .venv).
bash scripts/api-check.sh target/debug/toaster

rm -rf target/wheels
.venv/bin/maturin build --quiet --manifest-path toaster-py/Cargo.toml --out target/wheels
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/toaster_rs-*.whl
# Check the installed wheel, not the source tree: run from a directory without the sources.
(cd target && ../.venv/bin/python -m mypy.stubtest toaster_rs)
.venv/bin/python -m pytest -q -p no:cacheprovider --rootdir=. toaster-py/tests tests/python
