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

# PostgreSQL for the store tests: a throwaway server (scripts/postgres.sh), unless
# TOASTER_TEST_PG_URL names one already. Tests that need it and find none say SKIPPED and
# are counted below (in CI, TOASTER_TEST_REQUIRE_PG makes them fail instead).
skip_log=$(mktemp)
export TOASTER_TEST_SKIP_LOG=$skip_log
pg_dir=
finish() {
    if [ -n "$pg_dir" ]; then
        bash scripts/postgres.sh stop "$pg_dir"
    fi
    if [ -s "$skip_log" ]; then
        echo "SKIPPED $(sort -u "$skip_log" | wc -l) tests that need PostgreSQL: $(sort -u "$skip_log" | tr '\n' ' ')" >&2
    fi
    rm -f "$skip_log"
}
trap finish EXIT
# Stopped by a signal, still stop the server.
trap 'exit 143' TERM
trap 'exit 130' INT
if [ -z "${TOASTER_TEST_PG_URL:-}" ]; then
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/toaster-pg.XXXXXX")
    if TOASTER_TEST_PG_URL=$(bash scripts/postgres.sh start "$pg_dir"); then
        export TOASTER_TEST_PG_URL
    else
        echo "WARNING: could not start PostgreSQL; the tests that need it will be skipped" >&2
    fi
fi

cargo test --workspace
# The API of `toaster serve` against its OpenAPI document (schemathesis, from .venv).
bash scripts/api-check.sh target/debug/toaster

rm -rf target/wheels
.venv/bin/maturin build --quiet --manifest-path toaster-py/Cargo.toml --out target/wheels
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/toaster_rs-*.whl
# Check the installed wheel, not the source tree: run from a directory without the sources.
(cd target && ../.venv/bin/python -m mypy.stubtest toaster_rs)
.venv/bin/python -m pytest -q -p no:cacheprovider --rootdir=. toaster-py/tests tests/python
