// The exit codes of every alloclab executable (alloclab, tb, alloclab-micro, the report
// commands), and the error that stands for bad input. Here, below harness and reports, so
// that all of them can include it.
#pragma once

#include <stdexcept>

namespace alloclab::model {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRowFailed = 1;  // a measured row crashed, failed verify, timed out;
                                          // for compare --fail-on-regression: a regression
inline constexpr int kExitUsage = 2;      // bad usage or input

// A bad value (command line or input file): main prints "<tool>: error: <what>" (one line)
// and exits kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace alloclab::model
