#!/usr/bin/env bash
# CLI tests: help/version, every bad input (one line on stderr, exit 2), a real run whose JSON
# is checked for the Google Benchmark layout, and the crash/exit-code path.
# usage: cli_test.sh BIN_DIR
set -u
bin=${1:?usage: cli_test.sh BIN_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/expect.sh"

A=$bin/alloclab
TB=$bin/tb
small=(--iters 2000 --reps 1 --rss-interval 0)

expect 0 "alloclab" "$A" --help
expect 0 "^alloclab [0-9]" "$A" --version
expect 0 "tb" "$TB" --help
expect 0 "^tb \(alloclab" "$TB" --version
expect 0 "glibc" "$A" list
expect 0 '"allocators"' "$A" list --json
expect 2 "error" "$A"
expect 2 "error" "$A" frobnicate

# Bad values: each names the bad value.
expect 2 "threads = 0 is out of range" "$A" run --threads 0 "${small[@]}"
expect 2 "min_size 300 is larger than max_size 256" "$A" run --min-size 300 --max-size 256 "${small[@]}"
expect 2 "keep = 101 is out of range" "$A" run --keep 101 "${small[@]}"
expect 2 "'-1' is not a non-negative integer" "$A" run --threads -1 "${small[@]}"
expect 2 "'abc' is not a non-negative integer" "$A" run --iters abc --reps 1
expect 2 "'' is not a non-negative integer" "$A" run --iters "" --reps 1
expect 2 "'18446744073709551616' is too large" "$A" run --iters 18446744073709551616 --reps 1
expect 2 "--reps: 0 is out of range" "$A" run --reps 0
expect 2 "unknown allocator 'nosuch'" "$A" run --allocator nosuch "${small[@]}"
expect 2 "unknown workload 'nosuch'" "$A" run --workload nosuch "${small[@]}"
expect 2 "--measure: 'cycles' is not one of time, instructions" "$A" run --measure cycles "${small[@]}"
expect 2 "--latency: 2147483648 is out of range" "$A" run --latency 2147483648 "${small[@]}"
expect 2 "--touch: 'some' is not one of" "$A" run --touch some "${small[@]}"
expect 2 "cannot write '/nonexistent-dir/out.json'" "$A" run -a glibc "${small[@]}" --json /nonexistent-dir/out.json
expect 2 "is a directory" "$A" run -a glibc "${small[@]}" --json "$tmp"
expect 2 "keep = 101 is out of range" "$TB" 1 1000 8 256 101 --reps 1
expect 2 "min_size 9 is larger than max_size 8" "$TB" 1 1000 9 8 75 --reps 1
expect 2 "threads = 0 is out of range" "$TB" 0 1000 8 256 75 --reps 1
expect 2 "'x' is not a non-negative integer" "$TB" x 1000 8 256 75 --reps 1

# A real run: table on stdout, JSON in Google Benchmark's layout, raw repetitions + aggregates.
expect 0 "glibc" "$A" run -a glibc,null --threads 2 --iters 5000 --reps 2 --touch full --json "$tmp/r.json"
if python3 - "$tmp/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ctx = d["context"]; a = ctx["alloclab"]
assert ctx["num_cpus"] >= 1 and a["command_line"][1] == "run" and a["git_revision"], ctx
rows = d["benchmarks"]
it = [r for r in rows if r["run_type"] == "iteration"]
assert {r["allocator"] for r in it} == {"glibc", "null"}, it
for r in it:
    assert r["status"] == "ok" and r["time_unit"] == "ns" and r["iterations"] == 10000, r
    assert r["real_time"] > 0 and r["items_per_second"] > 0 and len(r["thread_ns"]) == 2, r
    assert r["rss_peak_bytes"] >= r["rss_baseline_bytes"] > 0, r
    assert r["params"] == {"threads": 2, "iters": 5000, "min_size": 8, "max_size": 256, "keep": 75, "dist": 0, "touch": "full"}, r
    assert r["name"] == f"churn/{r['allocator']}/threads:2/iters:5000/min:8/max:256/keep:75/touch:full", r
    assert r["harness_ns_per_op"] > 0
aggs = {(r["allocator"], r["aggregate_name"]) for r in rows if r["run_type"] == "aggregate"}
assert aggs == {(x, y) for x in ("glibc", "null") for y in ("median", "mean", "stddev", "cv")}, aggs
PY
then ok; else bad "results JSON layout"; fi

# A sweep: every combination in one results file, rows tagged with their parameters.
expect 2 "lists several values; use alloclab sweep" "$A" run --threads 1,2 "${small[@]}"
expect 2 "range '8..4' runs backwards" "$A" sweep --max-size 8..4 "${small[@]}"
expect 2 "range step 'x1' would never advance" "$A" sweep --max-size 8..64:x1 "${small[@]}"
expect 2 "min_size 8 is larger than max_size 4" "$A" sweep --max-size 4,64 "${small[@]}"
expect 0 "glibc" "$A" sweep -a glibc --threads 1,2 --max-size 16..64:x4 "${small[@]}" --json "$tmp/s.json"
if python3 - "$tmp/s.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
combos = {(r["params"]["threads"], r["params"]["max_size"]) for r in rows if r["allocator"] == "glibc"}
assert combos == {(1, 16), (1, 64), (2, 16), (2, 64)}, combos
PY
then ok; else bad "sweep JSON"; fi

# tb's positional form compares allocators on churn.
expect 0 "glibc" "$TB" 1 2000 8 64 50 -a glibc,null --reps 1 --rss-interval 0
# --verify on every in-process plugin.
expect 0 "null" "$A" run "${small[@]}" --verify --threads 2

# A previous results file survives a run that cannot write.
echo '{"keep": "me"}' >"$tmp/keep.json"
chmod a-w "$tmp/keep.json"
if [ "$(id -u)" != 0 ]; then
  expect 2 "cannot write" "$A" run -a glibc "${small[@]}" --json "$tmp/keep.json"
fi
grep -q '"keep": "me"' "$tmp/keep.json" && ok || bad "previous results file was damaged"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
