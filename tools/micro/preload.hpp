// `alloclab-micro --preload NAME`: a production allocator measured as deployed (a deployment,
// harness/deployments.hpp). The parent finds its library and re-executes this program with
// LD_PRELOAD of it (harness/preload.hpp, the launcher `alloclab run` uses); the child registers
// the glibc plugin's benchmarks under the deployment's name, after proving with dladdr that
// malloc really resolves into that library (never silently measuring glibc instead).
#pragma once

#include <string>

#include "harness/deployments.hpp"

namespace alloclab::micro {

// Set in the child's environment to the deployment's name.
inline constexpr const char* kPreloadedAsEnv = "ALLOCLAB_MICRO_PRELOADED_AS";

// Parent side. Replaces this process by `/proc/self/exe argv...` with LD_PRELOAD and
// kPreloadedAsEnv set. Returns only on failure, with the one-line reason (library missing:
// names the Debian package to install).
std::string exec_with_preload(const Deployment& d, char** argv);

// Child side: empty when malloc comes from the deployment's library, else the one-line reason.
std::string check_malloc_owner(const Deployment& d);

}  // namespace alloclab::micro
