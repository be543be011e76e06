#!/usr/bin/env bash
# --measure instructions: callgrind counts the replay's instructions, which must be identical
# from run to run for a deterministic allocator (that is what makes it a CI regression figure).
# usage: instructions_test.sh BIN_DIR
set -u
bin=${1:?usage: instructions_test.sh BIN_DIR}
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/counted.json
"$bin/alloclab" run -a glibc,mempool,object_pool_sc --iters 10000 --reps 2 --measure instructions \
  --json "$out" >"$tmp/table" || { echo "FAIL: run exited $?"; exit 1; }
# The table shows the count it ranks by (ns/op under callgrind is callgrind's time).
grep -q "instr/op" "$tmp/table" || { echo "FAIL: no instr/op column: $(head -3 "$tmp/table")"; exit 1; }
python3 - "$out" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
by = {}
for r in rows:
    assert r["status"] == "ok", r
    assert r["name"].endswith("/measure:instructions"), r["name"]
    by.setdefault(r["allocator"], []).append(r["instructions"])
for name, counts in by.items():
    assert len(counts) == 2 and counts[0] == counts[1] and counts[0] > 10000 * 20, (name, counts)
print("1 passed, 0 failed:", {k: v[0] for k, v in by.items()})
PY

# report: the counted rows are a group of their own (beside the timed rows of the same workload,
# they made a headline of callgrind's ns/op), and × baseline there is by instructions/op.
"$bin/alloclab" run -a glibc,mempool,object_pool_sc --iters 10000 --reps 1 --rss-interval 0 \
  --json "$tmp/timed.json" >/dev/null || { echo "FAIL: timed run exited $?"; exit 1; }
"$bin/alloclab" report "$tmp/timed.json" "$out" --csv "$tmp/r.csv" >/dev/null ||
  { echo "FAIL: report exited $?"; exit 1; }
python3 - "$tmp/r.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
counted = {r["allocator"]: r for r in rows if r["param_measure"] == "instructions"}
timed = [r for r in rows if r["param_measure"] == ""]
assert len(counted) == 4 and len(timed) == 4, [(r["name"], r["param_measure"]) for r in rows]  # null (the harness floor) too
base = float(counted["glibc"]["instructions_per_op"])
for name, r in counted.items():
    want = base / float(r["instructions_per_op"])
    assert abs(float(r["x_baseline"]) - want) < 1e-6 * want, (name, r["x_baseline"], want)
order = [r["allocator"] for r in rows if r["param_measure"] == "instructions"]
ipo = [float(counted[a]["instructions_per_op"]) for a in order]
assert ipo == sorted(ipo), (order, ipo)
print("report: counted rows grouped apart, ranked and compared by instructions/op")
PY
