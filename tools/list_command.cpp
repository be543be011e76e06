#include "list_command.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "harness/deployments.hpp"
#include "workloads/workload.hpp"

namespace alloclab::cli {
namespace {

std::string availability(const Measurable& e) {
  return e.deployment != nullptr ? deployment_unavailable(*e.deployment) : std::string{};
}

}  // namespace

// C ABI plugins go through a table of function pointers; everything else is a direct call.
static const char* dispatch_of(const Measurable& e) {
  return e.plugin != nullptr && e.plugin->indirect ? "indirect" : "static";
}

int print_list(bool as_json) {
  if (as_json) {
    nlohmann::json allocators = nlohmann::json::array(), workloads = nlohmann::json::array();
    for (const Measurable& e : measurable_allocators()) {
      const std::string why = availability(e);
      nlohmann::json a{{"name", e.traits.name},
                       {"summary", e.traits.summary},
                       {"caps", caps_to_string(e.traits.caps)},
                       {"max_size", e.traits.max_size},
                       {"max_align", e.traits.max_align},
                       {"dispatch", dispatch_of(e)},
                       {"available", why.empty()}};
      if (!why.empty()) a["unavailable_reason"] = why;
      if (const Deployment* d = e.deployment)
        a["preload"] = {{"library", d->library}, {"package", d->package}};
      allocators.push_back(std::move(a));
    }
    for (const WorkloadInfo& w : registered_workloads()) {
      nlohmann::json params = nlohmann::json::array();
      for (const ParamSpec& p : w.params)
        params.push_back({{"name", p.name}, {"help", p.help}, {"default", p.def},
                          {"min", p.min}, {"max", p.max}});
      workloads.push_back({{"name", w.name}, {"summary", w.summary}, {"params", params}});
    }
    fmt::print("{}\n", nlohmann::json{{"allocators", allocators}, {"workloads", workloads}}.dump(2));
    return 0;
  }
  fmt::print("Allocators\n");
  std::size_t name_width = 16;  // a mix's name ("small_pool+mempool") may be longer
  for (const Measurable& e : measurable_allocators()) name_width = std::max(name_width, e.traits.name.size());
  fmt::print("  {:<{}} {:<44} {:>14} {:>9} {:<8}  {}\n", "name", name_width, "capabilities", "max size",
             "max align", "dispatch", "summary");
  for (const Measurable& e : measurable_allocators()) {
    const std::string why = availability(e);
    fmt::print("  {:<{}} {:<44} {:>14} {:>9} {:<8}  {}{}\n", e.traits.name, name_width, caps_to_string(e.traits.caps),
               e.traits.max_size, e.traits.max_align, dispatch_of(e), e.traits.summary,
               why.empty() ? "" : fmt::format(" [unavailable: {}]", why));
  }
  fmt::print("\nWorkloads\n");
  for (const WorkloadInfo& w : registered_workloads()) {
    fmt::print("  {:<16} {}\n", w.name, w.summary);
    for (const ParamSpec& p : w.params)
      fmt::print("      --{:<14} default {:<8} range [{}, {}]  {}\n", flag_of(p.name), p.def,
                 p.min, p.max, p.help);
  }
  return 0;
}

}  // namespace alloclab::cli
