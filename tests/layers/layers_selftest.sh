#!/usr/bin/env bash
# The layer check can fail: in a scratch tree with the README's table, an allocator that
# includes the workloads, a relative include that climbs into the harness and a report that
# includes the harness are each reported, and a clean tree passes.
# usage: layers_selftest.sh LAYERS_CHECK README
set -u
check=${1:?usage: layers_selftest.sh LAYERS_CHECK README}
readme=${2:?usage: layers_selftest.sh LAYERS_CHECK README}
# shellcheck source=tests/test_lib.sh
source "$(dirname "$0")/../test_lib.sh"

mkdir -p "$tmp/allocators/core" "$tmp/allocators/mine" "$tmp/workloads" "$tmp/harness" "$tmp/reports" "$tmp/model"
cp "$readme" "$tmp/README.md"
printf '#pragma once\n' > "$tmp/allocators/core/traits.hpp"
printf '#pragma once\n' > "$tmp/workloads/replay.hpp"
printf '#pragma once\n' > "$tmp/harness/runner.hpp"
printf '#pragma once\n#include "allocators/core/traits.hpp"\n' > "$tmp/model/keys.hpp"
printf '#include "model/keys.hpp"\n' > "$tmp/reports/ok.cpp"
printf '#pragma once\n#include "allocators/core/traits.hpp"\n#include "mine_detail.hpp"\n' > "$tmp/allocators/mine/mine.hpp"
printf '#pragma once\n' > "$tmp/allocators/mine/mine_detail.hpp"

# model/ may include nothing of ours: the one arrow in this tree so far.
expect 1 'model/keys.hpp:2: includes "allocators/core/traits.hpp"' "$check" "$tmp"
rm "$tmp/model/keys.hpp"
expect 0 "no forbidden include" "$check" "$tmp"

# A mix may include the strategies it mixes (another allocator folder), not the layers above.
mkdir -p "$tmp/allocators/mymix"
printf '#pragma once\n#include "allocators/mine/mine.hpp"\n#include "allocators/core/traits.hpp"\n' > "$tmp/allocators/mymix/mymix.hpp"
expect 0 "no forbidden include" "$check" "$tmp"

printf '#include "workloads/replay.hpp"\n' >> "$tmp/allocators/mine/mine.hpp"
expect 1 'allocators/mine/mine.hpp:4: includes "workloads/replay.hpp": allocators/\*/ may not include' "$check" "$tmp"
sed -i '$d' "$tmp/allocators/mine/mine.hpp"

printf '#include "../../harness/runner.hpp"\n' > "$tmp/allocators/mine/sneaky.cpp"
expect 1 'may not include harness/runner.hpp' "$check" "$tmp"
rm "$tmp/allocators/mine/sneaky.cpp"

printf '#include "harness/runner.hpp"\n' >> "$tmp/reports/ok.cpp"
expect 1 'reports/ok.cpp:2: .*reports/ may not include harness/runner.hpp' "$check" "$tmp"

# A README without the table is bad input, not a pass.
printf '# no layout here\n' > "$tmp/README.md"
expect 2 "no layer table" "$check" "$tmp"
finish
