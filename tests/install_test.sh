#!/usr/bin/env bash
# The installed package serves out-of-tree plugins: `cmake --install` the dev component to a
# temporary prefix, build tests/out_of_tree/ (find_package(alloclab), a C plugin .so) against
# it, and measure that plugin with `alloclab run --plugin`.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d /tmp/alloclab-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
die() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" --component dev >"$tmp/install.log" 2>&1 ||
  die "install: $(cat "$tmp/install.log")"
for f in include/alloclab/allocators/core/alloclab_plugin.h include/alloclab/allocators/core/allocator.hpp \
         include/alloclab/workloads/register.hpp lib/cmake/alloclab/alloclabConfig.cmake; do
  [ -f "$tmp/prefix/$f" ] || die "not installed: $f"
done
cmake -S "$src/tests/out_of_tree" -B "$tmp/oot" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/cfg.log" 2>&1 ||
  die "configure against the package: $(tail -20 "$tmp/cfg.log")"
cmake --build "$tmp/oot" >"$tmp/build.log" 2>&1 || die "build: $(tail -20 "$tmp/build.log")"
so=$tmp/oot/liboot_bump.so
[ -f "$so" ] || die "no plugin built"
"$build/bin/alloclab" run --plugin "$so" -a oot_bump -w frame --reps 1 --rss-interval 0 --verify \
  --json "$tmp/r.json" >"$tmp/out" 2>&1 || die "run: $(cat "$tmp/out")"
python3 - "$tmp/r.json" <<'PY' || die "results"
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"]
        if r["run_type"] == "iteration" and r["allocator"] == "oot_bump"]
assert rows and all(r["status"] == "ok" and r["dispatch"] == "indirect" for r in rows), rows
PY
echo "install + out-of-tree plugin: ok"
