# `cmake --install`: the executables, and (component `dev`) what an out-of-tree plugin needs —
# the interface headers, the C ABI header and a CMake package:
#   find_package(alloclab) -> target alloclab::plugin (INTERFACE: the include directory).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ALLOCLAB_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/alloclab)
set(ALLOCLAB_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/alloclab)

add_library(alloclab_plugin_api INTERFACE)
add_library(alloclab::plugin ALIAS alloclab_plugin_api)
target_include_directories(alloclab_plugin_api INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:${ALLOCLAB_INSTALL_INCLUDEDIR}>)
set_target_properties(alloclab_plugin_api PROPERTIES EXPORT_NAME plugin)

install(TARGETS alloclab tb RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
file(GLOB _core_headers ${PROJECT_SOURCE_DIR}/allocators/core/*.hpp)
install(FILES ${_core_headers} ${PROJECT_SOURCE_DIR}/allocators/core/alloclab_plugin.h
        DESTINATION ${ALLOCLAB_INSTALL_INCLUDEDIR}/allocators/core COMPONENT dev)
install(FILES workloads/register.hpp workloads/replay.hpp workloads/trace.hpp workloads/sync.hpp
        DESTINATION ${ALLOCLAB_INSTALL_INCLUDEDIR}/workloads COMPONENT dev)
install(TARGETS alloclab_plugin_api EXPORT alloclabTargets COMPONENT dev)
install(EXPORT alloclabTargets NAMESPACE alloclab:: DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR}
        COMPONENT dev)
configure_package_config_file(cmake/alloclabConfig.cmake.in
  ${PROJECT_BINARY_DIR}/alloclabConfig.cmake INSTALL_DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/alloclabConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/alloclabConfig.cmake ${PROJECT_BINARY_DIR}/alloclabConfigVersion.cmake
        DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR} COMPONENT dev)
