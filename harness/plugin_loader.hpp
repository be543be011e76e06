// Out-of-tree plugins through the C ABI (allocators/core/alloclab_plugin.h): a shared object
// is dlopen'ed, its AlloclabPluginV1 validated and registered as a PluginEntry with indirect
// dispatch. The replay is the same loop as for in-tree plugins (workloads/replay.hpp),
// instantiated over an adapter that makes one indirect call per operation.
//
// The parent loads plugins for `list` and the up-front checks; each child loads them again
// (the runner passes loaded_plugins() in the child request) before it measures.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "allocators/core/alloclab_plugin.h"

namespace alloclab {

// Loads and registers the plugin at `path`. Returns a one-line error, or empty on success.
std::string load_plugin(const std::string& path);

// Checks a plugin's table before anything is called through it. Empty when usable.
std::string validate_plugin(const AlloclabPluginV1& p);

// The paths load_plugin() accepted, in order.
const std::vector<std::string>& loaded_plugins();

// Empty when `name` may name a plugin: lowercase letters, digits, '_' or '-', starting with a
// letter, at most 32 characters.
std::string check_plugin_name(std::string_view name);

}  // namespace alloclab
