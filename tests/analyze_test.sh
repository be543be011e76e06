#!/usr/bin/env bash
# `alloclab analyze` and `run --workload synth`: a recorded program analysed, its spec written
# and run, the measurement beside it; bad traces and bad specs refused (one line, exit 2,
# nothing written).
# usage: analyze_test.sh BIN_DIR
set -u
bin=${1:?usage: analyze_test.sh BIN_DIR}
A=$bin/alloclab
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

command -v python3 >/dev/null || { echo "python3 not installed: skipped"; exit 77; }
expect 0 "" "$A" record --output "$tmp/py.trace" -- python3 -c 'd = [str(i) * (i % 50) for i in range(30000)]; print(len(d))'

# The analysis alone, its JSON and the spec.
expect 0 "recommendations:" "$A" analyze "$tmp/py.trace" --no-measure --json "$tmp/a.json" --workload-out "$tmp/py.spec"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); a=j["analysis"]; assert a["allocations"] > 0 and a["recommendations"], a' \
  "$tmp/a.json" && ok || bad "analysis JSON"
expect 0 "synth/glibc/threads:1/iters:2000/spec:py.spec" "$A" run --workload synth --spec "$tmp/py.spec" --iters 2000 -a glibc --reps 1 --json -
expect 0 "synth/glibc/threads:3" "$A" run --workload synth --spec "$tmp/py.spec" --threads 3 --iters 2000 -a glibc --reps 1 --json -

# Backed by replays: a mix not in this build is a row saying so, not a silent substitute.
expect 0 "recommendations, measured:" "$A" analyze "$tmp/py.trace" -a glibc,mempool --reps 1 --json "$tmp/m.json" --html "$tmp/m.html"
grep -q "Heap behaviour" "$tmp/m.html" && ok || bad "HTML lacks the analysis"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["benchmarks"] and j["analysis"]["recommendations"][0]["backing"]' \
  "$tmp/m.json" && ok || bad "measured JSON"

# A saved analysis rendered again without the trace (text, Markdown, HTML); a malformed one
# refused with one line, nothing written.
expect 0 "recommendations, measured:" "$A" analyze "$tmp/m.json" --md "$tmp/m.md" --html "$tmp/m2.html"
grep -q "### Recommendations" "$tmp/m.md" && grep -q "measured: " "$tmp/m.md" && grep -q "× glibc" "$tmp/m.md" \
  && ok || bad "Markdown of a saved analysis"
grep -q "Heap behaviour" "$tmp/m2.html" && ok || bad "HTML of a saved analysis"
expect 0 "recommendations:" "$A" analyze "$tmp/a.json" --md "$tmp/a.md"
python3 - "$tmp/m.json" "$tmp/nokey.json" "$tmp/neg.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
k = json.loads(json.dumps(j)); del k["analysis"]["lifo_share"]; json.dump(k, open(sys.argv[2], "w"))
n = json.loads(json.dumps(j)); n["analysis"]["size_classes"][0]["freed"] = -1; json.dump(n, open(sys.argv[3], "w"))
PY
expect 2 "missing key 'lifo_share'" "$A" analyze "$tmp/nokey.json" --md "$tmp/bad.md"
expect 2 "analysis.size_classes\[0\].freed" "$A" analyze "$tmp/neg.json" --md "$tmp/bad.md"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); j["benchmarks"] = 5; json.dump(j, open(sys.argv[2], "w"))' \
  "$tmp/m.json" "$tmp/badrow.json"
expect 2 "badrow.json" "$A" analyze "$tmp/badrow.json" --md "$tmp/bad.md"
head -c 200 "$tmp/m.json" > "$tmp/cut.json"
expect 2 "not JSON" "$A" analyze "$tmp/cut.json" --md "$tmp/bad.md"
[ ! -e "$tmp/bad.md" ] && ok || bad "Markdown written for a malformed analysis"
expect 2 "need the trace" "$A" analyze "$tmp/m.json" --reps 2

# Bad traces: empty, truncated, another version, not a file.
: > "$tmp/empty.trace"
expect 2 "empty.trace" "$A" analyze "$tmp/empty.trace" --no-measure
head -c 100 "$tmp/py.trace" > "$tmp/cut.trace"
expect 2 "cut.trace" "$A" analyze "$tmp/cut.trace" --no-measure
cp "$tmp/py.trace" "$tmp/v2.trace" && printf '\002' | dd of="$tmp/v2.trace" bs=1 seek=8 conv=notrunc 2>/dev/null
expect 2 "version" "$A" analyze "$tmp/v2.trace" --no-measure
expect 2 "" "$A" analyze /nonexistent.trace --no-measure
expect 2 "--json" "$A" analyze "$tmp/py.trace" --no-measure --json /nonexistent-dir/x.json
[ ! -e "$tmp/none.spec" ] && ok || bad "a spec was written for a bad trace"
expect 2 "empty.trace" "$A" analyze "$tmp/empty.trace" --no-measure --workload-out "$tmp/none.spec"
[ ! -e "$tmp/none.spec" ] && ok || bad "a spec was written for a bad trace"

# Bad specs.
echo '{"alloclab_workload_spec": 1,' > "$tmp/bad.spec"
expect 2 "not JSON" "$A" run --workload synth --spec "$tmp/bad.spec" -a glibc --reps 1
echo '{"alloclab_workload_spec": 1, "threads": []}' > "$tmp/bad.spec"
expect 2 "zero threads" "$A" run --workload synth --spec "$tmp/bad.spec" -a glibc --reps 1
python3 - "$tmp/py.spec" "$tmp/neg.spec" "$tmp/long.spec" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
neg = json.loads(json.dumps(s)); neg["threads"][0]["sizes"][0][2] = -1
json.dump(neg, open(sys.argv[2], "w"))
long = json.loads(json.dumps(s)); t = long["threads"][0]; t["lifetimes"][0]["bins"].append([1, t["allocations"] + 1, 1])
json.dump(long, open(sys.argv[3], "w"))
PY
expect 2 "negative" "$A" run --workload synth --spec "$tmp/neg.spec" -a glibc --reps 1
expect 2 "beyond" "$A" run --workload synth --spec "$tmp/long.spec" -a glibc --reps 1
expect 2 "needs --spec" "$A" run --workload synth -a glibc --reps 1
expect 2 "takes no file" "$A" run --workload churn --spec "$tmp/py.spec" -a glibc --reps 1
finish
