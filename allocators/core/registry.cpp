#include "registry.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace alloclab {
namespace {

// Function-local so registration from other translation units' static initialisers is safe.
std::vector<PluginEntry>& entries() {
  static std::vector<PluginEntry> all;
  return all;
}

}  // namespace

void register_plugin(const PluginEntry& entry) {
  auto& all = entries();
  if (find_plugin(entry.traits.name) != nullptr) {
    std::fprintf(stderr, "alloclab: plugin '%.*s' registered twice\n",
                 static_cast<int>(entry.traits.name.size()), entry.traits.name.data());
    std::abort();
  }
  auto at = std::lower_bound(all.begin(), all.end(), entry, [](const auto& a, const auto& b) {
    return a.traits.name < b.traits.name;
  });
  all.insert(at, entry);
}

std::span<const PluginEntry> registered_plugins() { return entries(); }

const PluginEntry* find_plugin(std::string_view name) {
  for (const auto& e : entries())
    if (e.traits.name == name) return &e;
  return nullptr;
}

std::string caps_to_string(std::uint32_t caps) {
  static constexpr std::pair<Cap, const char*> kNames[] = {
      {kFree, "free"},          {kFreeLast, "free-last"},
      {kReset, "reset"},        {kRealloc, "realloc"},
      {kThreadSafe, "thread-safe"}, {kCrossThreadFree, "cross-thread-free"},
      {kFixedSize, "fixed-size"},
  };
  std::string out;
  for (auto [cap, name] : kNames) {
    if (!has_cap(caps, cap)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

}  // namespace alloclab
