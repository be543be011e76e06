#include "synth_spec.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

namespace alloclab::synth {
namespace {

using nlohmann::json;

// The largest spec file read: a spec has a few hundred numbers per thread.
constexpr std::size_t kMaxSpecBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxThreads = 1024;

[[noreturn]] void bad(const std::string& where, const std::string& what) { throw SpecError(where + ": " + what); }

void only_keys(const json& j, const std::string& where, std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) bad(where, "expected an object");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (std::string_view key : keys) known = known || k == key;
    if (!known) bad(where, fmt::format("unknown key '{}'", k));
  }
}

const json& need(const json& j, std::string_view k, const std::string& where) {
  auto it = j.find(k);
  if (it == j.end()) bad(where, fmt::format("missing '{}'", k));
  return *it;
}

std::uint64_t count_of(const json& j, const std::string& where) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<std::int64_t>() >= 0))
    bad(where, fmt::format("'{}' is not a count (a whole number >= 0)", j.dump()));
  return j.get<std::uint64_t>();
}

double weight_of(const json& j, const std::string& where) {
  if (!j.is_number()) bad(where, fmt::format("weight '{}' is not a number", j.dump()));
  return j.get<double>();
}

std::vector<Bin> bins_of(const json& j, const std::string& where) {
  if (!j.is_array()) bad(where, "expected a list of [lo, hi, weight]");
  std::vector<Bin> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string w = fmt::format("{}[{}]", where, i);
    if (!j[i].is_array() || j[i].size() != 3) bad(w, "expected [lo, hi, weight]");
    out.push_back(Bin{count_of(j[i][0], w), count_of(j[i][1], w), weight_of(j[i][2], w)});
  }
  return out;
}

std::string check_bins(const std::vector<Bin>& bins, const std::string& where, std::uint64_t min_lo,
                       bool may_be_empty) {
  double total = 0;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const Bin& b = bins[i];
    if (!std::isfinite(b.weight) || b.weight < 0)
      return fmt::format("{}[{}]: weight {} is negative or not finite", where, i, b.weight);
    if (b.lo < min_lo || b.lo > b.hi) return fmt::format("{}[{}]: range {}..{} is empty or below {}", where, i, b.lo, b.hi, min_lo);
    total += b.weight;
  }
  if (total <= 0 && !may_be_empty) return fmt::format("{}: no bin has a positive weight", where);
  return {};
}

std::string check_thread(const ThreadSpec& t, std::size_t n, std::size_t threads) {
  const std::string where = fmt::format("threads[{}]", n);
  if (t.allocations == 0) return where + ": allocations is 0";
  if (std::string e = check_bins(t.sizes, where + ".sizes", 1, false); !e.empty()) return e;
  for (const Bin& b : t.sizes)
    if (b.hi > 0xffffffffu) return fmt::format("{}.sizes: size {} is above 4 GiB - 1", where, b.hi);
  if (t.lifetimes.empty()) return where + ".lifetimes: empty";
  for (std::size_t i = 0; i < t.lifetimes.size(); ++i) {
    const LifetimeClass& c = t.lifetimes[i];
    const std::string w = fmt::format("{}.lifetimes[{}]", where, i);
    if (c.lo > c.hi) return fmt::format("{}: size range {}..{} is empty", w, c.lo, c.hi);
    if (!std::isfinite(c.never) || c.never < 0) return fmt::format("{}: never {} is negative", w, c.never);
    if (std::string e = check_bins(c.bins, w + ".bins", 1, c.never > 0); !e.empty()) return e;
    for (const Bin& b : c.bins)
      if (b.hi > t.allocations)
        return fmt::format("{}.bins: lifetime {} is beyond the thread's {} allocations", w, b.hi, t.allocations);
  }
  for (const Bin& s : t.sizes) {
    bool covered = false;
    for (const LifetimeClass& c : t.lifetimes) covered = covered || (c.lo <= s.lo && s.hi <= c.hi);
    if (!covered) return fmt::format("{}.sizes: {}..{} lies in no lifetimes entry's size range", where, s.lo, s.hi);
  }
  if (!std::isfinite(t.remote_free_share) || t.remote_free_share < 0 || t.remote_free_share > 1)
    return fmt::format("{}: remote_free_share {} is outside 0..1", where, t.remote_free_share);
  double handoff = 0;
  for (const auto& [to, w] : t.handoff) {
    if (to >= threads || to == n) return fmt::format("{}.handoff: thread {} is not another thread of the spec", where, to);
    if (!std::isfinite(w) || w < 0) return fmt::format("{}.handoff: weight {} is negative", where, w);
    handoff += w;
  }
  if (t.remote_free_share > 0 && handoff <= 0)
    return fmt::format("{}: remote_free_share {} but no hand-off target", where, t.remote_free_share);
  return {};
}

}  // namespace

