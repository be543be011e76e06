#include "model/figure_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace alloclab::model {

std::string fmt_num(double v) {
  if (std::isnan(v)) return std::string(kDash);
  const double a = std::fabs(v);
  if (a >= 100) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

std::string fmt_bytes(double v) {
  if (std::isnan(v)) return std::string(kDash);
  const double a = std::fabs(v);
  if (a >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", v / (1024.0 * 1024 * 1024));
  if (a >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", v / (1024.0 * 1024));
  if (a >= 1024.0) return fmt::format("{:.0f} KiB", v / 1024.0);
  return fmt::format("{:.0f} B", v);
}

std::string fmt_ratio(double v) {
  if (std::isnan(v)) return std::string(kDash);
  return fmt::format("{:.2f}×", v);
}

}  // namespace alloclab::model
