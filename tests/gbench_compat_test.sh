#!/usr/bin/env bash
# Google Benchmark's own compare.py (Debian's libbenchmark-tools) reads every file alloclab
# writes: files holding rows of every status (ok, unsupported, unavailable, failed, crashed,
# timeout) and aggregates, compared with `compare.py benchmarks` and `compare.py filters`, and a
# file of alloclab-micro. Exits 77 (skipped) where python3, compare.py or its imports are missing.
# usage: gbench_compat_test.sh BIN_DIR PLUGIN_SO
set -u
bin=${1:?usage: gbench_compat_test.sh BIN_DIR PLUGIN_SO}
plug=${2:?usage: gbench_compat_test.sh BIN_DIR PLUGIN_SO}
A=$bin/alloclab
compare=${ALLOCLAB_GBENCH_COMPARE:-/usr/share/benchmark/compare.py}
# Debian's python3 (where python3-scipy installs), not a python3 earlier on PATH (pyenv).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || { echo "skipped: python3 not found"; exit 77; }
[ -f "$compare" ] || { echo "skipped: $compare not found (apt-get install libbenchmark-tools)"; exit 77; }
"$py" -c 'import numpy, scipy.stats' 2>/dev/null ||
  { echo "skipped: compare.py needs numpy and scipy (apt-get install python3-scipy)"; exit 77; }
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

# measure FILE MODE ARGS...: a short run of glibc, arena (unsupported on churn) and the test
# plugin in MODE; exit 0 or 1 (a row that broke) both leave a file.
measure() {
  local file=$1 mode=$2; shift 2
  ALLOCLAB_TEST_PLUGIN_MODE=$mode ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" \
    "$A" run --plugin "$plug" -w churn --iters 2000 --reps 2 --rss-interval 0 -q --json "$tmp/$file" "$@" \
    >"$tmp/out" 2>"$tmp/err"
  local code=$?
  [ "$code" -le 1 ] && [ -s "$tmp/$file" ] && ok || bad "run $file ($mode): exit $code: $(tail -c 300 "$tmp/err")"
}
measure ok.json ok -a glibc,arena,testplug
measure failed.json null -a glibc,arena,testplug
measure crashed.json crash -a glibc,testplug
measure timeout.json hang -a glibc,testplug --timeout 1
# valgrind out of PATH: instruction counts cannot be measured, every row is unavailable.
PATH=/nonexistent measure unavailable.json ok -a glibc,arena --measure instructions
ALLOCLAB_TEST_PLUGIN_MODE=ok "$bin/alloclab-micro" --benchmark_format=json --benchmark_min_time=0.01 \
  --benchmark_repetitions=2 '--benchmark_filter=^pair/(glibc|arena)/16$' >"$tmp/micro.json" 2>"$tmp/err" &&
  ok || bad "alloclab-micro: $(tail -c 300 "$tmp/err")"

# The files hold what this test claims: every status, each row that did not run marked as
# Google Benchmark marks one, aggregates.
"$py" - "$tmp"/{ok,failed,crashed,timeout,unavailable}.json <<'PY' && ok || bad "rows of every status"
import json, sys
statuses, aggregates = set(), 0
for f in sys.argv[1:]:
    for b in json.load(open(f))["benchmarks"]:
        assert all(k in b for k in ("real_time", "cpu_time", "iterations", "time_unit")), (f, b["name"])
        aggregates += b["run_type"] == "aggregate"
        statuses.add(b["status"])
        assert b.get("error_occurred", False) == (b["status"] != "ok"), (f, b["name"])
        assert b["status"] == "ok" or b["error_message"], (f, b["name"])
want = {"ok", "unsupported", "unavailable", "failed", "crashed", "timeout"}
assert statuses == want, sorted(statuses)
assert aggregates > 0
PY

# gb CMD...: compare.py exits 0, prints its table header and no Python traceback.
gb() {
  "$py" "$compare" --no-color "$@" >"$tmp/cmp" 2>&1
  local code=$?
  if [ "$code" = 0 ] && grep -q '^Benchmark' "$tmp/cmp" && ! grep -q Traceback "$tmp/cmp"; then ok
  else bad "compare.py $* -> exit $code: $(tail -c 600 "$tmp/cmp")"; fi
}
for f in failed crashed timeout; do
  gb benchmarks "$tmp/ok.json" "$tmp/$f.json"
  grep -q 'churn/testplug/' "$tmp/cmp" && ok || bad "compare.py benchmarks ok.json $f.json: no testplug row"
  gb filters "$tmp/$f.json" glibc testplug
done
gb benchmarks "$tmp/unavailable.json" "$tmp/unavailable.json"
gb filters "$tmp/ok.json" glibc arena
gb benchmarks "$tmp/micro.json" "$tmp/micro.json"
gb filters "$tmp/micro.json" glibc arena
grep -q 'pair/\[glibc vs. arena\]/16' "$tmp/cmp" && ok || bad "compare.py filters micro.json: $(head -c 300 "$tmp/cmp")"

finish
