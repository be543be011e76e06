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
function(alloclab_strategy name)
  cmake_parse_arguments(ARG "C_ABI" "" "HEADERS;SOURCES;LIBRARIES" ${ARGN})
  set(target alloclab_strategy_${name})
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
          ${_core}/locked.hpp ${_core}/named.hpp ${_core}/size_classed.hpp ${_core}/export_plugin.hpp)

alloclab_strategy(arena
  HEADERS allocators/arena/arena.hpp allocators/arena/align.hpp allocators/arena/os_pages.hpp
  LIBRARIES alloclab::plugin)
alloclab_strategy(object_pool
  HEADERS allocators/object_pool/object_pool.hpp allocators/object_pool/fixed_pool.hpp
          allocators/object_pool/pool_core.hpp
  LIBRARIES alloclab::plugin)
alloclab_strategy(chunk_pool
  HEADERS allocators/chunk_pool/chunk_pool.hpp allocators/chunk_pool/chunk_layout.hpp
          allocators/chunk_pool/thread_cache.hpp
  LIBRARIES alloclab::plugin Threads::Threads)

set(_mp allocators/mempool)
# The same heap.cpp as allocators/mempool's alloclab_mempool (the in-tree plugin's copy), built
# here so the package's target carries install-safe usage requirements.
alloclab_strategy(mempool
  SOURCES ${_mp}/heap.cpp
  HEADERS ${_mp}/heap.hpp ${_mp}/mempool_allocator.hpp ${_mp}/central_cache.hpp
          ${_mp}/page_heap.hpp ${_mp}/page_map.hpp ${_mp}/size_classes.hpp ${_mp}/span.hpp
          ${_mp}/spin_lock.hpp ${_mp}/system_memory.hpp ${_mp}/thread_cache.hpp
  LIBRARIES alloclab::plugin Threads::Threads)
set_target_properties(alloclab_strategy_mempool PROPERTIES OUTPUT_NAME alloclab_mempool_heap)
