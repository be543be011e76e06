#!/bin/bash
# Variants, server mode and shards end to end: a variant's settings reach the program (exec a
# script that prints its env), a tiny loopback server loaded by a client, its failures (not
# ready, exits early, port in use, non-loopback), shards covering every row once, and report
# keeping two hosts' files apart.
# Usage: real_test.sh BIN_DIR
set -u
bin=$1
alloclab="$bin/alloclab"
here=$(dirname "$0")
. "$here/test_lib.sh"
sh=$(command -v sh)
py=$(command -v python3) || { echo "python3 missing: skipped"; exit 77; }
rows() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); rows=[b for b in d['benchmarks'] if b['run_type']=='iteration']; print(eval(sys.argv[2]))" "$@"; }

# A variant's environment reaches the program; the settings are in the row, beside the allocator.
expect 0 "" "$alloclab" exec -a 'glibc{GLIBC_TUNABLES=glibc.malloc.arena_max=2},tiny' \
  --variant 'tiny=glibc{ALLOCLAB_T=a:1,b:2,GLIBC_TUNABLES=glibc.malloc.tcache_count=0}' --reps 1 \
  --metric 'n=n=([0-9]+)' --json "$tmp/var.json" -- "$sh" -c 'env | grep -E "^(ALLOCLAB_T|GLIBC_TUNABLES)=" | sort; echo n=1'
[ "$(rows "$tmp/var.json" "[(b['allocator'], b['settings']) for b in rows]")" = \
  "[('glibc{GLIBC_TUNABLES=glibc.malloc.arena_max=2}', 'GLIBC_TUNABLES=glibc.malloc.arena_max=2'), ('tiny', 'ALLOCLAB_T=a:1,b:2,GLIBC_TUNABLES=glibc.malloc.tcache_count=0')]" ] \
  && ok || bad "variant rows: $(head -c 600 "$tmp/var.json")"
# What the program printed: run once more with stdout visible through a file.
"$alloclab" exec -a tiny --variant 'tiny=glibc{ALLOCLAB_T=a:1,b:2}' --reps 1 -q --json "$tmp/v2.json" \
  --metric 'n=ALLOCLAB_T=a:1,b:2 n=([0-9]+)' -- "$sh" -c 'echo "ALLOCLAB_T=$ALLOCLAB_T n=3"' \
  && ok || bad "the variant's value did not reach the program"
expect 2 "unknown base 'nosuch'" "$alloclab" exec -a 'nosuch{A=1}' -- "$sh" -c true
expect 2 "not NAME=BASE" "$alloclab" exec --variant 'x' -a glibc -- "$sh" -c true
expect 2 "without" "$alloclab" run -a 'jemalloc{MALLOC_CONF=x' -r 1
expect 2 "unknown base" "$alloclab" run -a 'arena{A=1}' -r 1
# THP mode in the context.
[ "$(python3 -c "import json; print(json.load(open('$tmp/var.json'))['context']['alloclab']['thp_enabled'] != '')")" = True ] \
  && ok || bad "no thp_enabled in the context"

# Server mode: the server under the allocator, the client's figure, the server's RSS and CPU.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
srv="$py $here/exec_test_server.py $port"
expect 0 "" "$alloclab" exec -a glibc,mempool-preload --reps 1 --server "$srv" --ready "tcp:127.0.0.1:$port" \
  --metric 'rps=rps ([0-9.]+):higher' --json "$tmp/srv.json" -- "$py" "$here/exec_test_client.py" "$port" 50
[ "$(rows "$tmp/srv.json" "sorted((b['allocator'], b['status'], b['exec']['malloc_owner'].split('/')[-1], b['exec']['metric']['value'] > 0, b['rss_peak_bytes'] > 0 and b['user_s'] + b['sys_s'] > 0) for b in rows)")" = \
  "[('glibc', 'ok', 'libc.so.6', True, True), ('mempool-preload', 'ok', 'liballoclab_mempool.so', True, True)]" ] \
  && ok || bad "server rows: $(head -c 900 "$tmp/srv.json")"
expect 0 "" "$alloclab" exec -a glibc --reps 1 --server "$srv" --ready 'regex:^listening' \
  -- "$py" "$here/exec_test_client.py" "$port" 5
# Not ready in time, exits early, port in use, non-loopback: clear errors.
expect 1 "not ready after 1 s" "$alloclab" exec -a glibc --reps 1 --ready-timeout 1 --server "$sh -c 'sleep 30'" \
  --ready "tcp:127.0.0.1:$port" -- "$sh" -c true
expect 1 "server exited before it was ready \(exit status 5\)" "$alloclab" exec -a glibc --reps 1 \
  --server "$sh -c 'exit 5'" --ready "tcp:127.0.0.1:$port" -- "$sh" -c true
expect 1 "server exited while the client ran" "$alloclab" exec -a glibc --reps 1 --server "$srv 0.5" \
  --ready "tcp:127.0.0.1:$port" -- "$sh" -c 'sleep 3'
