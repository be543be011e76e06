// The files `alloclab new-allocator` writes, embedded in the executable. Placeholders:
//   @NAME@   the plugin's name (lowercase, as typed)     @TYPE@   its C++ type (CamelCase)
//   @SUITE@  its GoogleTest suite name
#pragma once

#include <span>
#include <string_view>

namespace alloclab::scaffold {

// One kind of starting point: the allocator header and its unit test.
struct KindTemplate {
  std::string_view kind;     // "general", "fixed", "arena", "mix"
  std::string_view summary;  // for --help
  std::string_view header;   // allocators/@NAME@/@NAME@.hpp
  std::string_view test;     // allocators/@NAME@/@NAME@_test.cpp
};

extern const KindTemplate kGeneral;
extern const KindTemplate kFixed;
extern const KindTemplate kArena;
extern const KindTemplate kMix;

// Shared by every kind.
extern const std::string_view kCMakeLists;  // allocators/@NAME@/CMakeLists.txt: the declaration

}  // namespace alloclab::scaffold
