// The plugin registry: the one place where allocator types are erased. An entry is built once
// per plugin type at static-initialisation time (see workloads/register.hpp); the harness picks
// entries by name and calls `replay` once per thread, which runs a loop compiled for that type.
// The `ops` table (one indirect call per operation) serves the conformance suite, the
// micro-benchmarks and C ABI plugins, never the measured replay of an in-tree plugin.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "traits.hpp"

namespace alloclab {

struct ThreadJob;  // defined by workloads/replay.hpp; opaque here so core stays at the bottom

struct ErasedOps {
  void* (*create)(const Config&) = nullptr;  // nullptr when construction failed
  void (*destroy)(void* self) = nullptr;
  void* (*allocate)(void* self, std::size_t n, std::size_t align) = nullptr;
  void (*deallocate)(void* self, void* p, std::size_t n, std::size_t align) = nullptr;
  void* (*reallocate)(void* self, void* p, std::size_t o, std::size_t n, std::size_t al) = nullptr;
  void (*reset)(void* self) = nullptr;
};

using ReplayFn = void (*)(void* self, ThreadJob& job);

// A production allocator measured the way it is deployed: LD_PRELOAD of a Debian library into
// a child that runs the `glibc` plugin's malloc/free.
struct Preload {
  std::string_view library;  // soname searched in the system library directories
  std::string_view package;  // Debian package that ships it
};

struct PluginEntry {
  Traits traits;
  ErasedOps ops;
  ReplayFn replay = nullptr;
  Preload preload{};     // library empty: runs in-process
  bool indirect = false;  // dispatch through `ops` (C ABI plugins)
};

// Adds an entry; a duplicate name is a programming error and aborts at start-up.
void register_plugin(const PluginEntry& entry);

// Every entry, sorted by name.
std::span<const PluginEntry> registered_plugins();

const PluginEntry* find_plugin(std::string_view name);

}  // namespace alloclab
