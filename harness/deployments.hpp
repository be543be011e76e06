// Deployments: production allocators measured the way they are deployed (mimalloc-bench's
// way). A deployment is not a plugin: the runner starts a child with LD_PRELOAD of the
// deployment's library, and the child runs the `glibc` plugin's plain malloc/free after
// proving that the library really owns malloc (harness/preload.hpp).
//
// A measured name resolves to either an in-process plugin (bindings/registry.hpp) or a
// deployment; `alloclab list`, run, tb, sweep and alloclab-micro all see the same sorted list.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "allocators/core/traits.hpp"
#include "bindings/registry.hpp"

namespace alloclab {

struct Deployment {
  std::string_view name;
  std::string_view summary;
  std::string_view library;  // soname
  // Debian package that ships the library; empty: built by alloclab, found in the
  // executable's ../lib (mempool-preload).
  std::string_view package;
  std::span<const std::string_view> environment = {};  // "NAME=value" set in the child
};

// The plugin every deployment's child runs: plain malloc/free, served by the preloaded library.
inline constexpr std::string_view kDeployedPlugin = "glibc";

// Sorted by name.
std::span<const Deployment> deployments();
const Deployment* find_deployment(std::string_view name);

// Absolute path of the deployment's library; empty when it is not installed.
std::string deployment_library(const Deployment& d);

// Why the deployment cannot be measured (library missing, naming the package to install; a
// sanitizer build); empty when it can.
std::string deployment_unavailable(const Deployment& d);

// A name a run can measure: a registered plugin, or a deployment (then `plugin` is the one its
// child runs, and traits are that plugin's under the deployment's name and summary).
struct Measurable {
  Traits traits;
  const PluginEntry* plugin = nullptr;
  const Deployment* deployment = nullptr;
};

// Every plugin and deployment, sorted by name.
std::vector<Measurable> measurable_allocators();
std::optional<Measurable> find_measurable(std::string_view name);

// An allocator named on a command line (-a, --variant): a base (glibc or a deployment) run
// with settings, environment variables read by the allocator at start-up, e.g.
// `jemalloc{MALLOC_CONF=background_thread:true,dirty_decay_ms:0}`. Inside the braces a comma
// starts a new setting only where NAME= follows it, so values keep their commas and colons.
// A plain name is the spec with no settings (and any measurable name is accepted as such).
struct AllocatorSpec {
  std::string name;                   // in the rows: as written, or the --variant's short name
  std::string base;                   // the allocator it runs
  std::vector<std::string> settings;  // "NAME=value", in the order given
  std::string settings_text() const;  // "NAME=value,NAME=value"; empty: none
  bool operator==(const AllocatorSpec&) const = default;
};

// Bases a variant may have: glibc (the child's environment reaches its malloc) and the
// deployments. In-process plugins have no start-up settings.
bool variant_base_allowed(std::string_view base);

// Splits an -a list at the commas outside braces; a UsageError (flag: `what`) on an unbalanced
// brace or an empty item.
std::vector<std::string> split_allocator_list(std::string_view text, std::string_view what = "--allocator");

// `--variant NAME=BASE{K=V,...}`: the definition a list may then name by NAME.
AllocatorSpec parse_variant_definition(std::string_view definition);

// One item of a list: a --variant's NAME, BASE{...}, or a plain name (returned as it is, its
// existence checked by the caller). Bad syntax or an unknown base: a one-line UsageError.
AllocatorSpec parse_allocator(std::string_view item, const std::vector<AllocatorSpec>& variants = {});

// The --variant definitions, parsed (a UsageError on the first bad one or a name given twice).
std::vector<AllocatorSpec> parse_variant_definitions(const std::vector<std::string>& definitions);

// What a run measures for `spec`: its base's plugin or deployment, under the spec's name
// (`spec.name` must outlive the result: traits.name views it); nullopt for an unknown base.
std::optional<Measurable> find_measurable(const AllocatorSpec& spec);

}  // namespace alloclab
