# CTest micro_smoke: runs the pair/ benchmarks briefly and checks the JSON (cmake -P).
# -DMICRO=<alloclab-micro> -DOUT=<json file>
include(${CMAKE_CURRENT_LIST_DIR}/check_common.cmake)

micro_plugins(P)
if(NOT P_IN_PROCESS)
  message(FATAL_ERROR "alloclab-micro lists no in-process plugin that can free")
endif()
foreach(plugin IN LISTS P_RESET_ONLY)
  message(STATUS "${plugin}: cannot free, so no pair/ row is expected")
endforeach()

file(REMOVE ${OUT})
execute_process(COMMAND ${MICRO} --benchmark_min_time=0.001 --benchmark_filter=pair/
                        --benchmark_format=json --benchmark_out=${OUT}
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "alloclab-micro exited with ${rc}")
endif()
micro_rows(${OUT} names)
micro_expect_rows("${names}" ${P_IN_PROCESS})
list(LENGTH names n)
message(STATUS "${n} rows, every in-process plugin present, no errors")
