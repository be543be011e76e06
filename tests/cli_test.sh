#!/usr/bin/env bash
# CLI tests: help/version, every bad input (one line on stderr, exit 2), a real run whose JSON
# is checked for the Google Benchmark layout, and the crash/exit-code path.
# usage: cli_test.sh BIN_DIR
set -u
bin=${1:?usage: cli_test.sh BIN_DIR}
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

A=$bin/alloclab
TB=$bin/tb
small=(--iters 2000 --reps 1 --rss-interval 0)

expect 0 "alloclab" "$A" --help
expect 0 "^alloclab [0-9]" "$A" --version
expect 0 "tb" "$TB" --help
expect 0 "^tb \(alloclab" "$TB" --version
expect 0 "glibc" "$A" list
expect 0 "^  arena +[a-z,-]+ +1073741824 +4096 static " "$A" list  # max size, max align, dispatch
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

# Every entry point and option: out-of-range, empty, non-numeric, huge and contradictory values.
# Table: exit code | pattern | command (words split on spaces; {} is an empty argument).
while IFS='|' read -r code pattern cmd; do
  [ -z "$code" ] && continue
  read -ra words <<<"$cmd"
  for i in "${!words[@]}"; do [ "${words[$i]}" = "{}" ] && words[$i]=""; done
  case ${words[0]} in
    A) words[0]=$A ;; TB) words[0]=$TB ;;
    M) [ -x "$bin/alloclab-micro" ] || continue; words[0]=$bin/alloclab-micro ;;
  esac
  expect "$code" "$pattern" "${words[@]}"
done <<'T'
2|--timeout: 0 is out of range|A run --timeout 0 --iters 100 --reps 1
2|--timeout: 86401 is out of range|A run --timeout 86401 --iters 100 --reps 1
2|--timeout: 'x' is not a non-negative integer|A run --timeout x --iters 100 --reps 1
2|--reps: 1001 is out of range|A run --reps 1001 --iters 100
2|--reps: '' is not a non-negative integer|A run --reps {} --iters 100
2|--seed: '-5' is not a non-negative integer|A run --seed -5 --iters 100 --reps 1
2|--seed: '18446744073709551616' is too large|A run --seed 18446744073709551616 --iters 100 --reps 1
2|--rss-interval: 60001 is out of range|A run --rss-interval 60001 --iters 100 --reps 1
2|--max-rss: 'lots' is not a non-negative integer|A run --max-rss lots --iters 100 --reps 1
2|--max-rss: '18446744073709551616' is too large|A run --max-rss 18446744073709551616 --iters 100 --reps 1
2|--max-rss: 1000 bytes is below 1 MiB|A run --max-rss 1000 --iters 100 --reps 1
2|--max-size: '1.5' is not a non-negative integer|A run --max-size 1.5 --iters 100 --reps 1
2|--min-size: '0x10' is not a non-negative integer|A run --min-size 0x10 --iters 100 --reps 1
2|--iters: '5x' is not a non-negative integer|A run --iters 5x --reps 1
2|--allocator: empty list|A run -a , --iters 100 --reps 1
2|unknown allocator 'all'|A run -a all,glibc --iters 100 --reps 1
2|--baseline: unknown allocator 'nosuch'|A run --baseline nosuch --iters 100 --reps 1
2|--quiet without --json|A run -q --iters 100 --reps 1
2|--touch: '' is not one of|A run --touch {} --iters 100 --reps 1
2|unknown workload ''|A run --workload {} --iters 100 --reps 1
2|--plugin|A run --plugin /nonexistent.so --iters 100 --reps 1
2|--plugin|A list --plugin /nonexistent.so
2|--plugin|A sweep --plugin /nonexistent.so --iters 100 --reps 1
2|range '8..4' runs backwards|A sweep --threads 8..4 --iters 100 --reps 1
2|range step 'x1' would never advance|A sweep --threads 1..8:x1 --iters 100 --reps 1
2|lists several values; use alloclab sweep|A run --threads 1,2 --iters 100 --reps 1
2|--latency: '-1' is not a non-negative integer|A run --latency -1 --iters 100 --reps 1
2|--measure: 'cycles' is not one of|A run --measure cycles --iters 100 --reps 1
2|error|A list --frobnicate
2|error|A run --iters
2|error|A run --iters 5 5
2|error|A report
2|error|A report /nonexistent.json
2|error|A compare /nonexistent.json
2|error|A compare /nonexistent.json /nonexistent2.json
2|error|A new-allocator
2|is a C\+\+ keyword|A new-allocator delete
2|error|A new-allocator ok_name --kind weird
2|error|TB 1 2 3 4 5 6
2|'' is not a non-negative integer|TB {} 1000 8 256 75 --reps 1
2|'18446744073709551616' is too large|TB 1 18446744073709551616 8 256 75 --reps 1
2|--max-rss: 'x' is not a non-negative integer|TB 1 1000 8 256 75 --max-rss x
2|--preload needs an allocator name|M --preload
2|nosuch: no such plugin|M --preload nosuch
2|not a production allocator|M --preload=null
2|--duration and --iters together|A run --duration 10s --iters 100 --reps 1
2|--duration: '0s' is no time at all|A run --duration 0s --reps 1
2|--duration: '-5m' is not a whole number|A run --duration=-5m --reps 1
2|--duration: '10x' is not a whole number|A run --duration 10x --reps 1
2|--duration: '10' is not a whole number|A run --duration 10 --reps 1
2|--duration: '25h' is beyond the limit of 24h|A run --duration 25h --reps 1
2|--duration: workload 'xmalloc' does not stream|A run --workload xmalloc --duration 10s --reps 1
T

