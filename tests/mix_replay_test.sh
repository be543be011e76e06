#!/usr/bin/env bash
# A strategy mix serves what its parts alone cannot: a recorded python run (reallocs, blocks
# beyond the pools' 32 KiB) is `unsupported` for object_pool_sc and `ok`, verified, for
# small_pool+mempool and arena+mempool, beside mempool and glibc.
# usage: mix_replay_test.sh BIN_DIR
set -u
bin=${1:?usage: mix_replay_test.sh BIN_DIR}
A=$bin/alloclab
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
# One thread: the mixes' pool and arena parts are per-thread (no cross-thread free).
expect 0 "alloclab record:" "$A" record --output "$tmp/py.trace" -- python3 -c '
d = {}
for i in range(30000):
    d[i % 700] = [i] * (i % 50) + ["y" * (i % 400)]
s = ""
for i in range(3000):
    s += str(i)
b = bytearray(100000)
print(len(d), len(s), len(b))'

expect 0 "small_pool\+mempool" "$A" run -w replay --trace "$tmp/py.trace" \
  -a small_pool+mempool,arena+mempool,object_pool_sc,mempool,glibc --reps 1 --verify --json "$tmp/r.json"
if python3 - "$tmp/r.json" <<'PY'
import json, sys
rows = {r["allocator"]: r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"}
assert set(rows) - {"null"} == {"small_pool+mempool", "arena+mempool", "object_pool_sc", "mempool", "glibc"}, rows.keys()  # null: the harness cost
pool = rows["object_pool_sc"]
assert pool["status"] == "unsupported" and pool["error"], pool
for name in ("small_pool+mempool", "arena+mempool", "mempool", "glibc"):
    r = rows[name]
    assert r["status"] == "ok", (name, r["status"], r.get("error"))
    assert r["iterations"] == rows["glibc"]["iterations"] > 1000, r
    assert r["name"].startswith(f"replay/{name}/trace:py.trace/"), r["name"]
PY
then ok; else bad "replay rows"; fi

# The mixes are listed with the capabilities their parts give them.
expect 0 "small_pool\+mempool .*free,realloc" "$A" list
finish
