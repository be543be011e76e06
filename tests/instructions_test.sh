#!/usr/bin/env bash
# --measure instructions: callgrind counts the replay's instructions, which must be identical
# from run to run for a deterministic allocator (that is what makes it a CI regression figure).
# usage: instructions_test.sh BIN_DIR
set -u
bin=${1:?usage: instructions_test.sh BIN_DIR}
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin/alloclab" run -a glibc,mempool,object_pool_sc --iters 10000 --reps 2 --measure instructions \
  --json "$out" >/dev/null || { echo "FAIL: run exited $?"; exit 1; }
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
