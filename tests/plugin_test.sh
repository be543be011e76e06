#!/usr/bin/env bash
# End-to-end tests of C ABI plugins (--plugin) with tests/plugins/test_plugin.c: a table that
# fails validation gives one line and exit 2; a plugin that misbehaves while measured becomes a
# row saying how (the other rows are measured and saved, exit 1); --max-rss kills a child that
# grows past it; SIGINT keeps the rows measured so far and exits 130.
# usage: plugin_test.sh BIN_DIR PLUGIN_SO
set -u
bin=${1:?usage: plugin_test.sh BIN_DIR PLUGIN_SO}
plug=${2:?usage: plugin_test.sh BIN_DIR PLUGIN_SO}
A=$bin/alloclab
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

# row FILE ALLOCATOR STATUS ERROR_REGEX: every iteration row of ALLOCATOR has STATUS and an error matching.
row() {
  python3 - "$@" <<'PY' && ok || bad "row check $*"
import json, re, sys
f, alloc, status, pattern = sys.argv[1:]
rows = [r for r in json.load(open(f))["benchmarks"] if r["run_type"] == "iteration" and r["allocator"] == alloc]
assert rows, f"no rows for {alloc}"
for r in rows:
    assert r["status"] == status and re.search(pattern, r["error"]), r
    assert r["dispatch"] == ("indirect" if alloc == "testplug" else "static"), r
PY
}

run_mode() {  # run_mode MODE CODE PATTERN EXTRA...: a measured run of testplug and null
  local mode=$1 code=$2 pattern=$3; shift 3
  rm -f "$tmp/r.json"
  # In sanitizer builds a plugin's SIGSEGV must kill the child, as it does in release builds.
  ALLOCLAB_TEST_PLUGIN_MODE=$mode ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" \
    expect "$code" "$pattern" "$A" run --plugin "$plug" -a testplug,null \
    --iters 20000 --reps 1 --rss-interval 0 --verify --json "$tmp/r.json" "$@"
}

# Loading: bad files and bad tables.
expect 2 "cannot open shared object|No such file" "$A" list --plugin "$tmp/none.so"
expect 2 "does not export alloclab_plugin_v1" "$A" list --plugin "$(ldd "$A" | awk '/libm\.so/ {print $3}')"
while IFS='|' read -r mode pattern; do
  ALLOCLAB_TEST_PLUGIN_MODE=$mode expect 2 "$pattern" "$A" list --plugin "$plug"
  ALLOCLAB_TEST_PLUGIN_MODE=$mode expect 2 "$pattern" "$A" run --plugin "$plug" --iters 100 --reps 1
done <<'T'
bad-version|ABI version 99, this alloclab reads version 1
bad-size|struct_size 8 is smaller
bad-caps|capability 'reset' is declared but function 'reset' is NULL
bad-align|max_align 24 is not a power of two
no-allocate|required function 'allocate' is NULL
bad-name|the name 'Bad Name' must start with a lowercase letter
T
# A plugin that crashes or hangs while it is loaded is tried in a child first: alloclab says so.
# (In sanitizer builds the SIGSEGV must kill the child, as in release builds.)
ALLOCLAB_TEST_PLUGIN_MODE=load-crash ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" expect 2 "crashed while loading \(SIGSEGV\)" "$A" list --plugin "$plug"
ALLOCLAB_TEST_PLUGIN_MODE=entry-crash ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" expect 2 "crashed while loading \(SIGSEGV\)" "$A" run --plugin "$plug" --iters 100 --reps 1
ALLOCLAB_TEST_PLUGIN_MODE=load-hang expect 2 "did not finish within 10 s" "$A" list --plugin "$plug"
ALLOCLAB_TEST_PLUGIN_NAME=glibc expect 2 "'glibc' is already registered" "$A" list --plugin "$plug"

# A good plugin: listed as indirect, measured, verified.
expect 0 "testplug .*free,reset,realloc" "$A" list --plugin "$plug"
ALLOCLAB_TEST_PLUGIN_MODE=ok expect 0 '"dispatch": "indirect"' "$A" list --json --plugin "$plug"
run_mode ok 0 "testplug" && row "$tmp/r.json" testplug ok '^$'
ALLOCLAB_TEST_PLUGIN_MODE=ok expect 0 "testplug" "$A" run --plugin "$plug" -a testplug -w frame --reps 1 --rss-interval 0 --verify

# Faults while measuring: the row says which, null is still measured, the JSON is written, exit 1.
while IFS='|' read -r mode status pattern extra; do
  # shellcheck disable=SC2086
  if run_mode "$mode" 1 "$status" $extra; then
    row "$tmp/r.json" testplug "$status" "$pattern"
    row "$tmp/r.json" null ok '^$'
  fi
done <<'T'
null|failed|^allocate\(\d+, 16\) returned nullptr|
misaligned|failed|^misaligned block 0x[0-9a-f]+ for align 16$|
overlap|failed|^verify: block 0x[0-9a-f]+ .* was overwritten while live \(overlapping blocks\?\)$|
crash|crashed|^crashed \(SIGSEGV\)|
hang|timeout|^timeout after 2 s$|--timeout 2
create-null|failed|could not be created|
rss|failed|^memory budget 400000000 bytes \(--max-rss, watchdog\) exceeded: \d+ bytes$|--max-rss 400000000
T

# SIGINT (or SIGHUP: a closed terminal) during a run: the child is killed, rows so far are saved
# (marked, the stopped repetition as `interrupted`, not `failed`), exit 128 + the signal.
for sig in INT HUP; do
  rm -f "$tmp/i.json"
  ALLOCLAB_TEST_PLUGIN_MODE=hang "$A" run --plugin "$plug" -a null,testplug --iters 2000 --reps 3 \
    --rss-interval 0 --json "$tmp/i.json" >/dev/null 2>"$tmp/err" &
  pid=$!
  sleep 2
  kill -$sig $pid
  wait $pid
  code=$?
  want=$((128 + $(kill -l $sig)))
  [ "$code" = $want ] && ok || bad "SIG$sig: exit $code, wanted $want: $(cat "$tmp/err")"
  python3 - "$tmp/i.json" "$sig" <<'PY' && ok || bad "SIG$sig: partial results"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["context"]["alloclab"]["interrupted"] is True
it = [r for r in d["benchmarks"] if r["run_type"] == "iteration"]
assert any(r["allocator"] == "null" and r["status"] == "ok" for r in it), it
assert any(r["allocator"] == "testplug" and r["status"] == "interrupted" and r["error"] == "interrupted (SIG%s)" % sys.argv[2]
           for r in it), it
PY
done
# The interrupted row is left out of the gate: compared with itself, nothing of it is judged.
expect 2 "no row was measured in both files|interrupted before any repetition ended" "$A" compare "$tmp/i.json" "$tmp/i.json" --fail-on-regression

# SIGKILL during a run leaves the previous results file as it was.
echo '{"previous": true}' >"$tmp/k.json"
ALLOCLAB_TEST_PLUGIN_MODE=hang "$A" run --plugin "$plug" -a null,testplug --iters 2000 --reps 1 \
  --rss-interval 0 --json "$tmp/k.json" >/dev/null 2>&1 &
pid=$!
sleep 2
children=$(pgrep -P $pid)
kill -KILL $pid
wait $pid 2>/dev/null
[ -n "$children" ] && kill -KILL $children 2>/dev/null  # the hung child, orphaned
grep -q '"previous": true' "$tmp/k.json" && ok || bad "SIGKILL: previous results file damaged"

finish
