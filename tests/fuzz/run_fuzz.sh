#!/usr/bin/env bash
# A short libFuzzer run: new inputs go to a scratch directory, the kept corpus is read only.
# A crash leaves its input in ARTIFACT_DIR (default: the build's fuzz-artifacts/); copy it into
# tests/fuzz/corpus/<target>/ once fixed, and it is replayed by every build from then on.
# usage: run_fuzz.sh FUZZER CORPUS_DIR SECONDS [ARTIFACT_DIR]
set -eu
fuzzer=$1 corpus=$2 seconds=$3 artifacts=${4:-$PWD/fuzz-artifacts}
scratch=$(mktemp -d /tmp/alloclab-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
# A fixed seed: a run that finds something can be repeated (FUZZ_SEED=0 picks one at random).
"$fuzzer" "$scratch" "$corpus" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$artifacts/$(basename "$fuzzer")-" -print_final_stats=1
