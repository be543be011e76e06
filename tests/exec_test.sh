#!/bin/bash
# alloclab exec end to end: ok rows with the probe's proof under glibc and mempool-preload, a
# static program refused, a program that clears LD_PRELOAD for its child, --metric, --timeout,
# non-zero exit, and bad input (one line, exit 2).
# Usage: exec_test.sh BIN_DIR
set -u
bin=$1
alloclab="$bin/alloclab"
. "$(dirname "$0")/test_lib.sh"
sh=$(command -v sh)
jq_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); rows=[b for b in d['benchmarks'] if b['run_type']=='iteration']; print(eval(sys.argv[2]))" "$@"; }

# A program that prints its own figure, and allocates.
expect 0 "" "$alloclab" exec -a glibc,mempool-preload --reps 2 --json "$tmp/ok.json" \
  --metric 'score=score ([0-9.]+):higher' -- "$sh" -c 'echo hello >/dev/null; echo "score 42.5"'
if [ "$(jq_field "$tmp/ok.json" "sorted(set((b['allocator'], b['status']) for b in rows))")" = \
     "[('glibc', 'ok'), ('mempool-preload', 'ok')]" ]; then ok; else bad "ok rows: $(cat "$tmp/out")"; fi
# The owner of malloc: libc under glibc, the mempool library under mempool-preload.
owners=$(jq_field "$tmp/ok.json" "sorted(set((b['allocator'], b['exec']['malloc_owner'].split('/')[-1]) for b in rows))")
case "$owners" in
  "[('glibc', 'libc.so.6'), ('mempool-preload', 'liballoclab_mempool.so')]") ok ;;
  *) bad "malloc owners: $owners" ;;
esac
[ "$(jq_field "$tmp/ok.json" "set(b['exec']['metric']['value'] for b in rows)")" = "{42.5}" ] && ok || bad "metric not extracted"
[ "$(jq_field "$tmp/ok.json" "len(rows)")" = 4 ] && ok || bad "not 2 reps x 2 allocators"
# Two repetitions of each, indexed 0 and 1 (the file groups them by row name).
order=$(jq_field "$tmp/ok.json" "[(b['allocator'][0], b['repetition_index']) for b in rows]")
[ "$order" = "[('g', 0), ('g', 1), ('m', 0), ('m', 1)]" ] && ok || bad "rows: $order"
# The report reads the file.
expect 0 "mempool-preload" "$alloclab" report "$tmp/ok.json"

# A child that clears LD_PRELOAD: the row says the children did not inherit the allocator.
expect 1 "children did not inherit mempool-preload" "$alloclab" exec -a mempool-preload --reps 1 \
  --json "$tmp/clear.json" -- "$sh" -c 'env -u LD_PRELOAD true'
[ "$(jq_field "$tmp/clear.json" "(rows[0]['exec']['children'] >= 1, rows[0]['exec']['children_inherited'] < rows[0]['exec']['children'])")" = "(True, True)" ] \
  && ok || bad "children counts: $(cat "$tmp/clear.json" | head -c 400)"
# A child that keeps it: ok, every child inherited.
expect 0 "" "$alloclab" exec -a mempool-preload --reps 1 --json "$tmp/keep.json" -- "$sh" -c 'env true'
[ "$(jq_field "$tmp/keep.json" "rows[0]['exec']['children'] == rows[0]['exec']['children_inherited'] >= 1")" = True ] \
  && ok || bad "children did not all inherit"

