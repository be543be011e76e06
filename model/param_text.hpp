// model/param_text.hpp — how a parameter's value reads in titles and headings. Row names and
// the JSON keep the number (for compatibility); people read the name. The names are the ones
// `--dist` accepts (workloads/generator.cpp dist_name, by the same numbers).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace alloclab::model {

inline constexpr std::array<std::string_view, 4> kDistNames = {"uniform", "pareto", "pow2", "histogram"};

// "dist", "1" -> "pareto"; any other key or value comes back as it is.
inline std::string param_value_text(std::string_view key, std::string_view value) {
  if (key == "dist" && value.size() == 1 && value[0] >= '0' && value[0] < '0' + static_cast<int>(kDistNames.size()))
    return std::string(kDistNames[static_cast<std::size_t>(value[0] - '0')]);
  return std::string(value);
}

}  // namespace alloclab::model
