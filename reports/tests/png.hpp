// A minimal PNG reader for the browser test: 8-bit RGB / RGBA, non-interlaced (what Chromium's
// screenshots are). Not a general decoder.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace alloclab::reports::testing {

struct Image {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // width * height * 3, row-major
};

// Throws std::runtime_error on anything it cannot read.
Image read_png(const std::string& path);

}  // namespace alloclab::reports::testing
