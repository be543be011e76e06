#include "templates.hpp"

namespace alloclab::scaffold {

const std::string_view kCMakeLists = R"tpl(# Discovered by allocators/CMakeLists.txt: no other file needs an edit. The declaration is the
# whole registration: it makes each of TYPES appear, under its traits.name, in `alloclab list`,
# every workload it fits, the conformance suite and the micro-benchmarks (the glue is generated
# into build/generated/bindings/@NAME@.cpp). A variant is one more type on the line, e.g. the
# same allocator behind one mutex, registered as "@NAME@_locked" (allocators/core/locked.hpp):
#   TYPES alloclab::@TYPE@ alloclab::Locked<alloclab::@TYPE@>
# Add LIBRARIES <targets...> when the allocator links a library.
alloclab_add_allocator(@NAME@ HEADER @NAME@.hpp TYPES alloclab::@TYPE@ TESTS @NAME@_test.cpp)
)tpl";

}  // namespace alloclab::scaffold
