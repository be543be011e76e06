#include "templates.hpp"

namespace alloclab::scaffold {

const std::string_view kPluginCpp = R"tpl(// Registration glue: the only file of this plugin that meets the harness. Registering the
// type makes it appear in `alloclab list`, every workload it fits, the conformance suite and
// the micro-benchmarks.
#include "@NAME@.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::@TYPE@);
)tpl";

const std::string_view kCMakeLists = R"tpl(# Discovered by allocators/CMakeLists.txt: no other file needs an edit.
alloclab_add_allocator(@NAME@ SOURCES plugin.cpp TESTS @NAME@_test.cpp)
)tpl";

}  // namespace alloclab::scaffold
