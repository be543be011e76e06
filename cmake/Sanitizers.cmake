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
