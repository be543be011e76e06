// `alloclab list`: the registered allocators (capabilities, limits, availability) and
// workloads (parameters with defaults and bounds), as a table or JSON.
#pragma once

namespace alloclab::cli {

int print_list(bool json);

}  // namespace alloclab::cli
