#!/usr/bin/env bash
# A run never endangers the machine: 1 GiB blocks under a small budget end in a clean `failed`
# row naming the budget and the size reached, exit 1, quickly; the budget is recorded. Figures
# that cannot be trusted are marked: a too-short replay (with the --iters that would do) and
# more threads than cores, in the table and the JSON.
# usage: budget_marks_test.sh BIN_DIR
set -u
bin=${1:?usage: budget_marks_test.sh BIN_DIR}
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"
A=$bin/alloclab
TB=$bin/tb
gib=1073741824

start=$SECONDS
expect 1 "failed: memory budget 200000000 bytes \(--max-rss, watchdog\) exceeded: [0-9]+ bytes" \
  "$A" run --min-size $gib --max-size $gib --iters 100 -a glibc --reps 1 --max-rss 200000000 --json "$tmp/b.json"
[ $((SECONDS - start)) -lt 30 ] && ok || bad "the over-budget run took $((SECONDS - start)) s"
if python3 - "$tmp/b.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
b = doc["context"]["alloclab"]["memory_budget"]
assert b == {"bytes": 200000000, "source": "--max-rss", "enforcement": "watchdog",
             "watchdog_because": "--max-rss limits RSS"}, b
rows = [r for r in doc["benchmarks"] if r["run_type"] == "iteration" and r["allocator"] == "glibc"]
assert rows and all(r["status"] == "failed" and "memory budget" in r["error"] for r in rows), rows
PY
then ok; else bad "the budget is not recorded, or the row is not a failed budget row"; fi

# The default budget: recorded for every run, enforced by a cgroup where one can be made.
expect 0 "" "$A" run -a glibc --iters 2000 --reps 1 --rss-interval 0 --json "$tmp/d.json"
if python3 - "$tmp/d.json" <<'PY'
import json, os, sys
b = json.load(open(sys.argv[1]))["context"]["alloclab"]["memory_budget"]
assert b["bytes"] > 0 and b["enforcement"] in ("cgroup", "watchdog"), b
avail = next(int(l.split()[1]) * 1024 for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))
assert b["bytes"] <= avail, (b, avail)
if os.geteuid() == 0 and os.access("/sys/fs/cgroup/memory", os.W_OK):
    assert b["enforcement"] == "cgroup", b
PY
then ok; else bad "the default budget is missing or wrong"; fi
# No run's cgroup outlives its alloclab: under this test's own memory cgroup, once a run (which
# removes the empty cgroups of dead runs, e.g. one killed by SIGKILL) has ended, none is left
# whose alloclab is gone. Runs of other processes' cgroups are not ours to judge.
"$A" run -a glibc --iters 1000 --reps 1 --rss-interval 0 -q --json "$tmp/cleanup.json" >/dev/null 2>&1
own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
if [ -n "$own" ]; then own=/sys/fs/cgroup/memory$own; else own=/sys/fs/cgroup$(sed -n 's/^0::\(.*\)$/\1/p' /proc/self/cgroup); fi
leftover=
while read -r dir; do
  [ -n "$dir" ] && [ ! -d "/proc/${dir##*alloclab-}" ] && leftover=$dir
done < <(find "$own" -mindepth 1 -maxdepth 1 -type d -name 'alloclab-*' 2>/dev/null)
[ -z "$leftover" ] && ok || bad "a run's cgroup was left behind: $leftover"

# The floor row at 64 threads stays under a 2 GB cap (null used to fault in 4 GiB).
expect 0 "" "$TB" 64 10 8 256 75 -a glibc --max-rss 2000000000 --reps 1 --rss-interval 0

# Too short: 10 iterations replay in well under 10 ms.
expect 0 "too short \(replay < 10 ms; --iters [0-9]+ would reach it\)" \
  "$A" run -a glibc --iters 10 --reps 1 --rss-interval 0 --json "$tmp/s.json"
if python3 - "$tmp/s.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
assert rows and all(r.get("too_short") is True and r["suggested_iters"] > 10 for r in rows), rows
PY
then ok; else bad "too_short is not in the JSON"; fi
expect 0 "" "$A" report "$tmp/s.json" --md "$tmp/s.md" --csv "$tmp/s.csv"
grep -q "too short" "$tmp/s.md" && grep -q "too short" "$tmp/s.csv" && ok || bad "the report lacks the mark"

# Oversubscribed: more threads than this process may run on.
over=$(( $(nproc) + 1 ))
expect 0 "oversubscribed \(threads > cores\)" \
  "$A" run -a glibc --threads $over --iters 2000 --reps 1 --rss-interval 0 --json "$tmp/o.json"
grep -q '"oversubscribed": true' "$tmp/o.json" && ok || bad "oversubscribed is not in the JSON"
finish
