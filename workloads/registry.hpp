// Registry<T>: entries registered by name at static-initialisation time, kept sorted by name.
// Serves both the allocators (bindings/registry.hpp) and the workloads (workload.hpp). A
// duplicate name is a programming error: the process aborts at start-up with one line naming it.
//
// T: any entry type with a `registry_name(const T&)` found by argument-dependent lookup.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

namespace alloclab {

template <class T>
concept RegistryEntry = requires(const T& e) {
  { registry_name(e) } -> std::convertible_to<std::string_view>;
};

template <RegistryEntry T>
class Registry {
 public:
  // `kind` names an entry in the duplicate message: "plugin", "workload".
  explicit Registry(std::string_view kind) noexcept : kind_(kind) {}
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  void add(const T& entry) {
    const std::string_view name = registry_name(entry);
    auto at = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const T& e, std::string_view n) { return registry_name(e) < n; });
    if (at != entries_.end() && registry_name(*at) == name) {
      std::fprintf(stderr, "alloclab: %.*s '%.*s' registered twice\n", static_cast<int>(kind_.size()),
                   kind_.data(), static_cast<int>(name.size()), name.data());
      std::abort();
    }
    entries_.insert(at, entry);
  }

  // Every entry, sorted by name. Valid until the next add().
  std::span<const T> all() const noexcept { return entries_; }

  const T* find(std::string_view name) const noexcept {
    auto at = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const T& e, std::string_view n) { return registry_name(e) < n; });
    return at != entries_.end() && registry_name(*at) == name ? &*at : nullptr;
  }

 private:
  std::string_view kind_;
  std::vector<T> entries_;
};

}  // namespace alloclab
