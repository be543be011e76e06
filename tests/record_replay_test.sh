#!/usr/bin/env bash
# Record a real program with `alloclab record`, replay the trace against several allocators
# with --verify, and check the bad-input paths (one line on stderr, exit 2).
# usage: record_replay_test.sh BIN_DIR [MT_PROGRAM]   (MT_PROGRAM: a multi-threaded C++ program)
set -u
bin=${1:?usage: record_replay_test.sh BIN_DIR [MT_PROGRAM]}
mt=${2:-}
A=$bin/alloclab
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
cat > "$tmp/alloc.py" <<'PY'
import threading
d = {}
def work(n):
    for i in range(20000):
        d[(n, i % 500)] = [i] * (i % 40) + ["x" * (i % 300)]
ts = [threading.Thread(target=work, args=(n,)) for n in range(3)]
for t in ts: t.start()
for t in ts: t.join()
print(len(d))
PY

# record: the program's output and exit code pass through; a summary line follows on stderr.
expect 0 "^1500$" "$A" record --output "$tmp/py.trace" -- python3 "$tmp/alloc.py"
expect 0 "alloclab record: [0-9]+ calls \([0-9]+ allocations, [0-9]+ frees, [0-9]+ reallocs\), [0-9]+ threads" \
  "$A" record --output "$tmp/py.trace" -- python3 "$tmp/alloc.py"
expect 3 "alloclab record:" "$A" record --output "$tmp/exit3.trace" -- python3 -c 'import sys; sys.exit(3)'
expect 2 "cannot run 'no-such-program-xyz'" "$A" record --output "$tmp/none.trace" -- no-such-program-xyz
expect 2 "no command given|command is required" "$A" record --output "$tmp/none.trace"

# --size-histogram: the sizes the program asked for, as a histogram churn can draw from.
expect 0 "alloclab record:" "$A" record --output "$tmp/py2.trace" --size-histogram "$tmp/py.hist" -- python3 "$tmp/alloc.py"
grep -Eq '^[0-9]+ [0-9]+$' "$tmp/py.hist" && ok || bad "size histogram file: $(head -3 "$tmp/py.hist")"
expect 0 "size_histogram=" "$A" run -a glibc --size-histogram "$tmp/py.hist" --iters 2000 --reps 1 --verify
expect 2 "--size-histogram: cannot write" "$A" record --output "$tmp/py3.trace" --size-histogram /nonexistent-dir/h -- true
# `true` makes no allocation: no histogram file, exit 2, after the recorder's summary line.
"$A" record --output "$tmp/none.trace" --size-histogram "$tmp/none.hist" -- true 2>"$tmp/err"
rc=$?
if [ "$rc" = 2 ] && grep -q "the trace holds no allocation" "$tmp/err" && [ ! -e "$tmp/none.hist" ]; then ok
else bad "record --size-histogram of no allocation: exit $rc, $(cat "$tmp/err")"; fi

# replay: every row ok under --verify, the name carries the trace and its threads.
expect 0 "glibc" "$A" run --workload replay --trace "$tmp/py.trace" -a glibc,mempool,null --reps 1 --verify --json "$tmp/r.json"
if python3 - "$tmp/r.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
assert {r["allocator"] for r in rows} == {"glibc", "mempool", "null"}, rows
for r in rows:
    if r["allocator"] == "null" and r["status"] == "unsupported":
        continue  # the harness's own cost: no realloc, so not for traces with reallocs
    assert r["status"] == "ok", r
    assert r["iterations"] > 1000, r
    assert r["name"].startswith(f"replay/{r['allocator']}/trace:py.trace/threads:"), r["name"]
    assert r["params"]["trace"].endswith("py.trace") and r["threads"] >= 1, r
    st = r["trace_stats"]  # what the conversion did: python frees across its threads
    assert st["cross_thread_frees"] > 0 and st["unknown_frees"] >= 0 and "freed_at_end" in st, st
PY
then ok; else bad "replay rows"; fi

# A multi-threaded C++ program (cross-thread frees, aligned new, fork): recorded, replayed.
if [ -n "$mt" ]; then
  expect 0 "alloclab record:" "$A" record --output "$tmp/mt.trace" -- "$mt"
  expect 0 "mempool" "$A" run --workload replay --trace "$tmp/mt.trace" -a glibc,mempool --reps 1 --verify
  if grep -Eq "failed|crashed|timeout" "$tmp/out"; then bad "mt replay rows: $(cat "$tmp/out")"; else ok; fi
fi

# Bad input: one line, exit 2.
expect 2 "cannot open it: No such file" "$A" run --workload replay --trace "$tmp/missing.trace" -a glibc --reps 1
head -c 5000 /dev/urandom > "$tmp/garbage.trace"
expect 2 "not an alloclab trace" "$A" run --workload replay --trace "$tmp/garbage.trace" -a glibc --reps 1
head -c 1000 "$tmp/py.trace" > "$tmp/cut.trace"
expect 2 "truncated" "$A" run --workload replay --trace "$tmp/cut.trace" -a glibc --reps 1
expect 2 "needs --trace FILE" "$A" run --workload replay -a glibc --reps 1
expect 2 "has no parameter 'threads'" "$A" run --workload replay --trace "$tmp/py.trace" --threads 2 -a glibc --reps 1
expect 2 "takes no file" "$A" run --workload churn --trace "$tmp/py.trace" -a glibc --reps 1