std::string check_spec(const WorkloadSpec& s) {
  if (s.threads.empty()) return "zero threads";
  if (s.threads.size() > kMaxThreads) return fmt::format("{} threads exceed {}", s.threads.size(), kMaxThreads);
  for (std::size_t i = 0; i < s.threads.size(); ++i)
    if (std::string e = check_thread(s.threads[i], i, s.threads.size()); !e.empty()) return e;
  return {};
}

WorkloadSpec parse_spec(std::string_view text, const std::string& source) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw SpecError(fmt::format("workload spec '{}': not JSON (byte {})", source, e.byte));
  }
  try {
    only_keys(root, "spec", {key::kVersion, key::kThreads});
    if (count_of(need(root, key::kVersion, "spec"), "spec") != kSpecVersion)
      bad("spec", fmt::format("version {} (this alloclab reads {})", need(root, key::kVersion, "spec").dump(), kSpecVersion));
    const json& threads = need(root, key::kThreads, "spec");
    if (!threads.is_array()) bad("threads", "expected a list");
    WorkloadSpec s;
    for (std::size_t i = 0; i < threads.size(); ++i) {
      const std::string where = fmt::format("threads[{}]", i);
      const json& t = threads[i];
      only_keys(t, where, {key::kAllocations, key::kSizes, key::kLifetimes, key::kRemoteFreeShare, key::kHandoff});
      ThreadSpec ts;
      ts.allocations = count_of(need(t, key::kAllocations, where), where);
      ts.sizes = bins_of(need(t, key::kSizes, where), where + ".sizes");
      const json& lt = need(t, key::kLifetimes, where);
      if (!lt.is_array()) bad(where + ".lifetimes", "expected a list");
      for (std::size_t k = 0; k < lt.size(); ++k) {
        const std::string w = fmt::format("{}.lifetimes[{}]", where, k);
        only_keys(lt[k], w, {key::kLo, key::kHi, key::kBins, key::kNever});
        ts.lifetimes.push_back(LifetimeClass{count_of(need(lt[k], key::kLo, w), w), count_of(need(lt[k], key::kHi, w), w),
                                             bins_of(need(lt[k], key::kBins, w), w + ".bins"),
                                             weight_of(need(lt[k], key::kNever, w), w)});
      }
      ts.remote_free_share = weight_of(need(t, key::kRemoteFreeShare, where), where);
      const json& h = need(t, key::kHandoff, where);
      if (!h.is_array()) bad(where + ".handoff", "expected a list of [thread, weight]");
      for (const json& e : h) {
        if (!e.is_array() || e.size() != 2) bad(where + ".handoff", "expected [thread, weight]");
        const std::uint64_t to = count_of(e[0], where + ".handoff");
        if (to >= kMaxThreads) bad(where + ".handoff", fmt::format("thread {} is out of range", to));
        ts.handoff.emplace_back(static_cast<std::uint32_t>(to), weight_of(e[1], where + ".handoff"));
      }
      s.threads.push_back(std::move(ts));
    }
    if (std::string e = check_spec(s); !e.empty()) throw SpecError(e);
    return s;
  } catch (const SpecError& e) {
    throw SpecError(fmt::format("workload spec '{}': {}", source, e.what()));
  }
}

WorkloadSpec read_spec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(fmt::format("workload spec '{}': cannot be read", path));
  std::string text(kMaxSpecBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw SpecError(fmt::format("workload spec '{}': cannot be read", path));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxSpecBytes) throw SpecError(fmt::format("workload spec '{}': larger than {} bytes", path, kMaxSpecBytes));
  return parse_spec(text, path);
}

std::string format_spec(const WorkloadSpec& s) {
  auto bins = [](const std::vector<Bin>& v) {
    json a = json::array();
    for (const Bin& b : v) a.push_back(json::array({b.lo, b.hi, b.weight}));
    return a;
  };
  json threads = json::array();
  for (const ThreadSpec& t : s.threads) {
    json lifetimes = json::array();
    for (const LifetimeClass& c : t.lifetimes)
      lifetimes.push_back({{key::kLo, c.lo}, {key::kHi, c.hi}, {key::kBins, bins(c.bins)}, {key::kNever, c.never}});
    json handoff = json::array();
    for (const auto& [to, w] : t.handoff) handoff.push_back(json::array({to, w}));
    threads.push_back({{key::kAllocations, t.allocations}, {key::kSizes, bins(t.sizes)}, {key::kLifetimes, lifetimes},
                       {key::kRemoteFreeShare, t.remote_free_share}, {key::kHandoff, handoff}});
  }
  return json{{key::kVersion, kSpecVersion}, {key::kThreads, threads}}.dump() + "\n";
}

}  // namespace alloclab::synth