# A results file that cannot be written is an error, not a silent loss.
expect 2 "cannot write '/dev/full'|cannot write '/dev/full'" "$A" run -a null --iters 100 --reps 1 --rss-interval 0 --json /dev/full

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
# A large plan: --dry-run lists every row and runs nothing; without it the plan is announced.
expect 0 "^128 rows × 3 repetitions = 384 child processes \(dry run" "$A" sweep -a glibc --threads 1..32:+1 --max-size 16,32 --reps 3 --dry-run
[ "$(grep -c '^churn/glibc/threads:' "$tmp/out")" = 64 ] && [ "$(grep -c '^churn/null/' "$tmp/out")" = 64 ] && ok || bad "dry run lists each row once: $(head -3 "$tmp/out")"
expect 0 "" "$A" run -a glibc --iters 100 --reps 1 --dry-run --json "$tmp/dry.json"
[ ! -e "$tmp/dry.json" ] && ok || bad "a dry run wrote its results file"
expect 0 "plan: 51 parameter sets, 102 rows × 1 repetitions = 102 child processes" "$A" sweep -a glibc --max-size 16..66:+1 --iters 100 --reps 1 --rss-interval 0 -q --json "$tmp/plan.json"
grep -q "the first of 51 parameter sets took" "$tmp/err" && ok || bad "no estimate after the first parameter set: $(head -c 300 "$tmp/err")"
if python3 - "$tmp/s.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
combos = {(r["params"]["threads"], r["params"]["max_size"]) for r in rows if r["allocator"] == "glibc"}
assert combos == {(1, 16), (1, 64), (2, 16), (2, 64)}, combos
PY
then ok; else bad "sweep JSON"; fi

# --size-histogram (dist 3): the row carries the file; one size of 5000 bytes and keep 0 make
# the peak live bytes exactly 5000, so the child drew from the parent's histogram.
printf '# one size\n5000 1  # weight\n\n' >"$tmp/one.hist"
expect 0 "size_histogram=.*one.hist" "$A" run -a glibc,mempool --keep 0 --size-histogram "$tmp/one.hist" "${small[@]}" --verify --json "$tmp/h.json"
if python3 - "$tmp/h.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
assert len(rows) == 3, rows
for r in rows:
    assert r["status"] == "ok", r
    assert r["params"]["dist"] == 3 and r["params"]["size_histogram"].endswith("one.hist"), r
    assert (r["params"]["min_size"], r["params"]["max_size"]) == (5000, 5000), r
    assert "/dist:3/hist:one.hist/" in r["name"], r["name"]
    assert r["peak_live_bytes"] == 5000, r
