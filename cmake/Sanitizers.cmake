# ALLOCLAB_SANITIZER=address -> ASan + UBSan; =thread -> TSan. Sanitizer builds are for tests,
# never for benchmarks: `alloclab run` refuses to measure in them unless --allow-sanitized.
if(ALLOCLAB_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(ALLOCLAB_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT ALLOCLAB_SANITIZER STREQUAL "")
  message(FATAL_ERROR "ALLOCLAB_SANITIZER must be '', 'address' or 'thread', not '${ALLOCLAB_SANITIZER}'")
endif()

# ALLOCLAB_FUZZ: coverage instrumentation for libFuzzer in every target; the fuzz binaries
# themselves link -fsanitize=fuzzer (tests/fuzz/). Needs clang.
if(ALLOCLAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ALLOCLAB_FUZZ needs clang (e.g. CC=clang-14 CXX=clang++-14 or the `fuzz` preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