expect 2 "not a loopback address" "$alloclab" exec --server "$srv" --ready tcp:8.8.8.8:53 -- "$sh" -c true
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$port)); s.listen(); time.sleep(8)" &
holder=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.2; done  # the holder listens (slow to start on a loaded machine)
expect 2 "already in use" "$alloclab" exec --server "$srv" --ready "tcp:127.0.0.1:$port" -- "$sh" -c true
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# Shards: every planned row on exactly one shard, for several N (exec and sweep).
for n in 1 2 3; do
  for k in $(seq 0 $((n - 1))); do
    "$alloclab" exec --variant 'x=glibc{B=1}' -a 'glibc,x,mempool-preload' \
      --reps 1 -q --shard "$k/$n" --json "$tmp/x$n.$k.json" -- "$sh" -c true || bad "exec shard $k/$n"
  done
  got=$(python3 -c "
import json,glob
names=[b['run_name'] for f in sorted(glob.glob('$tmp/x$n.*.json')) for b in json.load(open(f))['benchmarks'] if b['run_type']=='iteration']
print(len(names), len(set(names)))")
  [ "$got" = "3 3" ] && ok || bad "exec shards of $n: $got"
done
for k in 0 1; do
  "$alloclab" sweep -a glibc,mempool-preload --threads 1 --iters 2000 --keep 50,75 -r 1 -q --shard "$k/2" \
    --json "$tmp/s$k.json" || bad "sweep shard $k/2"
done
got=$(python3 -c "
import json
f=[json.load(open('$tmp/s%d.json' % k)) for k in (0, 1)]
names=[b['run_name'] for d in f for b in d['benchmarks'] if b['run_type']=='iteration' and b['allocator']!='null']
print(len(names), len(set(names)), [d['context']['alloclab']['shard']['index'] for d in f])")
[ "$got" = "4 4 [0, 1]" ] && ok || bad "sweep shards: $got"
# tb takes variants and --shard as run does (the same options, tools/cli_common).
for k in 0 1; do
  "$bin/tb" 1 2000 8 64 50 -a 'glibc,jemalloc{MALLOC_CONF=dirty_decay_ms:0},mempool' --rss-interval 0 -r 1 -q \
    --shard "$k/2" --json "$tmp/tb$k.json" || bad "tb shard $k/2"
done
got=$(python3 -c "
import json
rows=[(b['allocator'], b.get('settings', '')) for k in (0, 1) for b in json.load(open('$tmp/tb%d.json' % k))['benchmarks'] if b['run_type']=='iteration' and b['allocator']!='null']
print(len(rows), sorted(set(rows)) == sorted(rows), sorted(rows))")
[ "$got" = "3 True [('glibc', ''), ('jemalloc{MALLOC_CONF=dirty_decay_ms:0}', 'MALLOC_CONF=dirty_decay_ms:0'), ('mempool', '')]" ] \
  && ok || bad "tb variant and shards: $got"
expect 2 "unknown base" "$bin/tb" 1 2000 8 64 50 -a 'nosuch{A=1}' -r 1
env SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 "$alloclab" exec -a glibc,mempool-preload --reps 1 -q --shard auto \
  --json "$tmp/auto.json" -- "$sh" -c true || bad "--shard auto"
[ "$(rows "$tmp/auto.json" "[b['allocator'] for b in rows]")" = "['mempool-preload']" ] && ok || bad "--shard auto: slurm 1/2"
expect 2 "index 3 is not below the count 2" "$alloclab" exec --shard 3/2 -- "$sh" -c true
expect 2 "the count must be at least 1" "$alloclab" run --shard 0/0 -r 1
expect 2 "is not K/N" "$alloclab" sweep --shard junk -r 1

# report: two hosts' files stay apart (a host parameter on every group), and the mix is said.
python3 - "$tmp" <<'PY'
import json, sys
t = sys.argv[1]
for name, cpu in (("hostA", "CPU A"), ("hostB", "CPU B")):
    d = json.load(open(f"{t}/s0.json"))
    d["context"]["host_name"] = name
    d["context"]["alloclab"]["cpu_model"] = cpu
    json.dump(d, open(f"{t}/{name}.json", "w"))
PY
expect 0 "host=hostA" "$alloclab" report "$tmp/hostA.json" "$tmp/hostB.json"
grep -q "host=hostB" "$tmp/out" && grep -q "different machines" "$tmp/err" && ok || bad "report hosts: $(head -c 400 "$tmp/out")"
[ "$(grep -c '^### churn' "$tmp/out")" = "$(( 2 * $(grep -c '^### churn' <("$alloclab" report "$tmp/s0.json")) ))" ] && ok \
  || bad "report: hosts not kept in groups of their own"

# compare: a ratio across the two hosts is said to be one, and the gate refuses it unless told.
expect 0 "Across two machines" "$alloclab" compare "$tmp/hostA.json" "$tmp/hostB.json"
grep -q "new/base (across hosts)" "$tmp/out" && ok || bad "compare hosts: $(head -c 400 "$tmp/out")"
expect 2 "measured on different machines" "$alloclab" compare "$tmp/hostA.json" "$tmp/hostB.json" --fail-on-regression

finish