# The output is checked before the program runs: one line, exit 2, and the program (which
# would leave a marker) never starts.
mkdir "$tmp/a-dir"
: > "$tmp/existing.trace"
ln -s "$tmp/existing.trace" "$tmp/link.trace"
for out in "$tmp/missing-dir/x.trace" "$tmp/a-dir" /proc/alloclab-unwritable.trace /dev/full; do
  expect 2 "--output: " "$A" record --output "$out" -- sh -c "touch '$tmp/marker'"
  [ ! -e "$tmp/marker" ] && ok || { bad "record -o $out ran the program"; rm -f "$tmp/marker"; }
done
# An output that is the other output: refused by path and, where it exists, by device and inode.
for hist in "$tmp/same.trace" "$tmp/link.trace"; do
  out=$tmp/same.trace; [ "$hist" = "$tmp/link.trace" ] && out=$tmp/existing.trace
  expect 2 "is also the --output trace" "$A" record --output "$out" --size-histogram "$hist" -- sh -c "touch '$tmp/marker'"
  [ ! -e "$tmp/marker" ] && ok || { bad "record -o $out --size-histogram $hist ran the program"; rm -f "$tmp/marker"; }
done
# A statically linked program cannot load the recorder: said so, not run.
if printf 'int main(void) { return 0; }\n' > "$tmp/static.c" && cc -static -o "$tmp/static" "$tmp/static.c" 2>/dev/null; then
  expect 2 "statically linked" "$A" record --output "$tmp/static.trace" -- "$tmp/static"
else
  echo "static libc not installed: the static-program check is skipped"
fi

# --max-trace-size: the recorder stops writing at the limit; the trace reads, replays, is no
# larger than the limit, and record says it was cut (exit 3).
limit=1000000
expect 3 "the trace was cut at --max-trace-size $limit bytes" \
  "$A" record --output "$tmp/cut.trace" --max-trace-size $limit -- python3 -c 'for i in range(300000): x = bytearray(1000)'
size=$(stat -c %s "$tmp/cut.trace")
[ "$size" -le $limit ] && [ "$size" -gt $((limit / 2)) ] && ok || bad "cut trace is $size bytes, limit $limit"
expect 0 "glibc" "$A" run --workload replay --trace "$tmp/cut.trace" -a glibc --reps 1 --verify
expect 2 "is below one recorder chunk" "$A" record --output "$tmp/cut.trace" --max-trace-size 1000 -- true

# SIGTERM to alloclab alone takes the recorded program's whole process group down: a looping
# program and the child it started, and the trace up to the kill still reads.
cat > "$tmp/loop.py" <<'PY'
import os, subprocess, sys
child = subprocess.Popen(["sleep", "300"])
open(sys.argv[1] + ".tmp", "w").write(f"{os.getpid()} {child.pid}\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    x = bytearray(1000)
PY
"$A" record --output "$tmp/loop.trace" --max-trace-size 0 -- python3 "$tmp/loop.py" "$tmp/pids" 2>"$tmp/loop.err" &
rec=$!
for _ in $(seq 100); do [ -s "$tmp/pids" ] && break; sleep 0.1; done
read -r looper sleeper < "$tmp/pids"
group=$(ps -o pgid= -p "${looper:-0}" | tr -d ' ')
sleep 0.3
kill -TERM $rec
wait $rec
rc=$?
alive() { ps -e -o pgid=,stat= | awk -v g="$group" '$1 == g && $2 !~ /^Z/' | wc -l; }
for _ in $(seq 50); do [ "$(alive)" = 0 ] && break; sleep 0.1; done
if [ -n "$group" ] && [ "$group" != "$(ps -o pgid= -p $$ | tr -d ' ')" ] && [ "$rc" = 143 ] && [ "$(alive)" = 0 ] \
   && grep -q "alloclab record: [0-9]* calls" "$tmp/loop.err"; then ok
else
  bad "record killed with SIGTERM: exit $rc, group '$group' has $(alive) live processes: $(cat "$tmp/loop.err")"
  kill -KILL "${looper:-}" "${sleeper:-}" 2>/dev/null
fi

# run refuses a --json that is its --trace (the trace would be overwritten).
cp "$tmp/py.trace" "$tmp/keep.trace"
expect 2 "--json: .* is the --trace file" "$A" run --workload replay --trace "$tmp/keep.trace" -a glibc --reps 1 --json "$tmp/keep.trace"
cmp -s "$tmp/py.trace" "$tmp/keep.trace" && ok || bad "run --json over its --trace changed the trace"

finish
