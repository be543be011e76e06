// reports/output.hpp — writing report files atomically.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace alloclab::reports {

struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `text` to a temporary file in the same directory and renames it over `path`, so that a
// reader sees the old file or the whole new one, and a failure leaves nothing behind.
// Throws OutputError ("cannot write PATH: reason").
void write_file_atomically(const std::string& path, std::string_view text);

}  // namespace alloclab::reports
