#!/usr/bin/env bash
# Installs the Debian packages alloclab builds, tests and measures with. Idempotent: does
# nothing when everything is present. Called by `make bench` and `make test`.
#   --suite  also the real programs of `alloclab suite` (optional group; `make suite`)
set -euo pipefail

packages=(
  build-essential cmake g++ clang libclang-rt-14-dev python3 dpkg-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libbenchmark-dev libgtest-dev libboost-dev zlib1g-dev
  libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4 libtbbmalloc2
  git chromium valgrind
  # Google Benchmark's compare.py, which must read our files (tests/gbench_compat_test.sh); the
  # package only suggests python3 and its gbench module imports scipy (which pulls in numpy).
  libbenchmark-tools python3-scipy
)

# `alloclab suite`'s programs (harness/suite/programs.cpp); python3, g++ and sqlite3's peers are
# above. redis-tools holds redis-benchmark, the load for redis-server.
suite_packages=(redis-server redis-tools rocksdb-tools z3 ghostscript lua5.4 sqlite3)
for arg in "$@"; do
  case "$arg" in
    --suite) packages+=("${suite_packages[@]}") ;;
    *) echo "install-deps: unknown option '$arg' (known: --suite)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
