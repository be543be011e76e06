// Fuzz target: the results reader (reports/results.cpp). Any input must either parse or throw
// InputError with one line; anything else (another exception, a crash, a sanitizer report) is a
// bug. Built as a libFuzzer target with ALLOCLAB_FUZZ=ON (clang), and in every build as a
// replay of corpus/results/ (replay_main.cpp), so each input kept there stays a regression test.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "reports/results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alloclab::reports;
  Results into;
  try {
    parse_results(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", into);
  } catch (const InputError& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
