#include "generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace alloclab::gen {
namespace {

// Bounded Pareto shape: with 1.1 about half the blocks fall in the smallest tenth of a
// 8..1024 range, and a few reach the top, as sizes in real programs do.
constexpr double kParetoShape = 1.1;

// Exponents of the powers of two in [min, max]: [lo, hi], empty when lo > hi.
std::pair<std::uint64_t, std::uint64_t> pow2_exponents(std::uint64_t min, std::uint64_t max) {
  const auto lo = static_cast<std::uint64_t>(std::bit_width(std::max<std::uint64_t>(min, 1) - 1));
  const auto hi = static_cast<std::uint64_t>(std::bit_width(max) - 1);
  return {lo, hi};
}

std::uniform_int_distribution<std::uint64_t> uniform_for(SizeDist dist, std::uint64_t min,
                                                         std::uint64_t max) {
  if (dist != SizeDist::kPow2) return std::uniform_int_distribution<std::uint64_t>(min, max);
  const auto [lo, hi] = pow2_exponents(min, max);
  return std::uniform_int_distribution<std::uint64_t>(lo, hi);
}

}  // namespace

SizeDist dist_of(const Params& p) {
  auto it = p.find("dist");
  return it == p.end() ? SizeDist::kUniform : static_cast<SizeDist>(it->second);
}

std::string_view dist_name(SizeDist d) {
  constexpr std::string_view kNames[] = {"uniform", "pareto", "pow2", "histogram"};
  const auto i = static_cast<std::uint64_t>(d);
  return i < std::size(kNames) ? kNames[i] : std::string_view("?");
}

std::optional<SizeDist> parse_dist_name(std::string_view name) {
  for (SizeDist d : {SizeDist::kUniform, SizeDist::kPareto, SizeDist::kPow2, SizeDist::kHistogram})
    if (name == dist_name(d)) return d;
  return std::nullopt;
}

SizeSampler::SizeSampler(SizeDist dist, std::uint64_t min, std::uint64_t max,
                         const SizeHistogram& histogram)
    : dist_(dist), min_(min), max_(max), uniform_(uniform_for(dist, min, max)) {
  if (dist != SizeDist::kHistogram) return;
  if (histogram.empty()) throw std::invalid_argument("dist 3 needs a size histogram");
  if (histogram.min_size() < min || histogram.max_size() > max)
    throw std::invalid_argument("the size histogram reaches outside [min_size, max_size]");
  bins_ = histogram.bins;
  std::vector<double> weights;
  for (const SizeBin& b : bins_) weights.push_back(b.weight);
  pick_bin_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
}

SizeSampler::SizeSampler(const GenerateRequest& req)
    : SizeSampler(dist_of(req.params), req.params.at("min_size"), req.params.at("max_size"),
                  req.size_histogram) {}

std::uint32_t SizeSampler::draw_skewed(std::mt19937_64& rng) {
  if (dist_ == SizeDist::kPow2) return std::uint32_t{1} << uniform_(rng);
  if (dist_ == SizeDist::kHistogram) {
    const SizeBin& b = bins_[pick_bin_(rng)];
    if (b.lo == b.hi) return b.lo;
    return static_cast<std::uint32_t>(std::uniform_int_distribution<std::uint32_t>(b.lo, b.hi)(rng));
  }
  // Inverse CDF of the Pareto law bounded to [low, max]; low >= 1 so the law is defined.
  const double low = static_cast<double>(std::max<std::uint64_t>(min_, 1));
  const double high = static_cast<double>(max_);
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  const double tail = 1.0 - std::pow(low / high, kParetoShape);
  const double x = low / std::pow(1.0 - u * tail, 1.0 / kParetoShape);
  return static_cast<std::uint32_t>(std::clamp(x, low, high));
}

std::string check_sizes(const Params& p) {
  const std::uint64_t min = p.at("min_size"), max = p.at("max_size");
  if (min > max) return fmt::format("min_size {} is larger than max_size {}", min, max);
  if (dist_of(p) == SizeDist::kPow2) {
    const auto [lo, hi] = pow2_exponents(min, max);
    if (lo > hi) return fmt::format("dist 2 (powers of two): no power of two in [{}, {}]", min, max);
  }
  return {};
}

std::string check_ops(std::uint64_t ops, std::string_view what) {
  if (ops > kMaxOps)
    return fmt::format("{} = {} exceeds the trace limit of {} ops", what, ops, kMaxOps);
  return {};
}

}  // namespace alloclab::gen
