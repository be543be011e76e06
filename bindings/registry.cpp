#include "registry.hpp"

namespace alloclab {
namespace {

// Function-local so registration from other translation units' static initialisers is safe.
Registry<PluginEntry>& plugins() {
  static Registry<PluginEntry> all("plugin");
  return all;
}

}  // namespace

void register_plugin(const PluginEntry& entry) { plugins().add(entry); }

std::span<const PluginEntry> registered_plugins() { return plugins().all(); }

const PluginEntry* find_plugin(std::string_view name) { return plugins().find(name); }

}  // namespace alloclab
