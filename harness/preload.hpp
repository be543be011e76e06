// Production allocators run under LD_PRELOAD of their Debian library. The parent finds the
// library; the child proves the library really owns malloc before it measures anything, so a
// failed preload is a loud error and never a silent glibc measurement.
#pragma once

#include <string>

#include "allocators/core/registry.hpp"

namespace alloclab {

// Absolute path of the library, searched in the system library directories and in this
// executable's ../lib (libraries alloclab builds itself); empty when not installed.
std::string find_preload_library(const Preload& p);

// "5.3.0-1" from dpkg, or "" (not a Debian package, or dpkg unavailable).
std::string package_version(std::string_view package);

// Why the allocator cannot be measured: library missing (naming the package to install), or
// a sanitizer build (its runtime must own malloc). Empty when it can.
std::string preload_unavailable(const Preload& p);

// In the child: empty when `malloc` resolves into `library`, else the reason.
std::string check_malloc_owner(const std::string& library);

}  // namespace alloclab
