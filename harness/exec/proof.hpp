// What liballoclab_exec_probe.so reported from inside a program (probe.c), judged: did the
// allocator under test own malloc in the program and in every program it started?
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace alloclab::exec {

inline constexpr const char* kProbeLibrary = "liballoclab_exec_probe.so";
inline constexpr const char* kProbeFileVar = "ALLOCLAB_EXEC_PROBE";
inline constexpr const char* kProbeExpectVar = "ALLOCLAB_EXEC_EXPECT";

struct Proof {
  std::string malloc_owner;  // in the program itself; empty: the probe never ran there
  std::uint64_t children = 0;
  std::uint64_t children_inherited = 0;
  std::string failure;  // why the row cannot count as the allocator's; empty: proven
};

// `report`: the probe's file; `top`: the program's pid; `owner`: the library that must own
// malloc (canonical path); `preloaded`: an allocator was preloaded (not glibc), so every child
// program must keep it; `allocator`: its name, for the messages; `own_api`: the non-standard
// allocating call of another allocator the program imports (ExecPlan::allocator_api), empty when
// none: then another allocator library loaded in the program itself serves it nothing (Debian's
// redis-server links libjemalloc for mallctl and nallocx only) and is no failure.
Proof judge_probe(const std::string& report, pid_t top, const std::string& owner, bool preloaded,
                  const std::string& allocator, const std::string& own_api);

// The library that owns malloc in this process (libc for alloclab), canonical.
std::string own_malloc_owner();

}  // namespace alloclab::exec
