#!/bin/bash
# alloclab suite end to end: --list, a --quick run of python and clang (tools/install-deps.sh's
# default group) through
# exec with the probe's proof, a program missing from a test-only PATH as an unavailable row
# naming its package, the report's suite section, and bad input (one line, exit 2).
# Usage: suite_test.sh BIN_DIR
set -u
bin=$1
alloclab="$bin/alloclab"
. "$(dirname "$0")/test_lib.sh"
jq_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); rows=[b for b in d['benchmarks'] if b['run_type']=='iteration']; print(eval(sys.argv[2]))" "$@"; }

# A PATH holding only python3 (the real binary, not a shim): lua5.4 and the rest are missing there.
mkdir -p "$tmp/path"
ln -s "$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')" "$tmp/path/python3"

expect 0 "^python +python3 " "$alloclab" suite --list
expect 0 "lua +lua5.4 .*unavailable: lua5.4 not found in PATH: install lua5.4" env PATH="$tmp/path" "$alloclab" suite --list
expect 2 "unknown program 'nope'" "$alloclab" suite nope
expect 2 "'python' is given twice" "$alloclab" suite python python
expect 2 "quiet without --json" "$alloclab" suite --quiet python
expect 2 "reps" "$alloclab" suite --reps 0 python
expect 2 "unknown allocator 'nosuch'" "$alloclab" suite --quick -a glibc,nosuch --reps 1 python

# Two programs, two allocators, two interleaved repetitions.
expect 0 "Program suite" "$alloclab" suite --quick python clang -a glibc,mempool-preload --reps 2 --json "$tmp/s.json"
grep -q "score" "$tmp/out" && ok || bad "no suite score in the table: $(cat "$tmp/out")"
[ "$(jq_field "$tmp/s.json" "sorted(set((b['params']['program'], b['allocator'], b['status']) for b in rows))")" = \
  "[('clang', 'glibc', 'ok'), ('clang', 'mempool-preload', 'ok'), ('python', 'glibc', 'ok'), ('python', 'mempool-preload', 'ok')]" ] \
  && ok || bad "rows: $(head -c 600 "$tmp/s.json")"
[ "$(jq_field "$tmp/s.json" "sorted(b['repetition_index'] for b in rows if b['allocator'] == 'glibc' and b['params']['program'] == 'python')")" = "[0, 1]" ] \
  && ok || bad "repetitions"
# The allocator served the programs.
[ "$(jq_field "$tmp/s.json" "set(b['exec']['malloc_owner'].split('/')[-1] for b in rows if b['allocator'] == 'mempool-preload')")" = \
  "{'liballoclab_mempool.so'}" ] && ok || bad "malloc owner"
# Each row's command is relative to the scratch folder (stable across runs), and names the input.
[ "$(jq_field "$tmp/s.json" "sorted(set(b['params']['command'].split()[-1] for b in rows))")" = "['dicts.py', 'templates.o']" ] \
  && ok || bad "commands: $(jq_field "$tmp/s.json" "set(b['params']['command'] for b in rows)")"
expect 0 "### Program suite" "$alloclab" report "$tmp/s.json"
grep -Eq "^\| python \| 1\.00× · 1\.00× \| [0-9.]+× · [0-9.]+× \|" "$tmp/out" && ok || bad "report's suite line: $(grep python "$tmp/out")"

# --shard: 0/2 and 1/2 together run every (program, allocator) row exactly once, and --dry-run
# lists the same rows without running anything.
expect 0 "4 rows × 2 repetitions = 8 runs" "$alloclab" suite --quick python clang -a glibc,mempool-preload --reps 2 --dry-run
expect 0 "exec/mempool-preload/program:python  ×1" "$alloclab" suite --quick python clang -a glibc,mempool-preload --reps 1 --shard 1/2 --dry-run
expect 0 "" "$alloclab" suite --quick python clang -a glibc,mempool-preload --reps 1 --shard 0/2 --quiet --json "$tmp/s0.json"
expect 0 "" "$alloclab" suite --quick python clang -a glibc,mempool-preload --reps 1 --shard 1/2 --quiet --json "$tmp/s1.json"
[ "$(python3 -c "
import json, sys
rows = [(b['params']['program'], b['allocator']) for f in sys.argv[1:] for b in json.load(open(f))['benchmarks'] if b['run_type'] == 'iteration' and b['status'] == 'ok']
print(len(rows), sorted(set(rows)) == sorted(rows), sorted(set(rows)))" "$tmp/s0.json" "$tmp/s1.json")" = \
  "4 True [('clang', 'glibc'), ('clang', 'mempool-preload'), ('python', 'glibc'), ('python', 'mempool-preload')]" ] \
  && ok || bad "shards: $(head -c 400 "$tmp/s0.json") / $(head -c 400 "$tmp/s1.json")"
jq_field "$tmp/s1.json" "None" >/dev/null && python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['context']['alloclab']['shard']['count'] == 2" "$tmp/s1.json" \
  && ok || bad "the shard is not in the context"
expect 2 "shard" "$alloclab" suite --quick python --shard 2/2
# The rows carry the hash of the generated input.
jq_field "$tmp/s0.json" "all(b['params'].get('input_hash', '').startswith('fnv1a64:') for b in rows)" | grep -q True \
  && ok || bad "no input hash in the rows"

# redis (server mode; Debian links redis-server to libjemalloc for mallctl): ok under glibc and a
# preload, each proven, with the client's figure.
if command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null; then
  expect 0 "" "$alloclab" suite --quick redis -a glibc,mempool-preload --reps 1 --quiet --json "$tmp/r.json"
  [ "$(jq_field "$tmp/r.json" "sorted((b['allocator'], b['status'], b['exec']['malloc_owner'].split('/')[-1], b['exec']['metric']['value'] > 0) for b in rows)")" = \
    "[('glibc', 'ok', 'libc.so.6', True), ('mempool-preload', 'ok', 'liballoclab_mempool.so', True)]" ] \
    && ok || bad "redis rows: $(head -c 600 "$tmp/r.json")"
else
  echo "redis-server or redis-benchmark missing: the redis case skipped"
fi

# A missing program: an unavailable row naming its package; the others still run; exit 0.
expect 0 "" env PATH="$tmp/path" "$alloclab" suite --quick lua python -a glibc --reps 1 --json "$tmp/u.json"
[ "$(jq_field "$tmp/u.json" "sorted((b['params']['program'], b['status']) for b in rows)")" = "[('lua', 'unavailable'), ('python', 'ok')]" ] \
  && ok || bad "unavailable rows: $(head -c 600 "$tmp/u.json")"
jq_field "$tmp/u.json" "[b['error'] for b in rows if b['status'] == 'unavailable'][0]" | grep -q "install lua5.4" \
  && ok || bad "the unavailable row does not name the package"

finish
