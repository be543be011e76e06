#include "deployments.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/exit_codes.hpp"

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

bool is_env_name(std::string_view n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0])) != 0) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

// The length of NAME in "NAME=..." at `text`, 0 when it does not start so.
std::size_t setting_name_length(std::string_view text) {
  const std::size_t eq = text.find('=');
  return eq != std::string_view::npos && is_env_name(text.substr(0, eq)) ? eq : 0;
}

// "K=V,K2=V2" inside the braces: a comma starts a setting only where NAME= follows.
std::vector<std::string> parse_settings(std::string_view body, std::string_view item) {
  std::vector<std::string> out;
  if (setting_name_length(body) == 0)
    throw model::UsageError(fmt::format("--allocator: '{}': settings are NAME=value inside the braces", item));
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    if (i < body.size() && !(body[i] == ',' && setting_name_length(body.substr(i + 1)) != 0)) continue;
    const std::string_view s = body.substr(start, i - start);
    const std::string_view name = s.substr(0, setting_name_length(s));
    if (name == "LD_PRELOAD" || name == "LD_LIBRARY_PATH")
      throw model::UsageError(fmt::format("--allocator: '{}': {} is what alloclab sets; a variant cannot", item, name));
    for (const std::string& earlier : out)
      if (earlier.compare(0, name.size() + 1, std::string(name) + "=") == 0)
        throw model::UsageError(fmt::format("--allocator: '{}': {} is set twice", item, name));
    out.emplace_back(s);
    start = i + 1;
  }
  return out;
}

std::string variant_bases() {
  std::vector<std::string_view> names{kDeployedPlugin};
  for (const Deployment& d : kDeployments) names.push_back(d.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string AllocatorSpec::settings_text() const { return fmt::format("{}", fmt::join(settings, ",")); }

bool variant_base_allowed(std::string_view base) {
  return base == kDeployedPlugin || find_deployment(base) != nullptr;
}

std::vector<std::string> split_allocator_list(std::string_view text, std::string_view what) {
  if (text.find_first_not_of(", ") == std::string_view::npos) throw model::UsageError(fmt::format("{}: empty list", what));
  std::vector<std::string> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ',';
    if (c == '{' && ++depth > 1) throw model::UsageError(fmt::format("{}: '{}': nested braces", what, text));
    if (c == '}' && --depth < 0) throw model::UsageError(fmt::format("{}: '{}': '}}' without '{{'", what, text));
    if (c != ',' || depth != 0) continue;
    if (i == start) throw model::UsageError(fmt::format("{}: '{}': empty allocator name", what, text));
    out.emplace_back(text.substr(start, i - start));
    start = i + 1;
  }
  if (depth != 0) throw model::UsageError(fmt::format("{}: '{}': '{{' without '}}'", what, text));
  return out;
}

AllocatorSpec parse_allocator(std::string_view item, const std::vector<AllocatorSpec>& variants) {
  for (const AllocatorSpec& v : variants)
    if (v.name == item) return v;
  const std::size_t open = item.find('{');
  if (open == std::string_view::npos) {
    if (item.find('}') != std::string_view::npos)
      throw model::UsageError(fmt::format("--allocator: '{}': '}}' without '{{'", item));
    return {std::string(item), std::string(item), {}};
  }
  if (item.back() != '}' || item.find('{', open + 1) != std::string_view::npos)
    throw model::UsageError(fmt::format("--allocator: '{}' is not BASE{{NAME=value,...}}", item));
  const std::string_view base = item.substr(0, open);
  if (!variant_base_allowed(base))
    throw model::UsageError(fmt::format("--allocator: '{}': unknown base '{}' for a variant (one of: {})", item,
                                        base, variant_bases()));
  return {std::string(item), std::string(base), parse_settings(item.substr(open + 1, item.size() - open - 2), item)};
}

AllocatorSpec parse_variant_definition(std::string_view definition) {
  const std::size_t eq = definition.find('=');
  const std::size_t open = definition.find('{');
  if (eq == 0 || eq == std::string_view::npos || (open != std::string_view::npos && open < eq) ||
      open == std::string_view::npos ||
      !std::all_of(definition.begin(), definition.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
      }))
    throw model::UsageError(fmt::format("--variant: '{}' is not NAME=BASE{{NAME=value,...}}", definition));
  const std::string_view name = definition.substr(0, eq);
  if (variant_base_allowed(name) || find_measurable(name))
    throw model::UsageError(fmt::format("--variant: '{}' is already an allocator's name; pick another", name));
  AllocatorSpec s = parse_allocator(definition.substr(eq + 1));
  s.name = name;
  return s;
}

std::vector<AllocatorSpec> parse_variant_definitions(const std::vector<std::string>& definitions) {
  std::vector<AllocatorSpec> out;
  for (const std::string& d : definitions) {
    AllocatorSpec s = parse_variant_definition(d);
    for (const AllocatorSpec& earlier : out)
      if (earlier.name == s.name) throw model::UsageError(fmt::format("--variant: '{}' is defined twice", s.name));
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<Measurable> find_measurable(const AllocatorSpec& spec) {
  std::optional<Measurable> m = find_measurable(spec.base);
  if (m && spec.name != spec.base) m->traits.name = spec.name;
  return m;
}

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
