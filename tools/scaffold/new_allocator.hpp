// `alloclab new-allocator NAME [--kind general|fixed|arena] [--dir ROOT]`: writes
// ROOT/allocators/NAME/ (the allocator header, plugin.cpp, a unit test, CMakeLists.txt) from
// the templates embedded in this executable. The result builds and passes the conformance
// suite as written, and CMake discovers the folder: no other file needs an edit.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace alloclab::scaffold {

// Adds the subcommand; when it is parsed, `action` runs it (UsageError on bad input).
// pre: `action` outlives the parse of `app`.
void add_new_allocator_command(CLI::App& app, std::function<int()>& action);

// Why NAME cannot name a new plugin under `root` (a source tree), or empty: a lowercase C
// identifier, not a C++ keyword, not registered, no folder or type of that name yet.
std::string check_new_name(std::string_view name, const std::filesystem::path& root);

// "my_pool" -> "MyPool".
std::string camel_case(std::string_view name);

}  // namespace alloclab::scaffold

namespace alloclab::cli {
using scaffold::add_new_allocator_command;
}  // namespace alloclab::cli
