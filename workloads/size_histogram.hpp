// An empirical size distribution (`--size-histogram FILE`, dist 3): block sizes drawn with the
// weights a user measured in their own program, e.g. from a recorded trace or a heap profile.
//
// File format (text, one bin per line; '#' starts a comment; blank lines are skipped):
//   SIZE WEIGHT       blocks of exactly SIZE bytes, drawn with relative weight WEIGHT
//   LO-HI WEIGHT      sizes LO..HI (inclusive), uniform within the bin
// Sizes are 0 .. 2^30 bytes; weights are non-negative decimal numbers (counts or fractions),
// at least one of them positive. Bins may overlap (their weights add up).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace alloclab {

struct SizeBin {
  std::uint32_t lo = 0;
  std::uint32_t hi = 0;  // inclusive
  double weight = 0;
  friend bool operator==(const SizeBin&, const SizeBin&) = default;
};

struct SizeHistogram {
  std::string source;  // the file it was read from (row names, params)
  std::vector<SizeBin> bins;

  bool empty() const { return bins.empty(); }
  std::uint32_t min_size() const;  // pre: !empty(); smallest size a positive-weight bin holds
  std::uint32_t max_size() const;  // pre: !empty()
};

// A file that cannot be read or holds a bad line. what() is one line: "FILE:LINE: why".
struct SizeHistogramError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::uint32_t kMaxHistogramSize = std::uint32_t{1} << 30;
inline constexpr std::size_t kMaxHistogramBins = 1u << 20;
inline constexpr std::size_t kMaxHistogramBytes = std::size_t{64} << 20;

// Reads and checks a whole file; bins of zero weight are dropped. Throws SizeHistogramError.
SizeHistogram read_size_histogram(const std::string& path);

// The same from text already read (`source` names it in errors). Throws SizeHistogramError.
SizeHistogram parse_size_histogram(std::string_view text, const std::string& source);

// From counts of sizes (e.g. a recorded program's requests): one bin per size, or, past
// kMaxHistogramBins distinct sizes, one LO-HI bin per log-linear bucket (16 per power of two).
// Sizes above kMaxHistogramSize are left out.
SizeHistogram histogram_of_counts(const std::map<std::uint64_t, std::uint64_t>& counts);

// The file format above, readable back by parse_size_histogram; `comment` heads it.
std::string format_size_histogram(const SizeHistogram& h, const std::string& comment);

}  // namespace alloclab
