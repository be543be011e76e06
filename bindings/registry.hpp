// The plugin registry: the one place where allocator types are erased. An entry is built once
// per plugin type at static-initialisation time (bindings/register.hpp, from the declarations
// in allocators/*/CMakeLists.txt); the harness picks entries by name and calls `replay` once
// per thread, which runs a loop compiled for that type. The `ops` table (one indirect call per
// operation) serves the conformance suite, the micro-benchmarks and C ABI plugins, never the
// measured replay of an in-tree plugin.
#pragma once

#include <span>
#include <string_view>

#include "allocators/core/traits.hpp"
#include "workloads/registry.hpp"

namespace alloclab {

struct ThreadJob;  // workloads/replay.hpp

struct ErasedOps {
  void* (*create)(const Config&) = nullptr;  // nullptr when construction failed
  void (*destroy)(void* self) = nullptr;
  void* (*allocate)(void* self, std::size_t n, std::size_t align) = nullptr;
  void (*deallocate)(void* self, void* p, std::size_t n, std::size_t align) = nullptr;
  void* (*reallocate)(void* self, void* p, std::size_t o, std::size_t n, std::size_t al) = nullptr;
  void (*reset)(void* self) = nullptr;
};

using ReplayFn = void (*)(void* self, ThreadJob& job);

struct PluginEntry {
  Traits traits;
  ErasedOps ops;
  ReplayFn replay = nullptr;
  bool indirect = false;  // dispatch through `ops` (C ABI plugins)
};

inline std::string_view registry_name(const PluginEntry& e) { return e.traits.name; }

// Adds an entry; a duplicate name is a programming error and aborts at start-up.
void register_plugin(const PluginEntry& entry);

// Every entry, sorted by name.
std::span<const PluginEntry> registered_plugins();

const PluginEntry* find_plugin(std::string_view name);

}  // namespace alloclab