PY
then ok; else bad "size histogram rows"; fi
printf '16 1\n64-4096 x\n' >"$tmp/bad.hist"
expect 2 "bad.hist:2: weight 'x' is not a non-negative number" "$A" run --size-histogram "$tmp/bad.hist" "${small[@]}"
expect 2 "no bin with a positive weight" "$A" run --size-histogram /dev/null "${small[@]}"
expect 2 "cannot open it: No such file" "$A" run --size-histogram "$tmp/none.hist" "${small[@]}"
expect 2 "outside --min-size 8 .. --max-size 256" "$A" run --size-histogram "$tmp/one.hist" --max-size 256 "${small[@]}"
expect 2 "--dist 3 draws sizes from a histogram" "$A" run --dist 3 "${small[@]}"
expect 2 "--dist 3 draws sizes from a histogram" "$A" run --dist histogram "${small[@]}"
expect 2 "unknown distribution 'zipf'" "$A" run --dist zipf "${small[@]}"
expect 0 "churn dist=pow2 " "$A" run --dist pow2 "${small[@]}"
expect 2 "no run has --dist 3" "$A" run --dist 1 --size-histogram "$tmp/one.hist" "${small[@]}"
expect 2 "workload 'fixed' has no size distribution" "$A" run -w fixed --size-histogram "$tmp/one.hist" "${small[@]}"
expect 0 "size_histogram=.*one.hist" "$A" sweep -a glibc --dist 0,3 --size-histogram "$tmp/one.hist" "${small[@]}" --json "$tmp/hs.json"
expect 0 "size_histogram=" "$TB" 1 2000 8 8192 50 -a glibc --size-histogram "$tmp/one.hist" --reps 1 --rss-interval 0

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

# A repeated allocator would silently double its repetitions: refused, naming it.
expect 2 "--allocator: 'glibc' is listed twice" "$A" run -a glibc,null,glibc "${small[@]}"
# tb always runs churn: --workload and --trace are refused, not ignored.
expect 2 "--workload: tb runs the churn workload only" "$TB" 1 2000 8 64 50 -a glibc --reps 1 -w replay
expect 2 "--trace: tb runs the churn workload only" "$TB" 1 2000 8 64 50 -a glibc --reps 1 --trace "$tmp/one.hist"
# --json over the --size-histogram it reads (the same name, or another link to the file).
cp "$tmp/one.hist" "$tmp/in.hist"
ln "$tmp/in.hist" "$tmp/in-link.hist"
for out in "$tmp/in.hist" "$tmp/in-link.hist"; do
  expect 2 "--json: .* is the --size-histogram file" "$A" run -a glibc --size-histogram "$tmp/in.hist" "${small[@]}" --json "$out"
done
cmp -s "$tmp/one.hist" "$tmp/in.hist" && ok || bad "run --json over its --size-histogram changed it"
# `run`'s table and `report` of the file it wrote show the same medians (one summary for both).
"$A" run -a glibc,mempool --iters 5000 --reps 3 --rss-interval 0 --json "$tmp/same.json" >"$tmp/same.txt" 2>&1
"$A" report "$tmp/same.json" --csv "$tmp/same.csv" --md /dev/null >/dev/null 2>&1
for alloc in glibc mempool null; do
  csv_median=$(awk -F, -v a="$alloc" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "median_ns_per_op") c = i; next }
                                       $4 == a { printf "%.1f", $c }' "$tmp/same.csv")
  label=$alloc; [ "$alloc" = null ] && label="null (harness)"
  table_median=$(awk -v l="$label" 'index($0, l " ") == 1 { s = substr($0, length(l) + 1); split(s, f, " "); print f[1] }' "$tmp/same.txt")
  if [ -n "$csv_median" ] && [ "$csv_median" = "$table_median" ]; then ok
  else bad "$alloc: run's table says '$table_median' ns/op, report's CSV '$csv_median'"; fi
done
# Outputs never replace what is not a regular file: /dev/null stays a device, a symlink a link.
ln -s "$tmp/target.md" "$tmp/link.md"
expect 0 "" "$A" report "$tmp/same.json" --md "$tmp/link.md"
[ -L "$tmp/link.md" ] && grep -q "mempool" "$tmp/target.md" && ok || bad "report --md through a symlink"
[ -c /dev/null ] && ok || bad "/dev/null is no longer a character device"
expect 2 "cannot write '/dev/full'" "$A" report "$tmp/same.json" --csv /dev/full
mkdir "$tmp/adir"
expect 2 "is a directory" "$A" report "$tmp/same.json" --html "$tmp/adir"

# A size histogram of 20000 bins: the child's spec travels on an inherited file, not in argv
# (where execve refused it with E2BIG and every row failed with "child exited with status 127").
awk 'BEGIN { for (i = 0; i < 20000; i++) print 16 + i, 1 + i % 7 }' >"$tmp/big.hist"
expect 0 "size_histogram=.*big.hist" "$A" run -a glibc,mempool --size-histogram "$tmp/big.hist" "${small[@]}" --json "$tmp/big.json"
if python3 - "$tmp/big.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
assert sorted(r["allocator"] for r in rows) == ["glibc", "mempool", "null"], rows
for r in rows:
    assert r["status"] == "ok", r
    assert (r["params"]["min_size"], r["params"]["max_size"]) == (16, 20015), r["params"]
PY
then ok; else bad "20000-bin size histogram rows"; fi