# --timeout: a timeout row, the group killed (the background sleep too).
start=$(date +%s)
expect 1 "timeout" "$alloclab" exec -a glibc --reps 1 --timeout 1 -- "$sh" -c 'sleep 30 & sleep 30'
[ $(( $(date +%s) - start )) -lt 10 ] && ok || bad "timeout did not stop the program"
# A non-zero exit: failed with its status and stderr; a signal: crashed.
expect 1 "exit status 3: oops" "$alloclab" exec -a glibc --reps 1 -- "$sh" -c 'echo oops >&2; exit 3'
expect 1 "crashed" "$alloclab" exec -a glibc --reps 1 -- "$sh" -c 'kill -SEGV $$'
# A metric that never matches.
expect 1 "never matched" "$alloclab" exec -a glibc --reps 1 --metric 'x=nothing ([0-9]+)' -- "$sh" -c 'echo hi'
# --env reaches the program, --cwd and --stdin too.
echo "input line" >"$tmp/in.txt"
expect 0 "" "$alloclab" exec -a glibc --reps 1 --env ALLOCLAB_TEST_V=7 --cwd "$tmp" --stdin "$tmp/in.txt" \
  --metric 'v=v=([0-9]+) ' --json "$tmp/env.json" -- "$sh" -c 'read l; [ "$l" = "input line" ] && [ -f in.txt ] && echo "v=$ALLOCLAB_TEST_V "'
[ "$(jq_field "$tmp/env.json" "rows[0]['exec']['metric']['value']")" = 7.0 ] && ok || bad "--env/--cwd/--stdin"

# Bad input: one line, exit 2, nothing run.
expect 2 "not found" "$alloclab" exec -- no-such-program-here
expect 2 "bad regular expression" "$alloclab" exec --metric 'x=(' -- "$sh" -c true
expect 2 "no capture group" "$alloclab" exec --metric 'x=[0-9]+' -- "$sh" -c true
expect 2 "NAME=VALUE" "$alloclab" exec --env NOEQUALS -- "$sh" -c true
expect 2 "unknown allocator" "$alloclab" exec -a nosuch -- "$sh" -c true
expect 2 "in-process plugin" "$alloclab" exec -a mempool -- "$sh" -c true

# A program linked to libjemalloc (as Debian links redis-server): glibc and a preloaded allocator
# still serve it when it calls only jemalloc's control API (mallctl); calling jemalloc's own
# allocating API (mallocx) binds it to jemalloc, a failed row naming the call.
je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
if [ -e "$je" ] && cc -o "$tmp/je_ctl" -x c - -x none "$je" 2>/dev/null <<'C' && cc -o "$tmp/je_own" -x c - -x none "$je" 2>/dev/null <<'C2'
#include <stdlib.h>
#include <stddef.h>
int mallctl(const char*, void*, size_t*, void*, size_t);
int main(void) { const char* v; size_t n = sizeof v; void* p = malloc(100); free(p); return mallctl("version", &v, &n, NULL, 0); }
C
#include <stdlib.h>
void* mallocx(size_t, int);
void dallocx(void*, int);
int main(void) { void* p = mallocx(100, 0); dallocx(p, 0); return 0; }
C2
then
  expect 0 "" "$alloclab" exec -a glibc,mempool-preload --reps 1 -q --json "$tmp/je.json" -- "$tmp/je_ctl"
  [ "$(python3 -c "import json,sys; print(sorted((b['allocator'], b['status'], b['exec']['malloc_owner'].split('/')[-1]) for b in json.load(open(sys.argv[1]))['benchmarks'] if b['run_type'] == 'iteration'))" "$tmp/je.json")" = \
    "[('glibc', 'ok', 'libc.so.6'), ('mempool-preload', 'ok', 'liballoclab_mempool.so')]" ] && ok || bad "jemalloc-linked rows: $(head -c 600 "$tmp/je.json")"
  expect 1 "bound to its own allocator: it loads .*libjemalloc.so.2 and calls its (mallocx|dallocx)" \
    "$alloclab" exec -a mempool-preload --reps 1 -- "$tmp/je_own"
else
  echo "libjemalloc.so.2 or cc unavailable: the jemalloc-linked case skipped"
fi

# A statically linked program: a failed row saying so (skip when cc -static cannot link).
if printf 'int main(void){return 0;}\n' >"$tmp/s.c" && cc -static -o "$tmp/static" "$tmp/s.c" 2>/dev/null; then
  expect 1 "statically linked" "$alloclab" exec -a glibc,mempool-preload --reps 1 -- "$tmp/static"
  finish
else
  finish || exit 1
  echo "cc -static unavailable: the static case skipped"
  exit 77
fi
