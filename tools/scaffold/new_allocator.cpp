#include "new_allocator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

#include "harness/deployments.hpp"
#include "harness/plugin_loader.hpp"
#include "templates.hpp"
#include "tools/cli_common.hpp"

namespace alloclab::scaffold {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const KindTemplate*, 4> kKinds = {&kGeneral, &kFixed, &kArena, &kMix};

// C++20 keywords and alternative tokens that are lowercase identifiers.
constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
    "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
    "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};

// Names with another meaning on the command line or in the tree.
constexpr std::string_view kReserved[] = {"all", "core"};

std::string expand(std::string_view text, std::string_view name) {
  const std::string camel = camel_case(name);
  const std::pair<std::string_view, std::string> subst[] = {
      {"@NAME@", std::string(name)}, {"@TYPE@", camel + "Allocator"}, {"@SUITE@", camel + "Test"}};
  std::string out(text);
  for (const auto& [key, value] : subst)
    for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  return out;
}

// True when some header under allocators/ already declares `class type` (or struct).
bool type_taken(const fs::path& allocators, const std::string& type) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(allocators, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".hpp") continue;
    std::ifstream in(it->path());
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    for (const char* kw : {"class ", "struct "})
      if (text.find(kw + type + " ") != std::string::npos ||
          text.find(kw + type + "\n") != std::string::npos)
        return true;
  }
  return false;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw cli::UsageError(fmt::format("new-allocator: cannot write '{}'", file.string()));
}

int create(const std::string& name, const std::string& kind, const std::string& dir) {
  const fs::path root = dir.empty() ? fs::current_path() : fs::path(dir);
  if (std::string why = check_new_name(name, root); !why.empty())
    throw cli::UsageError("new-allocator: " + why);
  const auto* tpl = *std::find_if(kKinds.begin(), kKinds.end(),
                                  [&](const KindTemplate* k) { return k->kind == kind; });
  const fs::path folder = root / "allocators" / name;
  // Written beside the final place, then renamed: a failure leaves no half-made plugin.
  const fs::path staging = root / "allocators" / ("." + name + ".new");
  std::error_code ec;
  fs::remove_all(staging, ec);
  if (!fs::create_directory(staging, ec))
    throw cli::UsageError(fmt::format("new-allocator: cannot create '{}': {}", staging.string(),
                                      ec.message()));
  const std::pair<std::string, std::string_view> files[] = {
      {name + ".hpp", tpl->header},
      {name + "_test.cpp", tpl->test},
      {"CMakeLists.txt", kCMakeLists}};
  try {
    for (const auto& [file, text] : files) write_text(staging / file, expand(text, name));
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
  fs::rename(staging, folder, ec);
  if (ec) {
    fs::remove_all(staging, ec);
    throw cli::UsageError(fmt::format("new-allocator: cannot create '{}'", folder.string()));
  }
  fmt::print("created {}/ ({} allocator, type alloclab::{}Allocator):\n", folder.string(), kind,
             camel_case(name));
  for (const auto& f : files) fmt::print("  {}\n", (folder / f.first).string());
  fmt::print(
      "next: cmake --build build && build/bin/alloclab_tests --gtest_filter='*{0}*:*{1}*'\n"
      "      build/bin/alloclab run -a {0} --verify   (see allocators/README.md)\n",
      name, camel_case(name));
  return 0;
}

}  // namespace

std::string camel_case(std::string_view name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    up = false;
  }
  return out;
}

std::string check_new_name(std::string_view name, const fs::path& root) {
  if (std::string why = check_plugin_name(name); !why.empty()) return why;
  if (name.find('-') != std::string_view::npos || name.back() == '_' ||
      name.find("__") != std::string_view::npos)
    return fmt::format("the name '{}' must be a C identifier (a-z, 0-9, single '_' inside)", name);
  if (std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords))
    return fmt::format("the name '{}' is a C++ keyword", name);
  if (std::find(std::begin(kReserved), std::end(kReserved), name) != std::end(kReserved))
    return fmt::format("the name '{}' is reserved", name);
  if (find_measurable(name))
    return fmt::format("an allocator named '{}' is already registered", name);
  std::error_code ec;
  const fs::path allocators = root / "allocators";
  if (!fs::is_directory(allocators, ec) || !fs::exists(root / "CMakeLists.txt", ec))
    return fmt::format("'{}' is not an alloclab source tree (no allocators/ folder); use --dir",
                       root.string());
  if (fs::exists(allocators / name, ec))
    return fmt::format("'{}' already exists", (allocators / name).string());
  const std::string type = camel_case(name) + "Allocator";
  if (type_taken(allocators, type))
    return fmt::format("the type '{}' is already declared under allocators/", type);
  return {};
}

void add_new_allocator_command(CLI::App& app, std::function<int()>& action) {
  auto* cmd = app.add_subcommand("new-allocator",
                                 "write allocators/NAME/: a working plugin to start from");
  auto name = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>("general");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("name", *name, "plugin name: a lowercase C identifier")->required();
  std::string kinds_help = "starting point:";
  std::vector<std::string> kind_names;
  for (const KindTemplate* k : kKinds) {
    kinds_help += fmt::format(" {} ({});", k->kind, k->summary);
    kind_names.emplace_back(k->kind);
  }
  cmd->add_option("--kind", *kind, kinds_help)->check(CLI::IsMember(kind_names))->capture_default_str();
  cmd->add_option("--dir", *dir, "source tree to write into (default: the current directory)");
  cmd->callback([&action, name, kind, dir] { action = [=] { return create(*name, *kind, *dir); }; });
}

}  // namespace alloclab::scaffold
