// reports/output.hpp — a report file that cannot be written (model/atomic_file.hpp writes them).
#pragma once

#include <stdexcept>

namespace alloclab::reports {

struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace alloclab::reports