# alloclab-micro: an unknown flag is bad usage (exit 2), as in every alloclab executable.
if [ -x "$bin/alloclab-micro" ]; then
  expect 2 "nosuchflag" "$bin/alloclab-micro" --nosuchflag
fi
# Issue 15: names that are not UTF-8 cannot go into a JSON results file: refused, never exit 134.
bad_name=$'bad\xffname'
cp "$tmp/one.hist" "$tmp/$bad_name"
expect 2 "is not valid UTF-8" "$A" run -a glibc --size-histogram "$tmp/$bad_name" "${small[@]}"
expect 2 "is not valid UTF-8" "$A" run -a glibc -w replay --trace "$tmp/$bad_name" "${small[@]}"
expect 2 "bad.xffname.json' is not valid UTF-8" "$A" run -a glibc "${small[@]}" --json "$tmp/$bad_name.json"
expect 2 "is not valid UTF-8" "$TB" 1 2000 8 64 50 -a glibc --reps 1 --json "$tmp/$bad_name.json"
[ ! -e "$tmp/$bad_name.json" ] && ok || bad "a refused --json name was written"
# An endless or huge input is refused, not read into memory.
expect 2 "/dev/zero: not a results file" "$A" report /dev/zero
expect 2 "/dev/zero: not a results file" "$A" compare /dev/zero "$tmp/same.json"
# A write error on stdout or stderr is an error: exit 2, one line, never an abort or a silent 0.
if [ -w /dev/full ]; then
  full() {  # full CODE-WANTED STREAM CMD...: run CMD with STREAM (1 or 2) on /dev/full
    local stream=$1; shift
    if [ "$stream" = 1 ]; then "$@" >/dev/full 2>"$tmp/err"; else "$@" 2>/dev/full >"$tmp/out"; fi
    local got=$?
    if [ "$got" = 2 ] && { [ "$stream" = 2 ] || [ "$(wc -l <"$tmp/err")" = 1 ]; }; then ok
    else bad "$* with fd $stream on /dev/full -> exit $got: $(head -c 300 "$tmp/err")"; fi
  }
  full 1 "$A" list
  full 1 "$A" list --json
  full 1 "$A" --help
  full 1 "$A" run -a glibc "${small[@]}"
  full 1 "$TB" 1 2000 8 64 50 -a glibc --reps 1 --rss-interval 0
  full 1 "$A" report "$tmp/same.json"
  full 1 "$A" compare "$tmp/same.json" "$tmp/same.json"
  full 2 "$A" run -a glibc "${small[@]}" --threads 0
  full 2 "$A" record -o "$tmp/full.trace" -- /nonexistent-program
  [ -x "$bin/alloclab-micro" ] && full 1 "$bin/alloclab-micro" --list-plugins
fi
# `-` is standard output for --json too: the JSON alone there, the table on stderr.
"$A" run -a glibc "${small[@]}" --json - >"$tmp/dash.json" 2>"$tmp/dash.err"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["benchmarks"]' "$tmp/dash.json" &&
   grep -q glibc "$tmp/dash.err" && [ ! -e ./- ]; then ok; else bad "run --json - did not write JSON to stdout"; fi
expect 2 "--output: '-' \(standard output\) is the recorded program's" "$A" record -o - -- true

# report refuses impossible figures, repeated repetitions and one name on two allocators, by name.
row() {  # row NAME ALLOCATOR INDEX REAL_TIME [EXTRA_JSON]
  printf '{"name":"%s","run_type":"iteration","allocator":"%s","workload":"w","repetition_index":%s,"real_time":%s%s}' \
    "$1" "$2" "$3" "$4" "${5:-}"
}
gb() { printf '{"benchmarks":[%s]}' "$1" >"$tmp/$2"; }
gb "$(row w/a a 0 -5)" neg.json
expect 2 "neg.json: benchmarks\[0\] \(w/a\): -5 ns/op is not possible" "$A" report "$tmp/neg.json"
gb "$(row w/a a 0 1e308)" huge.json
expect 2 "huge.json: benchmarks\[0\] \(w/a\): 1e\+308 ns/op is not possible" "$A" report "$tmp/huge.json"
gb "$(row w/a a 0 10 ',"rss_peak_bytes":-1')" rss.json
expect 2 "rss.json: benchmarks\[0\] \(w/a\): rss_peak_bytes: -1 is not possible" "$A" report "$tmp/rss.json"
gb "$(row w/a a 0 10),$(row w/a a 0 11)" dup.json
expect 2 "dup.json: benchmarks\[1\] \(w/a\): repetition_index 0 of this name appears twice" "$A" report "$tmp/dup.json"
gb "$(row w/x a 0 10),$(row w/x b 1 11)" two.json
expect 2 "two.json: benchmarks\[1\] \(w/x\): allocator 'b' on workload 'w', where .*two.json has 'a'" "$A" report "$tmp/two.json"
gb "$(row w/x a 0 10)" mine.json
gb "$(row w/x b 0 10)" other.json
expect 2 "other.json: benchmarks\[0\] \(w/x\): allocator 'b' on workload 'w', where .*mine.json has 'a'" "$A" report "$tmp/mine.json" "$tmp/other.json"

