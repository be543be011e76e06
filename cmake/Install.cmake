# `cmake --install`:
#   component runtime  bin/alloclab, bin/tb and, in lib/ beside bin/, the libraries they preload
#                      (liballoclab_mempool.so for mempool-preload, liballoclab_record.so for
#                      `alloclab record`, liballoclab_exec_probe.so for `alloclab exec`), found
#                      there through the executable's ../lib.
#   component dev      the package find_package(alloclab): the targets of cmake/Strategies.cmake
#                      and the headers they list, nothing of the harness.
include(CMakePackageConfigHelpers)

set(ALLOCLAB_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/alloclab)

install(TARGETS alloclab tb RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
# Literally lib/, not CMAKE_INSTALL_LIBDIR (lib/x86_64-linux-gnu under /usr): the executables
# look in ../lib. Sanitizer builds build neither library.
foreach(_preloaded alloclab_mempool_shared alloclab_record alloclab_exec_probe)
  if(TARGET ${_preloaded})
    install(TARGETS ${_preloaded} LIBRARY DESTINATION lib COMPONENT runtime)
  endif()
endforeach()

get_property(_headers GLOBAL PROPERTY ALLOCLAB_PACKAGE_HEADERS)
foreach(_header IN LISTS _headers)
  get_filename_component(_dir ${_header} DIRECTORY)
  install(FILES ${_header} DESTINATION ${ALLOCLAB_INSTALL_INCLUDEDIR}/${_dir} COMPONENT dev)
endforeach()
get_property(_targets GLOBAL PROPERTY ALLOCLAB_PACKAGE_TARGETS)
install(TARGETS ${_targets} EXPORT alloclabTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(EXPORT alloclabTargets NAMESPACE alloclab:: DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR}
        COMPONENT dev)
configure_package_config_file(cmake/alloclabConfig.cmake.in
  ${PROJECT_BINARY_DIR}/alloclabConfig.cmake INSTALL_DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/alloclabConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/alloclabConfig.cmake ${PROJECT_BINARY_DIR}/alloclabConfigVersion.cmake
        DESTINATION ${ALLOCLAB_INSTALL_CMAKEDIR} COMPONENT dev)
