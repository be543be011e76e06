#!/usr/bin/env bash
# `alloclab check`: glibc passes every required check; a deliberately broken malloc
# (tests/plugins/broken_malloc.c) fails exactly the checks of what it breaks; a check that
# crashes is a row; bad usage exits 2 with one line. Usage: check_test.sh BIN_DIR BROKEN_SO
set -u
bin=$1 broken=$2
. "$(dirname "$0")/test_lib.sh"
alloclab=$bin/alloclab

# The rows of a --json file as "allocator check verdict status" lines.
rows() {
  python3 -c '
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    print(b["allocator"], b["check"], b["verdict"], b["status"])' "$1"
}

# glibc: every required check passes (exit 0), the rows are in the file, the report has them.
expect 0 "malloc_alignment +pass" "$alloclab" check -a glibc --json "$tmp/glibc.json"
rows "$tmp/glibc.json" >"$tmp/glibc.rows"
if grep -q " fail " "$tmp/glibc.rows"; then bad "glibc failed a check: $(grep ' fail ' "$tmp/glibc.rows")"; else ok; fi
required=$("$bin/alloclab-check-probe" --list | grep -c ' required$')
if [ "$(grep -c ' pass ' "$tmp/glibc.rows")" -ge "$required" ]; then ok; else bad "glibc passed fewer than $required checks"; fi
expect 0 "Conformance checks" "$alloclab" report "$tmp/glibc.json"
expect 0 "double_free" "$alloclab" report "$tmp/glibc.json"

# The broken library fails exactly aligned_alloc, calloc_zeroes and realloc_contents.
expect 1 "aligned_alloc" "$alloclab" check --preload-lib "$broken" --json "$tmp/broken.json"
name=$(basename "$broken")
failed=$(rows "$tmp/broken.json" | awk '$3 == "fail" { print $2 }' | sort | tr '\n' ' ')
if [ "$failed" = "aligned_alloc calloc_zeroes realloc_contents " ]; then ok; else bad "broken lib failed: '$failed'"; fi
if rows "$tmp/broken.json" | grep >/dev/null "^$name "; then ok; else bad "rows not under the file name $name"; fi
if grep -q 'aligned to' "$tmp/broken.json"; then ok; else bad "the aligned_alloc evidence names no alignment"; fi

# A crash is a row: malloc(3001) raises SIGSEGV in the broken library.
BROKEN_MALLOC_CRASH_SIZE=3001 expect 1 "" "$alloclab" check --preload-lib "$broken" --check malloc_alignment,free_null \
  --json "$tmp/crash.json"
if rows "$tmp/crash.json" | grep >/dev/null "malloc_alignment fail crashed"; then ok; else bad "no crashed row: $(rows "$tmp/crash.json")"; fi
if grep -q 'SIGSEGV.*during: malloc(3001)' "$tmp/crash.json"; then ok; else bad "crash evidence lacks the call: $(cat "$tmp/crash.json")"; fi
if rows "$tmp/crash.json" | grep >/dev/null "free_null pass ok"; then ok; else bad "the next check did not run in a fresh process"; fi

# A hang is a row, within --timeout: malloc(3001) never returns.
BROKEN_MALLOC_HANG_SIZE=3001 expect 1 "" "$alloclab" check --preload-lib "$broken" --check malloc_alignment \
  --timeout 2 --json "$tmp/hang.json"
if rows "$tmp/hang.json" | grep >/dev/null "malloc_alignment fail timeout"; then ok; else bad "no timeout row: $(rows "$tmp/hang.json")"; fi

# Bad usage: one line, exit 2.
expect 2 "unknown allocator" "$alloclab" check -a nosuch
expect 2 "not a file" "$alloclab" check --preload-lib "$tmp/missing.so"
expect 2 "unknown check" "$alloclab" check -a glibc --check nosuch
expect 2 "in-process plugin" "$alloclab" check -a arena
finish