# Markdown never passes HTML from a results file through; CSV cells never start a formula.
python3 - "$tmp/same.json" "$tmp/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["context"]["host_name"] = "</details><script>alert(1)</script>"
for r in d["benchmarks"]:
    r["allocator"] = "=HYPERLINK(\"http://x\")" if r["allocator"] == "glibc" else r["allocator"]
json.dump(d, open(sys.argv[2], "w"))
PY
"$A" report "$tmp/evil.json" --md "$tmp/evil.md" --csv "$tmp/evil.csv" 2>"$tmp/err"
if grep -q '&lt;/details&gt;&lt;script&gt;' "$tmp/evil.md" && ! grep -q '<script>' "$tmp/evil.md"; then ok
else bad "Markdown passed raw HTML from the context: $(grep -n script "$tmp/evil.md")"; fi
if grep -q "\"'=HYPERLINK" "$tmp/evil.csv" && ! grep -Eq '(^|,)"?=' "$tmp/evil.csv"; then ok
else bad "CSV cell starts a formula: $(grep -n HYPERLINK "$tmp/evil.csv" | head -2)"; fi

# compare --fail-on-regression never passes on nothing.
gb "$(row w/a a 0 10),$(row w/a a 1 11)" gate-base.json
gb "$(row w/z a 0 10),$(row w/z a 1 11)" gate-other.json
expect 2 "no row name is in both files" "$A" compare "$tmp/gate-base.json" "$tmp/gate-other.json" --fail-on-regression
gb "$(row w/a a 0 10),$(row w/a a 1 11),$(row w/b a 0 10),$(row w/b a 1 11)" gate-more.json
expect 2 "1 row \(first: w/b\) of base missing from new" "$A" compare "$tmp/gate-more.json" "$tmp/gate-base.json" --fail-on-regression
expect 0 "" "$A" compare "$tmp/gate-more.json" "$tmp/gate-base.json" --fail-on-regression --allow-missing

# report: an output that is an input, or another output of the same command, is refused and
# nothing is written (today's run of report would have replaced its own input).
cp "$tmp/same.json" "$tmp/inout.json"
expect 2 "--md: .* is the results file this report reads" "$A" report "$tmp/inout.json" --md "$tmp/inout.json"
cmp -s "$tmp/same.json" "$tmp/inout.json" && ok || bad "report --md over its input changed it"
ln -s "$tmp/inout.json" "$tmp/inout-link.json"
expect 2 "--html: .* is the results file this report reads" "$A" report "$tmp/inout.json" --html "$tmp/inout-link.json"
expect 2 "--html: .* is also the --md output" "$A" report "$tmp/same.json" --md "$tmp/both.out" --html "$tmp/both.out"
[ ! -e "$tmp/both.out" ] && ok || bad "report wrote an output it refused"

# --measure instructions: a cycle counter under callgrind would time callgrind (refused); the
# count does not move between repetitions, so one unless --reps is given (valgrind out of PATH:
# rows unavailable, but the JSON still says how many repetitions were planned).
expect 2 "--latency: cannot time operations under --measure instructions" "$A" run --measure instructions --latency 8 --iters 100
expect 2 "--latency: cannot time operations under --measure instructions" "$A" run --latency 8 --measure instructions --iters 100 --reps 3
for reps in "" "--reps 3"; do
  # shellcheck disable=SC2086  # $reps: no option, or two words
  PATH=/nonexistent "$A" run -a glibc --measure instructions --iters 100 --rss-interval 0 $reps --json "$tmp/counted.json" >/dev/null 2>&1
  want=${reps#--reps }; want=${want:-1}
  got=$(python3 -c 'import json,sys; print(sorted({r["repetitions"] for r in json.load(open(sys.argv[1]))["benchmarks"]}))' "$tmp/counted.json")
  [ "$got" = "[$want]" ] && ok || bad "--measure instructions ${reps:-without --reps}: repetitions $got, wanted [$want]"
done

finish
