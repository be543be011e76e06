// The in-tree Arena exported through the C ABI with one line, under a name of its own (the
// in-process `arena` is registered too): the plugin_conformance_arena test runs the
// conformance suite on this .so.
#include "allocators/arena/arena.hpp"
#include "allocators/core/export_plugin.hpp"

ALLOCLAB_EXPORT_PLUGIN(alloclab::Arena, "arena_so")
