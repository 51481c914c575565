#!/usr/bin/env bash
# Runs schemathesis (PyPI, installed into .venv by scripts/test.sh) against the OpenAPI
# document of a real `toaster serve`: a fresh database with an owner, a token, a project, a
# failed build imported with an artifact on this host. The event stream is left out: a
# stream of a build schemathesis itself queues lasts until a runner ends it (the Rust tests
# cover it). The coverage phase is left out: under CPython 3.11 its schema walk crashes inside
# hypothesis ("AST constructor recursion depth mismatch"), a fault of the tool, not the API. Fails on any 5xx, any
# response that breaks the document's schemas, status codes or content types.
# Usage: scripts/api-check.sh [path/to/toaster]   (default: target/debug/toaster)
set -euo pipefail
cd "$(dirname "$0")/.."
toaster="$(realpath "${1:-target/debug/toaster}")"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
t() { "$toaster" --db "$work/toaster.sqlite" "$@"; }

t owner add alice >/dev/null
t project create demo --dir "$work/demo" --release scarthgap >/dev/null
t config set demo targets core-image-minimal >/dev/null
mkdir -p "$work/deploy"
printf 'an image' > "$work/deploy/core-image-minimal.ext4"
host="$(t status --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin).get("host") or "")' 2>/dev/null || true)"
[ -n "$host" ] || host="$(hostname)"
cat > "$work/events.jsonl" <<LOG
{"format":"toaster-events","version":1,"build":{"project":"demo","host":"$host","build_dir":"$work","machine":"qemux86-64","targets":["core-image-minimal"],"started_at":1795765414000}}
{"event":"task_started","recipe":"busybox","task":"do_compile","at":1795765416000}
{"event":"log","level":"error","text":"compile failed","task":"busybox:do_compile","file":null,"line":null,"at":1795765417000}
{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"failed","at":1795765476000}
{"event":"artifact","kind":"image","dir":"$work/deploy","path":"core-image-minimal.ext4"}
{"event":"build_completed","state":"failed","at":1795765500000}
LOG
t build import-events "$work/events.jsonl" >/dev/null
token="$(t owner token create --name schemathesis --json | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

"$toaster" --db "$work/toaster.sqlite" serve --listen 127.0.0.1:0 2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do
    grep -q 'on http://' "$work/serve.log" && break
    sleep 0.1
done
addr="$(sed -n 's|.* on http://\([^/]*\)/.*|\1|p' "$work/serve.log")"
[ -n "$addr" ] || { cat "$work/serve.log"; exit 1; }

.venv/bin/schemathesis run "http://$addr/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples 40 --workers 2 --request-timeout 10 --max-time 120 \
    --phases examples,fuzzing,stateful \
    --suppress-health-check all --warnings off \
    --exclude-operation-id buildEvents
