#!/usr/bin/env bash
# The installed package, used as a stranger would: `cmake --install` into a temporary prefix,
# then, from that prefix only,
#   - tests/install_consumer/ through find_package(alloclab): every installed header compiled on
#     its own, a program using Arena, ObjectPool, ChunkPool and the mempool heap (its output
#     checked), and a C++ type exported as a plugin with ALLOCLAB_EXPORT_PLUGIN;
#   - tests/out_of_tree/: a plugin written in C against alloclab_plugin.h;
#   - the installed alloclab: both plugins with --verify, mempool-preload (its library installed
#     in lib/) and `record` of the consumer (likewise).
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d /tmp/alloclab-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
die() { echo "FAIL: $*"; exit 1; }
prefix=$tmp/prefix
alloclab=$prefix/bin/alloclab

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  die "install: $(tail -20 "$tmp/install.log")"
for f in bin/alloclab lib/liballoclab_mempool.so lib/liballoclab_record.so \
         lib/cmake/alloclab/alloclabConfig.cmake; do
  [ -f "$prefix/$f" ] || die "not installed: $f"
done
# The package holds the strategies and allocators/core, nothing of the harness.
stray=$(cd "$prefix/include/alloclab" && find . -type f | grep -Ev '^\./allocators/' || true)
[ -z "$stray" ] || die "headers outside allocators/ installed: $stray"

# build NAME SOURCE_SUBDIR: configure and build a project against the prefix only.
build_against() {
  cmake -S "$src/tests/$2" -B "$tmp/$1" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    >"$tmp/$1.cfg.log" 2>&1 || die "$2: configure against the package: $(tail -20 "$tmp/$1.cfg.log")"
  cmake --build "$tmp/$1" -j2 >"$tmp/$1.build.log" 2>&1 ||
    die "$2: build against the package: $(grep -m5 -E 'error|Error' "$tmp/$1.build.log")"
}
build_against consumer install_consumer
headers=$(sed -n 's/^-- package headers: //p' "$tmp/consumer.cfg.log")
[ "${headers:-0}" -ge 20 ] || die "only ${headers:-0} installed headers were compiled"

"$tmp/consumer/consumer" >"$tmp/consumer.out" 2>&1 || die "consumer: $(cat "$tmp/consumer.out")"
expected='arena save/restore: ok
object_pool create/destroy: ok
chunk_pool allocate/deallocate: ok
mempool allocate/stats/validate: ok'
[ "$(cat "$tmp/consumer.out")" = "$expected" ] || die "consumer printed: $(cat "$tmp/consumer.out")"

build_against oot out_of_tree

# run NAME ARGS...: the installed alloclab, results in $tmp/NAME.json, every row ok.
run() {
  local name=$1; shift
  "$alloclab" run "$@" --reps 1 --rss-interval 0 --json "$tmp/$name.json" >"$tmp/$name.out" 2>&1 ||
    die "alloclab run $*: $(tail -5 "$tmp/$name.out")"
  python3 - "$tmp/$name.json" "$@" <<'PY' || die "$name: results"
import json, sys
args = sys.argv[2:]
wanted = set(args[args.index("-a") + 1].split(","))
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_type"] == "iteration"]
assert wanted <= {r["allocator"] for r in rows}, (wanted, rows)
assert all(r["status"] == "ok" for r in rows), [(r["allocator"], r["status"], r["error"]) for r in rows]
if "--plugin" in args:  # a C ABI plugin is called through its table
    assert all(r["dispatch"] == "indirect" for r in rows if r["allocator"] in wanted), rows
PY
}
run c_plugin --plugin "$tmp/oot/liboot_bump.so" -a oot_bump -w frame --verify
run cxx_plugin --plugin "$tmp/consumer/libstack_plugin.so" -a stack -w frame --verify
run preload -a mempool-preload,glibc --iters 2000

# The consumer's own heap calls (stdio, ObjectPool's blocks) through the installed recorder.
"$alloclab" record -o "$tmp/consumer.trace" -- "$tmp/consumer/consumer" >"$tmp/record.out" 2>&1 ||
  die "alloclab record: $(tail -5 "$tmp/record.out")"
grep -Eq '^alloclab record: [1-9][0-9]* calls' "$tmp/record.out" && [ -s "$tmp/consumer.trace" ] ||
  die "record: $(tail -5 "$tmp/record.out")"
echo "install: $headers headers, consumer, C and C++ plugins, mempool-preload, record: ok"
