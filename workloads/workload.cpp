#include "workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "registry.hpp"

namespace alloclab {
namespace {

// Function-local so registration from other translation units' static initialisers is safe.
Registry<WorkloadInfo>& workloads() {
  static Registry<WorkloadInfo> all("workload");
  return all;
}

}  // namespace

void register_workload(const WorkloadInfo& w) { workloads().add(w); }

std::span<const WorkloadInfo> registered_workloads() { return workloads().all(); }

const WorkloadInfo* find_workload(std::string_view name) { return workloads().find(name); }

std::string complete_params(const WorkloadInfo& w, Params& params) {
  for (const auto& [name, value] : params) {
    auto spec = std::find_if(w.params.begin(), w.params.end(),
                             [&n = name](const ParamSpec& p) { return p.name == n; });  // clang 14: no binding capture
    if (spec == w.params.end())
      return fmt::format("workload '{}' has no parameter '{}'", w.name, name);
    if (value < spec->min || value > spec->max)
      return fmt::format("{} = {} is out of range [{}, {}] for workload '{}'", name, value,
                         spec->min, spec->max, w.name);
  }
  for (const ParamSpec& p : w.params) params.try_emplace(std::string(p.name), p.def);
  return w.validate != nullptr ? w.validate(params) : std::string{};
}

std::string row_name(const WorkloadInfo& w, std::string_view allocator, const Params& params) {
  std::string name = fmt::format("{}/{}", w.name, allocator);
  for (const ParamSpec& p : w.params) {
    auto it = params.find(p.name);
    if (it == params.end() || (p.optional && it->second == p.def)) continue;
    name += fmt::format("/{}:{}", p.label, it->second);
  }
  return name;
}

std::string check_fits(const Trace& trace, std::size_t align, const Traits& traits) {
  static constexpr std::pair<Cap, const char*> kNeeds[] = {
      {kFree, "frees blocks one by one"},
      {kRealloc, "reallocates blocks"},
      {kReset, "releases frames with reset()"},
      {kCrossThreadFree, "frees blocks on other threads than allocated them"},
  };
  for (auto [cap, what] : kNeeds)
    if (has_cap(trace.needs_caps, cap) && !has_cap(traits.caps, cap))
      return fmt::format("the workload {}; {} lacks '{}' ({})", what, traits.name,
                         caps_to_string(cap), caps_to_string(traits.caps));
  if (trace.max_request > traits.max_size)
    return fmt::format("requests up to {} bytes; {} serves at most {}", trace.max_request,
                       traits.name, traits.max_size);
  if (align > traits.max_align)
    return fmt::format("needs {}-byte alignment; {} honours at most {}", align, traits.name,
                       traits.max_align);
  return {};
}

}  // namespace alloclab
