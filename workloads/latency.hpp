// Per-op latency: a cycle counter read around sampled ops, into log-linear histograms (8
// sub-buckets per power of two: under 12.5% error per bucket, 4 KiB per op kind). Sampling
// one op in N keeps the timer's own cost (reported beside the figures) off most ops.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#else
#include <chrono>
#endif

namespace alloclab {

// Ticks of the cycle counter (TSC on x86, nanoseconds elsewhere). The fences keep the timed
// op from drifting outside the two reads.
inline std::uint64_t latency_ticks_begin() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_lfence();
  return __rdtsc();
#else
  return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

inline std::uint64_t latency_ticks_end() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  unsigned aux;
  const std::uint64_t t = __rdtscp(&aux);
  _mm_lfence();
  return t;
#else
  return latency_ticks_begin();
#endif
}

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBits = 3;
  static constexpr unsigned kBuckets = 64 << kSubBits;

  void add(std::uint64_t ticks) noexcept {
    ++counts_[bucket_of(ticks)];
    ++total_;
    if (ticks > max_) max_ = ticks;
  }
  void merge(const LatencyHistogram& o) noexcept {
    for (unsigned i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
    total_ += o.total_;
    if (o.max_ > max_) max_ = o.max_;
  }

  std::uint64_t total() const noexcept { return total_; }
  std::uint64_t max() const noexcept { return max_; }

  // The value (ticks) below which a fraction q of the samples lie: the upper edge of the
  // bucket holding rank q*total, capped by the largest sample seen.
  std::uint64_t quantile(double q) const noexcept {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (unsigned i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_edge(i), max_);
    }
    return max_;
  }

  static unsigned bucket_of(std::uint64_t v) noexcept {
    if (v < (1u << kSubBits)) return static_cast<unsigned>(v);
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(v));
    const auto sub = static_cast<unsigned>(v >> (msb - kSubBits)) & ((1u << kSubBits) - 1);
    return ((msb - kSubBits + 1) << kSubBits) + sub;
  }
  static std::uint64_t upper_edge(unsigned bucket) noexcept {
    if (bucket < (1u << kSubBits)) return bucket;
    const unsigned msb = (bucket >> kSubBits) + kSubBits - 1;
    const std::uint64_t sub = bucket & ((1u << kSubBits) - 1);
    const std::uint64_t lo = (std::uint64_t{1} << msb) | (sub << (msb - kSubBits));
    return lo + (std::uint64_t{1} << (msb - kSubBits)) - 1;
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

// One histogram per op kind that allocates or frees; a replay thread owns one.
struct LatencyRecorder {
  LatencyHistogram alloc, free, realloc;
};

}  // namespace alloclab
