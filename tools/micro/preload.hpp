// `alloclab-micro --preload NAME`: a production allocator measured as deployed. The parent finds
// the peer's Debian library and re-executes this program with LD_PRELOAD of it; the child
// registers the glibc plugin's benchmarks under the peer's name, after proving with dladdr that
// malloc really resolves into that library (never silently measuring glibc instead).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "allocators/core/registry.hpp"

namespace alloclab::micro {

// Set in the child's environment to the peer's name.
inline constexpr const char* kPreloadedAsEnv = "ALLOCLAB_MICRO_PRELOADED_AS";

// The full path of `soname` in the system library directories or this executable's ../lib;
// nullopt when it is in none of them.
std::optional<std::string> find_library(std::string_view soname);

// Parent side. pre: !peer.preload.library.empty(). Replaces this process by
// `/proc/self/exe argv...` with LD_PRELOAD and kPreloadedAsEnv set. Returns only on failure,
// with the one-line reason (library missing: names the Debian package to install).
std::string exec_with_preload(const PluginEntry& peer, char** argv);

// Child side: empty when malloc comes from peer.preload.library, else the one-line reason.
std::string check_malloc_owner(const PluginEntry& peer);

}  // namespace alloclab::micro
