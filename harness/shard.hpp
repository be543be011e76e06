// --shard K/N: one machine of N runs its share of a run's planned rows (run, sweep, exec,
// suite), so a Slurm array, a Kubernetes Indexed Job or a CI matrix spreads one command line
// over N machines and `alloclab report` merges their files. Rows, not repetitions, are split:
// planned row i (in the command's fixed planning order) belongs to shard i mod N, so every
// row runs on exactly one shard and each shard holds about 1/N of them. Every shard must be
// given the same command line (the same rows in the same order).
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace alloclab {

struct Shard {
  unsigned index = 0;  // 0-based
  unsigned count = 1;  // 1: the whole run
  std::string source;  // "cli", or the variables it was read from
  bool whole() const { return count == 1; }
  bool holds(std::size_t row_index) const { return row_index % count == index; }
  std::string text() const;  // "K/N"
};

// Environment variables `--shard auto` reads: Slurm's array, then Kubernetes' Indexed Job
// index with the count from --shard auto/N or ALLOCLAB_SHARD_COUNT.
inline constexpr const char* kShardCountVar = "ALLOCLAB_SHARD_COUNT";

// "K/N" (0 <= K < N), "auto" or "auto/N". A bad spec, or auto without a scheduler's index:
// a one-line UsageError. `env` reads a variable (null when unset); tests pass their own.
Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& env = {});

// The context's record: {"index", "count", "source"}; null for the whole run.
nlohmann::json shard_json(const Shard& s);

}  // namespace alloclab
