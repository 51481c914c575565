#!/usr/bin/env bash
# The main job on the embedded SQLite default, as a new user types it: add an owner, create
# a project, configure it, look at its history, undo a change, and see the BitBake conf file
# the project's build directory gets. Runs in a new scratch
# directory and leaves it there for you to look at.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --quiet --manifest-path "$repo/Cargo.toml" -p toaster-cli
toaster_bin="$repo/target/debug/toaster"
work="$(mktemp -d "${TMPDIR:-/tmp}/toaster-quickstart.XXXXXX")"
cd "$work"

toaster() {
    printf '\n$ toaster %s\n' "$*"
    "$toaster_bin" "$@"
}

toaster owner add alice --email alice@example.com
toaster --as alice project create demo --dir ./demo --release scarthgap
toaster config set demo IMAGE_FSTYPES "ext4 wic"
toaster config set demo machine qemuarm64
toaster config add demo targets core-image-minimal core-image-sato:populate_sdk
toaster config add demo packages strace gdb
toaster project history demo
toaster project undo demo
toaster config show demo
toaster project history demo --json
toaster project list

printf '\n$ cat demo/build/conf/toaster.conf   # generated from the newest revision\n'
cat demo/build/conf/toaster.conf

printf '\nThe database is %s/toaster.sqlite and the project directory %s/demo.\n' "$work" "$work"
