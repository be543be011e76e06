// See png.hpp. Layout: 8-byte signature, then chunks (length, type, data, CRC); pixels are the
// zlib stream of the IDAT chunks, one filter byte before each scanline.
#include "reports/tests/png.hpp"

#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace alloclab::reports::testing {
namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

std::uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<std::uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

}  // namespace

Image read_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (file.size() < 8 || !std::equal(kSignature, kSignature + 8, file.begin()))
    throw std::runtime_error(path + ": not a PNG");
  Image img;
  std::size_t channels = 0;
  std::vector<std::uint8_t> compressed;
  for (std::size_t pos = 8; pos + 12 <= file.size();) {
    const std::uint32_t len = be32(&file[pos]);
    const std::string type(file.begin() + static_cast<std::ptrdiff_t>(pos + 4), file.begin() + static_cast<std::ptrdiff_t>(pos + 8));
    const std::uint8_t* data = &file[pos + 8];
    if (pos + 12 + len > file.size()) throw std::runtime_error(path + ": truncated chunk");
    if (type == "IHDR") {
      img.width = be32(data);
      img.height = be32(data + 4);
      const int depth = data[8], colour = data[9], interlace = data[12];
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0)
        throw std::runtime_error(path + ": only 8-bit non-interlaced RGB/RGBA is supported");
      channels = colour == 6 ? 4 : 3;
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), data, data + len);
    } else if (type == "IEND") {
      break;
    }
    pos += 12 + len;
  }
  if (channels == 0) throw std::runtime_error(path + ": no IHDR");
  const std::size_t stride = img.width * channels;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = static_cast<uLongf>(raw.size());
  if (uncompress(raw.data(), &raw_len, compressed.data(), static_cast<uLong>(compressed.size())) != Z_OK ||
      raw_len != raw.size())
    throw std::runtime_error(path + ": bad pixel data");

  std::vector<std::uint8_t> prev(stride, 0), cur(stride);
  img.rgb.resize(std::size_t{img.width} * img.height * 3);
  for (std::size_t y = 0; y < img.height; ++y) {
    const std::uint8_t* line = &raw[y * (stride + 1)];
    const std::uint8_t filter = line[0];
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= channels ? cur[x - channels] : 0, b = prev[x], c = x >= channels ? prev[x - channels] : 0;
      int v = line[1 + x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) / 2; break;
        case 4: v += paeth(a, b, c); break;
        default: throw std::runtime_error(path + ": bad filter type");
      }
      cur[x] = static_cast<std::uint8_t>(v & 0xff);
    }
    for (std::size_t x = 0; x < img.width; ++x)
      for (std::size_t ch = 0; ch < 3; ++ch) img.rgb[(y * img.width + x) * 3 + ch] = cur[x * channels + ch];
    std::swap(prev, cur);
  }
  return img;
}

}  // namespace alloclab::reports::testing
