#!/bin/sh
# Drop-in check: runs a real program with and without LD_PRELOAD of liballoclab_mempool.so and
# requires the same output. Usage: preload_check.sh python|git|cmake|mt LIB MT_PROGRAM
# Exit 77 (CTest: skipped) when the program is not installed.
set -u
case_=$1 lib=$2 mt=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run NAME CMD...: runs CMD twice, plain and preloaded, output into $tmp/NAME.{plain,pre}
run() {
  name=$1; shift
  (cd "$tmp" && "$@") > "$tmp/$name.plain" 2>&1 || { echo "plain run failed: $*"; cat "$tmp/$name.plain"; exit 1; }
  (cd "$tmp" && LD_PRELOAD="$lib" "$@") > "$tmp/$name.pre" 2>&1 || { echo "preloaded run failed: $*"; cat "$tmp/$name.pre"; exit 1; }
  diff -u "$tmp/$name.plain" "$tmp/$name.pre" || { echo "output differs under the preload: $*"; exit 1; }
}

need() { command -v "$1" > /dev/null 2>&1 || { echo "$1 not installed: skipped"; exit 77; }; }

# The preload must really own malloc, or every comparison below proves nothing.
owner=$(LD_PRELOAD="$lib" "$mt" --owner)
case $owner in
  *liballoclab_mempool*) ;;
  *) echo "malloc is provided by '$owner', not the preloaded library"; exit 1 ;;
esac

case $case_ in
  python)
    need python3
    cat > "$tmp/heavy.py" <<'PY'
import hashlib, json, random
random.seed(7)
d = {}
for i in range(60000):
    k = "k%d" % random.randrange(50000)
    d[k] = [random.random() for _ in range(random.randrange(8))] + ["x" * random.randrange(600)]
    if i % 3 == 0:
        d.pop("k%d" % random.randrange(50000), None)
big = [random.randbytes(n) for n in range(0, 3000000, 9973)]
blob = json.dumps(d, sort_keys=True).encode() + b"".join(big)
print(len(d), len(blob), hashlib.sha256(blob).hexdigest())
PY
    # PYTHONMALLOC=malloc: every object goes through malloc, not only the big ones.
    run py env PYTHONMALLOC=malloc python3 heavy.py
    ;;
  git)
    need git
    cat > "$tmp/git.sh" <<'SH'
set -e
export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@example.com
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
export GIT_CONFIG_NOSYSTEM=1 HOME="$PWD"
d=repo.$$; rm -rf "$d"; git init -q -b main "$d"; cd "$d"
for i in 1 2 3 4 5; do seq 1 $((i * 5000)) > "f$i.txt"; git add "f$i.txt"; git commit -q -m "commit $i"; done
sed -i 's/^1/one/' f5.txt; git commit -qam "edit"
git log --format='%H %s'; git diff HEAD~1 --stat; git gc -q; git fsck --no-progress 2>&1 | sort
cd ..; rm -rf "$d"
SH
    run git sh git.sh
    ;;
  cmake)
    need cmake
    mkdir -p "$tmp/proj"
    printf 'cmake_minimum_required(VERSION 3.16)\nproject(p LANGUAGES NONE)\nfile(GLOB_RECURSE _f "%s/*")\nlist(LENGTH _f _n)\nmessage(STATUS "configured")\n' "$tmp/proj" > "$tmp/proj/CMakeLists.txt"
    run version cmake --version
    cat > "$tmp/cm.sh" <<'SH'
set -e
rm -rf b; cmake -S proj -B b > log 2>&1; grep -c 'configured' log; rm -rf b
SH
    run configure sh cm.sh
    ;;
  mt)
    run mt "$mt"
    ;;
  *) echo "unknown case $case_"; exit 2 ;;
esac
echo "ok: $case_ output unchanged under the preload"
