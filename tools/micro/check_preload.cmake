# CTest micro_preload (cmake -P): for every preload peer, `--preload NAME` either measures it
# (rows named pair/NAME/..., no errors) or exits 2 naming the Debian package to install; and a
# child told it runs under a peer while glibc owns malloc refuses to measure (exit 2).
# -DMICRO=<alloclab-micro> -DOUT_DIR=<dir for JSON files>
include(${CMAKE_CURRENT_LIST_DIR}/check_common.cmake)

micro_plugins(P)
foreach(peer IN LISTS P_PEERS)
  set(out ${OUT_DIR}/micro_preload_${peer}.json)
  file(REMOVE ${out})
  execute_process(COMMAND ${MICRO} --preload ${peer} --benchmark_min_time=0.001
                          --benchmark_filter=^pair/${peer}/64$ --benchmark_out=${out}
                  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(rc EQUAL 0)
    micro_rows(${out} names)
    micro_expect_rows("${names}" ${peer})
    message(STATUS "${peer}: measured")
  elseif(rc EQUAL 2 AND err MATCHES "not found: apt-get install")
    message(STATUS "${peer}: not installed: ${err}")
  else()
    message(FATAL_ERROR "--preload ${peer}: exit ${rc}: ${err}")
  endif()

  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=LD_PRELOAD
                          ALLOCLAB_MICRO_PRELOADED_AS=${peer} ${MICRO}
                          --benchmark_filter=^pair/${peer}/64$
                  OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 2 OR NOT err MATCHES "refusing to measure")
    message(FATAL_ERROR "${peer} without LD_PRELOAD was not refused: exit ${rc}: ${err}")
  endif()
endforeach()
