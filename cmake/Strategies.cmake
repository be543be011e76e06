# The strategies as libraries for other projects, in the build tree and (cmake/Install.cmake) in
# the installed package, find_package(alloclab):
#   alloclab::plugin        the C ABI header, the concept, traits, adapters, ALLOCLAB_EXPORT_PLUGIN
#   alloclab::arena         header-only: Arena, ArenaScratch
#   alloclab::object_pool   header-only: ObjectPool<T>, FixedPool
#   alloclab::chunk_pool    header-only: ChunkPool
#   alloclab::mempool       static library: the tcmalloc-like heap (mempool::allocate, ...)
# Each target installs exactly the headers it lists (ALLOCLAB_PACKAGE_HEADERS): what a consumer
# needs, never the harness's. Include paths stay rooted: #include "allocators/arena/arena.hpp".
include(GNUInstallDirs)
set(ALLOCLAB_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/alloclab)
set_property(GLOBAL PROPERTY ALLOCLAB_PACKAGE_HEADERS "")

# alloclab_strategy(<export name> [C_ABI] HEADERS <repo-relative headers...> [SOURCES <.cpp...>]
#                   [LIBRARIES <targets...>])
# Target alloclab_strategy_<name>, alias alloclab::<name>; INTERFACE unless SOURCES are given.
# C_ABI: usable from C, so no C++ standard is required of the consumer.
# Called from an allocator folder, HEADERS and SOURCES are relative to that folder.
function(alloclab_strategy name)
  cmake_parse_arguments(ARG "C_ABI" "" "HEADERS;SOURCES;LIBRARIES" ${ARGN})
  set(target alloclab_strategy_${name})
  if(NOT CMAKE_CURRENT_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
    file(RELATIVE_PATH _folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    list(TRANSFORM ARG_HEADERS PREPEND ${_folder}/)
    list(TRANSFORM ARG_SOURCES PREPEND ${_folder}/)
  endif()
  if(ARG_SOURCES)
    list(TRANSFORM ARG_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/)
    add_library(${target} STATIC ${ARG_SOURCES})
    set(scope PUBLIC)
    target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:alloclab_warnings>)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  add_library(alloclab::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${target} ${scope}
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:${ALLOCLAB_INSTALL_INCLUDEDIR}>)
  if(NOT ARG_C_ABI)
    target_compile_features(${target} ${scope} cxx_std_20)
  endif()
  if(ARG_LIBRARIES)
    target_link_libraries(${target} ${scope} ${ARG_LIBRARIES})
  endif()
  set_property(GLOBAL APPEND PROPERTY ALLOCLAB_PACKAGE_HEADERS ${ARG_HEADERS})
  set_property(GLOBAL APPEND PROPERTY ALLOCLAB_PACKAGE_TARGETS ${target})
endfunction()

set(_core allocators/core)
alloclab_strategy(plugin C_ABI
  HEADERS ${_core}/alloclab_plugin.h ${_core}/allocator.hpp ${_core}/traits.hpp ${_core}/asan.hpp
          ${_core}/assert.hpp ${_core}/locked.hpp ${_core}/named.hpp ${_core}/size_classed.hpp ${_core}/export_plugin.hpp
          ${_core}/mix_parts.hpp ${_core}/segregator.hpp ${_core}/fallback.hpp)

# The strategies declare their package targets in their own folders (allocators/<name>/
# CMakeLists.txt), so a tree without a folder simply offers no target for it.
