#include "shard.hpp"

#include <cstdlib>
#include <fmt/format.h>

#include "model/exit_codes.hpp"
#include "model/keys.hpp"

namespace alloclab {
namespace {

using model::UsageError;

// A decimal number in [lo, hi], or nullopt-like false.
bool number(const std::string& text, unsigned long lo, unsigned long hi, unsigned& out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9) return false;
  const unsigned long v = std::strtoul(text.c_str(), nullptr, 10);
  if (v < lo || v > hi) return false;
  out = static_cast<unsigned>(v);
  return true;
}

constexpr unsigned long kMaxShards = 100000;

Shard checked(unsigned index, unsigned count, std::string source, const std::string& spec) {
  if (count == 0) throw UsageError(fmt::format("--shard: '{}': the count must be at least 1", spec));
  if (index >= count)
    throw UsageError(fmt::format("--shard: '{}': index {} is not below the count {} (indices are 0-based: 0..{})", spec,
                                 index, count, count - 1));
  return {index, count, std::move(source)};
}

std::string variable(const std::function<const char*(const char*)>& env, const char* name) {
  const char* v = env ? env(name) : std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

Shard from_scheduler(const std::string& spec, const std::string& count_text,
                     const std::function<const char*(const char*)>& env) {
  unsigned index = 0, count = 0;
  const std::string slurm_id = variable(env, "SLURM_ARRAY_TASK_ID"), slurm_n = variable(env, "SLURM_ARRAY_TASK_COUNT");
  if (!slurm_id.empty()) {
    // Slurm's ids follow --array (0-based for --array=0-N-1, which the README's script uses);
    // SLURM_ARRAY_TASK_MIN shifts them to 0 when the array starts elsewhere.
    const std::string min_text = variable(env, "SLURM_ARRAY_TASK_MIN");
    unsigned min = 0;
    if (!number(slurm_id, 0, kMaxShards * 10, index) || (!min_text.empty() && !number(min_text, 0, index, min)))
      throw UsageError(fmt::format("--shard {}: SLURM_ARRAY_TASK_ID='{}' is not a task index", spec, slurm_id));
    const std::string& n = count_text.empty() ? slurm_n : count_text;
    if (!number(n, 1, kMaxShards, count))
      throw UsageError(fmt::format("--shard {}: no task count (SLURM_ARRAY_TASK_COUNT='{}')", spec, n));
    return checked(index - min, count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT", spec);
  }
  const std::string job = variable(env, "JOB_COMPLETION_INDEX");
  if (job.empty())
    throw UsageError(fmt::format("--shard {}: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set (give K/N)", spec));
  if (!number(job, 0, kMaxShards, index))
    throw UsageError(fmt::format("--shard {}: JOB_COMPLETION_INDEX='{}' is not an index", spec, job));
  const std::string n = count_text.empty() ? variable(env, kShardCountVar) : count_text;
  if (!number(n, 1, kMaxShards, count))
    throw UsageError(fmt::format("--shard {}: JOB_COMPLETION_INDEX needs the count: --shard auto/N or {}=N", spec,
                                 kShardCountVar));
  return checked(index, count, "JOB_COMPLETION_INDEX", spec);
}

}  // namespace

std::string Shard::text() const { return fmt::format("{}/{}", index, count); }

Shard parse_shard(const std::string& spec, const std::function<const char*(const char*)>& env) {
  const std::size_t slash = spec.find('/');
  const std::string head = spec.substr(0, slash), tail = slash == std::string::npos ? std::string() : spec.substr(slash + 1);
  if (head == "auto") {
    if (slash != std::string::npos && tail.empty())
      throw UsageError(fmt::format("--shard: '{}' is not auto/N", spec));
    unsigned n = 0;
    if (!tail.empty() && !number(tail, 0, kMaxShards, n))
      throw UsageError(fmt::format("--shard: '{}': '{}' is not a count", spec, tail));
    if (!tail.empty() && n == 0) throw UsageError(fmt::format("--shard: '{}': the count must be at least 1", spec));
    return from_scheduler(spec, tail, env);
  }
  unsigned index = 0, count = 0;
  if (slash == std::string::npos || !number(head, 0, kMaxShards, index) || !number(tail, 0, kMaxShards, count))
    throw UsageError(fmt::format("--shard: '{}' is not K/N (0 <= K < N), auto or auto/N", spec));
  return checked(index, count, "cli", spec);
}

nlohmann::json shard_json(const Shard& s) {
  if (s.whole()) return nullptr;
  return {{model::key::kShardIndex, s.index}, {model::key::kShardCount, s.count}, {model::key::kShardSource, s.source}};
}

}  // namespace alloclab
