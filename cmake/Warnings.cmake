# alloclab_warnings: the warning set every target of ours compiles with.
add_library(alloclab_warnings INTERFACE)
target_compile_options(alloclab_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>)
