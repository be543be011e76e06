#include "param_range.hpp"

#include <charconv>
#include <fmt/format.h>
#include <sstream>

namespace alloclab {

std::string flag_of(std::string_view param) {
  std::string f(param);
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

std::uint64_t parse_u64(const std::string& text, const std::string& what) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end)
    throw UsageError(fmt::format("{}: '{}' is not a non-negative integer", what, text));
  if (ec == std::errc::result_out_of_range)
    throw UsageError(fmt::format("{}: '{}' is too large", what, text));
  return v;
}

unsigned parse_bounded(const std::string& text, const std::string& what, std::uint64_t lo,
                       std::uint64_t hi) {
  const std::uint64_t v = parse_u64(text, what);
  if (v < lo || v > hi)
    throw UsageError(fmt::format("{}: {} is out of range [{}, {}]", what, v, lo, hi));
  return static_cast<unsigned>(v);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::uint64_t> parse_values(const std::string& text, const std::string& what) {
  std::vector<std::uint64_t> out;
  const std::vector<std::string> items = split_list(text);
  if (items.empty()) throw UsageError(fmt::format("{}: '{}' is not a non-negative integer", what, text));
  for (const std::string& item : items) {
    const auto dots = item.find("..");
    if (dots == std::string::npos) {
      out.push_back(parse_u64(item, what));
      continue;
    }
    const auto colon = item.find(':', dots);
    const std::uint64_t lo = parse_u64(item.substr(0, dots), what);
    const std::uint64_t hi = parse_u64(item.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2), what);
    const std::string step = colon == std::string::npos ? "+1" : item.substr(colon + 1);
    if (lo > hi) throw UsageError(fmt::format("{}: range '{}' runs backwards", what, item));
    if (step.size() < 2 || (step[0] != '+' && step[0] != 'x'))
      throw UsageError(fmt::format("{}: range step '{}' is not +N or xN", what, step));
    const std::uint64_t by = parse_u64(step.substr(1), what);
    if (by < (step[0] == 'x' ? 2u : 1u))
      throw UsageError(fmt::format("{}: range step '{}' would never advance", what, step));
    for (std::uint64_t v = lo; v <= hi; v = step[0] == 'x' ? v * by : v + by) {
      out.push_back(v);
      if (out.size() > 10000) throw UsageError(fmt::format("{}: '{}' has too many values", what, item));
      if (step[0] == 'x' && v == 0) break;
    }
  }
  return out;
}

}  // namespace alloclab
