#!/usr/bin/env bash
# `alloclab new-allocator` end to end: in a copy of the source tree, scaffold one plugin of each
# kind, build, and check that each passes its own tests and the conformance suite and is
# measured by `alloclab run --verify` — with no file outside its folder edited. Bad names are
# refused with one line and exit 2.
# usage: scaffold_test.sh SOURCE_DIR ALLOCLAB_EXE
set -u
src=${1:?usage: scaffold_test.sh SOURCE_DIR ALLOCLAB_EXE}
A=${2:?usage: scaffold_test.sh SOURCE_DIR ALLOCLAB_EXE}
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/test_lib.sh"

mkdir "$tmp/src"
tar -C "$src" --exclude='./build*' --exclude=./.git --exclude=./results -cf - . | tar -C "$tmp/src" -xf -
# Only the plugins a run needs (null, and glibc as the baseline) and the parts the scaffolded
# mix is made of (object_pool, glibc): keeps the build short.
for d in "$tmp"/src/allocators/*/; do
  case $(basename "$d") in core | null | glibc | object_pool) ;; *) rm -rf "$d" ;; esac
done
sed -i 's/ TESTS object_pool_test.cpp//' "$tmp/src/allocators/object_pool/CMakeLists.txt"  # its header only
S=$tmp/src

# Refusals: one line, exit 2, nothing written.
expect 2 "already registered" "$A" new-allocator glibc --dir "$S"
expect 2 "C\+\+ keyword" "$A" new-allocator class --dir "$S"
expect 2 "must start with a lowercase letter" "$A" new-allocator Mine --dir "$S"
expect 2 "must start with a lowercase letter" "$A" new-allocator 9lives --dir "$S"
expect 2 "must be a C identifier" "$A" new-allocator my-pool --dir "$S"
expect 2 "may hold only" "$A" new-allocator 'a.b' --dir "$S"
expect 2 "the name is empty" "$A" new-allocator '' --dir "$S"
expect 2 "longer than 32" "$A" new-allocator "$(printf 'a%.0s' $(seq 40))" --dir "$S"
expect 2 "is reserved" "$A" new-allocator core --dir "$S"
expect 2 "is not an alloclab source tree" "$A" new-allocator fine --dir "$tmp"
expect 2 "kind" "$A" new-allocator fine --kind slab --dir "$S"
expect 2 "name is required|required" "$A" new-allocator --dir "$S"
[ "$(cd "$S/allocators" && find . -mindepth 1 -maxdepth 1 -type d | sort | tr '\n' ' ')" = "./core ./glibc ./null ./object_pool " ] &&
  ok || bad "a refused name left files: $(ls -A "$S/allocators")"

for kind in general fixed arena mix; do
  expect 0 "created .*demo_$kind" "$A" new-allocator "demo_$kind" --kind "$kind" --dir "$S"
done
expect 2 "already exists" "$A" new-allocator demo_general --dir "$S"

cmake -S "$S" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Debug -DALLOCLAB_BUILD_MICRO=OFF >"$tmp/cfg.log" 2>&1 ||
  { bad "configure: $(tail -20 "$tmp/cfg.log")"; finish; exit 1; }
if ! cmake --build "$tmp/build" -j "${ALLOCLAB_JOBS:-2}" --target alloclab alloclab_tests >"$tmp/build.log" 2>&1; then
  bad "build: $(grep -E 'error|Error' "$tmp/build.log" | head -20)"; finish; exit 1
fi
grep -q "warning:" "$tmp/build.log" && bad "scaffolded code has warnings: $(grep -A3 warning: "$tmp/build.log" | head -20)" || ok
B=$tmp/build/bin
expect 0 "PASSED" "$B/alloclab_tests" --gtest_filter='*demo_*:*Demo*'
for kind in General Fixed Arena Mix; do
  grep -q "Demo${kind}Test\." "$tmp/out" && ok || bad "no unit tests ran for demo_${kind,,}"
  grep -q "Conformance.*/demo_${kind,,}" "$tmp/out" && ok || bad "no conformance tests ran for demo_${kind,,}"
done
expect 0 "demo_general .*free" "$B/alloclab" list
expect 0 "demo_general" "$B/alloclab" run -a demo_general --iters 20000 --reps 1 --verify --rss-interval 0
expect 0 "demo_fixed" "$B/alloclab" run -a demo_fixed --iters 20000 --reps 1 --verify --rss-interval 0
expect 0 "demo_arena" "$B/alloclab" run -a demo_arena -w frame --reps 1 --verify --rss-interval 0
expect 0 "demo_mix" "$B/alloclab" run -a demo_mix -w realloc --reps 1 --verify --rss-interval 0

finish
