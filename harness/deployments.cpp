#include "deployments.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "build_info.hpp"
#include "preload.hpp"

namespace alloclab {
namespace {

constexpr Deployment kDeployments[] = {
    {"jemalloc", "jemalloc (FreeBSD/Meta), LD_PRELOAD", "libjemalloc.so.2", "libjemalloc2"},
    {"mempool-preload", "alloclab mempool as a drop-in malloc (liballoclab_mempool.so), LD_PRELOAD",
     "liballoclab_mempool.so", ""},
    {"mimalloc", "mimalloc (Microsoft), LD_PRELOAD", "libmimalloc.so.2", "libmimalloc2.0"},
    {"tbbmalloc", "oneTBB scalable allocator (proxy), LD_PRELOAD", "libtbbmalloc_proxy.so.2",
     "libtbbmalloc2"},
    {"tcmalloc", "gperftools tcmalloc_minimal, LD_PRELOAD", "libtcmalloc_minimal.so.4",
     "libtcmalloc-minimal4"},
};

constexpr bool sorted_by_name() {
  for (std::size_t i = 1; i < std::size(kDeployments); ++i)
    if (!(kDeployments[i - 1].name < kDeployments[i].name)) return false;
  return true;
}
static_assert(sorted_by_name(), "find_deployment and the merged list expect the table sorted");

LibraryHome home_of(const Deployment& d) {
  return d.package.empty() ? LibraryHome::kAlloclab : LibraryHome::kSystem;
}

Measurable deployed(const Deployment& d, const PluginEntry& plugin) {
  Measurable m{plugin.traits, &plugin, &d};
  m.traits.name = d.name;
  m.traits.summary = d.summary;
  return m;
}

}  // namespace

std::span<const Deployment> deployments() { return kDeployments; }

const Deployment* find_deployment(std::string_view name) {
  for (const Deployment& d : kDeployments)
    if (d.name == name) return &d;
  return nullptr;
}

std::string deployment_library(const Deployment& d) { return find_library(d.library, home_of(d)); }

std::string deployment_unavailable(const Deployment& d) {
  if (std::string_view(ALLOCLAB_SANITIZER).size() != 0)
    return "not measured in a sanitizer build (the sanitizer runtime owns malloc)";
  if (!deployment_library(d).empty()) return {};
  if (d.package.empty())
    return fmt::format("{} not found next to the executable (build it: make bench)", d.library);
  return fmt::format("{} not found: apt-get install {}", d.library, d.package);
}

std::vector<Measurable> measurable_allocators() {
  std::vector<Measurable> all;
  for (const PluginEntry& e : registered_plugins()) all.push_back({e.traits, &e, nullptr});
  if (const PluginEntry* plugin = find_plugin(kDeployedPlugin))
    for (const Deployment& d : kDeployments)
      all.push_back(deployed(d, *plugin));  // a plugin of the same name is refused at load
  std::stable_sort(all.begin(), all.end(), [](const Measurable& a, const Measurable& b) {
    return a.traits.name < b.traits.name;
  });
  return all;
}

std::optional<Measurable> find_measurable(std::string_view name) {
  if (const PluginEntry* e = find_plugin(name)) return Measurable{e->traits, e, nullptr};
  const Deployment* d = find_deployment(name);
  const PluginEntry* plugin = find_plugin(kDeployedPlugin);
  if (d == nullptr || plugin == nullptr) return std::nullopt;
  return deployed(*d, *plugin);
}

}  // namespace alloclab
