#include "harness/check/matrix.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <string>
#include <vector>

namespace alloclab::check {
namespace {

using model::CheckRow;
using model::CheckVerdict;

// Names in first-appearance order.
template <class Field>
std::vector<std::string> distinct(std::span<const CheckRow> rows, Field field) {
  std::vector<std::string> names;
  for (const CheckRow& r : rows)
    if (std::find(names.begin(), names.end(), field(r)) == names.end()) names.push_back(field(r));
  return names;
}

}  // namespace

void print_matrix(std::FILE* out, std::span<const CheckRow> rows) {
  const auto allocators = distinct(rows, [](const CheckRow& r) { return r.allocator; });
  const auto checks = distinct(rows, [](const CheckRow& r) { return r.check; });
  std::size_t first = 5;
  for (const std::string& c : checks) first = std::max(first, c.size());
  std::vector<std::size_t> width;
  for (const std::string& a : allocators) width.push_back(std::max<std::size_t>(a.size(), 16));

  fmt::print(out, "{:<{}}", "check", first);
  for (std::size_t i = 0; i < allocators.size(); ++i) fmt::print(out, "  {:<{}}", allocators[i], width[i]);
  fmt::print(out, "\n");
  for (const std::string& c : checks) {
    fmt::print(out, "{:<{}}", c, first);
    for (std::size_t i = 0; i < allocators.size(); ++i) {
      auto it = std::find_if(rows.begin(), rows.end(),
                             [&](const CheckRow& r) { return r.allocator == allocators[i] && r.check == c; });
      fmt::print(out, "  {:<{}}", it == rows.end() ? "-" : model::check_cell(*it), width[i]);
    }
    fmt::print(out, "\n");
  }
  bool heading = false;
  for (const CheckRow& r : rows) {
    if (r.verdict == CheckVerdict::kPass) continue;
    if (!heading) fmt::print(out, "\n");
    heading = true;
    fmt::print(out, "{} {} · {}: {}\n", r.verdict == CheckVerdict::kFail ? "FAIL" : "note", r.allocator, r.check,
               r.evidence);
  }
}

}  // namespace alloclab::check
