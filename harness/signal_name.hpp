// "SIGSEGV" for a signal number, or "signal N" where the C library has no name for it: how a
// crashed child, probe or program is named in every row.
#pragma once

#include <string.h>

#include <fmt/format.h>
#include <string>

namespace alloclab {

inline std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

}  // namespace alloclab
