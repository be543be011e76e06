#include "size_histogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace alloclab {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// Text from the file as an error shows it: at most 40 characters.
std::string shown(std::string_view text) {
  return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 37)) + "...";
}

// A whole field as a number, or false.
template <class T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return !text.empty() && ec == std::errc{} && ptr == end;
}

class LineParser {
 public:
  LineParser(const std::string& source, std::size_t line) : source_(source), line_(line) {}

  SizeBin parse(std::string_view text) const {
    const auto gap = text.find_first_of(" \t");
    if (gap == std::string_view::npos)
      fail("'{}' is not 'SIZE WEIGHT' or 'LO-HI WEIGHT'", shown(text));
    const std::string_view sizes = text.substr(0, gap), weight = trim(text.substr(gap));
    SizeBin bin;
    const auto dash = sizes.find('-');
    bin.lo = size(sizes.substr(0, dash));
    bin.hi = dash == std::string_view::npos ? bin.lo : size(sizes.substr(dash + 1));
    if (bin.lo > bin.hi) fail("bin '{}' runs backwards", shown(sizes));
    if (!parse_number(weight, bin.weight) || !std::isfinite(bin.weight) || bin.weight < 0)
      fail("weight '{}' is not a non-negative number", shown(weight));
    return bin;
  }

  template <class... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) const {
    throw SizeHistogramError(fmt::format("size histogram {}:{}: {}", source_, line_,
                                         fmt::format(f, std::forward<Args>(args)...)));
  }

 private:
  std::uint32_t size(std::string_view text) const {
    std::uint64_t v = 0;
    if (!parse_number(text, v)) fail("size '{}' is not a non-negative integer", shown(text));
    if (v > kMaxHistogramSize) fail("size {} is above the limit of {} bytes", v, kMaxHistogramSize);
    return static_cast<std::uint32_t>(v);
  }

  const std::string& source_;
  std::size_t line_;
};

}  // namespace

std::uint32_t SizeHistogram::min_size() const {
  return std::min_element(bins.begin(), bins.end(),
                          [](const SizeBin& a, const SizeBin& b) { return a.lo < b.lo; })
      ->lo;
}

std::uint32_t SizeHistogram::max_size() const {
  return std::max_element(bins.begin(), bins.end(),
                          [](const SizeBin& a, const SizeBin& b) { return a.hi < b.hi; })
      ->hi;
}

SizeHistogram parse_size_histogram(std::string_view text, const std::string& source) {
  SizeHistogram h;
  h.source = source;
  std::size_t line_no = 0;
  double total = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const SizeBin bin = LineParser(source, line_no).parse(line);
    if (bin.weight == 0) continue;
    if (h.bins.size() == kMaxHistogramBins)
      LineParser(source, line_no).fail("more than {} bins", kMaxHistogramBins);
    total += bin.weight;
    if (!std::isfinite(total))  // the draw divides by the total
      LineParser(source, line_no).fail("the weights add up to more than a double holds");
    h.bins.push_back(bin);
  }
  if (h.bins.empty())
    throw SizeHistogramError(fmt::format("size histogram {}: no bin with a positive weight", source));
  return h;
}

SizeHistogram histogram_of_counts(const std::map<std::uint64_t, std::uint64_t>& counts) {
  SizeHistogram h;
  const bool exact = counts.size() <= kMaxHistogramBins;
  // Bucket of a size: itself below 64, else its power of two and the next 4 bits below it.
  auto bucket = [exact](std::uint64_t s) -> std::uint64_t {
    if (exact || s < 64) return s;
    const auto e = static_cast<unsigned>(std::bit_width(s)) - 1;
    return (std::uint64_t(e) << 4 | ((s >> (e - 4)) & 15)) + 64;
  };
  std::map<std::uint64_t, SizeBin> bins;
  for (const auto& [size, count] : counts) {
    if (size > kMaxHistogramSize || count == 0) continue;
    const auto s = static_cast<std::uint32_t>(size);
    auto [it, fresh] = bins.try_emplace(bucket(size), SizeBin{s, s, 0});
    it->second.hi = s;  // counts are in size order: the bucket's largest so far
    it->second.weight += static_cast<double>(count);
  }
  for (const auto& [key, bin] : bins) h.bins.push_back(bin);
  return h;
}

std::string format_size_histogram(const SizeHistogram& h, const std::string& comment) {
  std::string out = fmt::format("# {}\n# SIZE WEIGHT, or LO-HI WEIGHT (alloclab run --size-histogram FILE)\n", comment);
  for (const SizeBin& b : h.bins) {
    if (b.lo == b.hi)
      out += fmt::format("{} {}\n", b.lo, b.weight);
    else
      out += fmt::format("{}-{} {}\n", b.lo, b.hi, b.weight);
  }
  return out;
}

SizeHistogram read_size_histogram(const std::string& path) {
  if (std::error_code ec; std::filesystem::is_directory(path, ec))
    throw SizeHistogramError(fmt::format("size histogram {}: is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw SizeHistogramError(
        fmt::format("size histogram {}: cannot open it: {}", path, std::strerror(errno)));
  // Read in pieces up to a limit: a path like /dev/zero must end in an error, not fill memory.
  std::string text;
  char piece[1 << 16];
  while (in.read(piece, sizeof piece) || in.gcount() > 0) {
    text.append(piece, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxHistogramBytes)
      throw SizeHistogramError(fmt::format("size histogram {}: larger than {} MiB", path,
                                           kMaxHistogramBytes >> 20));
  }
  if (in.bad())
    throw SizeHistogramError(
        fmt::format("size histogram {}: cannot read it: {}", path, std::strerror(errno)));
  return parse_size_histogram(text, path);
}

}  // namespace alloclab
