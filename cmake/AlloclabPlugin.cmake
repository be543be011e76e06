# alloclab_add_allocator(NAME SOURCES <glue .cpp...> [TESTS <gtest .cpp...>] [LIBRARIES <targets...>])
#
# Called from allocators/<name>/CMakeLists.txt, which allocators/CMakeLists.txt discovers on its
# own: adding a plugin touches no file outside its folder. SOURCES (the registration glue) go
# into the object library every executable links, so the plugin shows up in `alloclab list`,
# every workload, the conformance suite and the micro suite. TESTS join the unit-test binary.
function(alloclab_add_allocator name)
  cmake_parse_arguments(ARG "" "" "SOURCES;TESTS;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "alloclab_add_allocator(${name}): SOURCES is required")
  endif()
  list(TRANSFORM ARG_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  target_sources(alloclab_plugins PRIVATE ${ARG_SOURCES})
  if(ARG_LIBRARIES)
    target_link_libraries(alloclab_plugins PUBLIC ${ARG_LIBRARIES})
  endif()
  if(ARG_TESTS)
    list(TRANSFORM ARG_TESTS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
    set_property(GLOBAL APPEND PROPERTY ALLOCLAB_PLUGIN_TESTS ${ARG_TESTS})
  endif()
endfunction()
