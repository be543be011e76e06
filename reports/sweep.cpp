// reports/sweep.cpp — sweeps: groups that differ in one parameter, and where the lead changes.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>

#include "model/param_text.hpp"
#include "reports/summary.hpp"

namespace alloclab::reports {
namespace {

// The value as a number, when the whole text is one.
bool numeric(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// Orders the points by their value when every value is a number; else keeps first appearance.
void order_points(Sweep& s) {
  std::vector<double> v(s.values.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!numeric(s.values[i], v[i])) return;
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  Sweep sorted = s;
  for (std::size_t i = 0; i < order.size(); ++i) {
    sorted.groups[i] = s.groups[order[i]];
    sorted.values[i] = s.values[order[i]];
  }
  s = std::move(sorted);
}

std::string sole_leader(const Group& g) {
  return g.decision.fastest.size() == 1 ? g.decision.entries[g.decision.fastest.front()].name : std::string();
}

}  // namespace

std::string Sweep::param_label() const { return param.empty() ? "argument" : param; }

std::string Sweep::title() const {
  std::string t = param_label() + " sweep · " + workload;
  return params.empty() ? t : t + " · " + params_label(params);
}

std::string Sweep::point_label(std::size_t i) const {
  return param_label() + "=" + model::param_value_text(param, values[i]);
}

std::vector<Sweep> find_sweeps(const std::vector<Group>& groups) {
  std::map<std::string, std::size_t> index;
  std::vector<Sweep> candidates;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    for (std::size_t p = 0; p < g.params.size(); ++p) {
      // Positional parameters have no name: their position tells them apart.
      std::string key = g.workload + '\x1f' + (g.params[p].first.empty() ? "#" + std::to_string(p) : g.params[p].first);
      Sweep s;
      s.workload = g.workload;
      s.param = g.params[p].first;
      for (std::size_t q = 0; q < g.params.size(); ++q) {
        if (q == p) continue;
        key += '\x1f' + g.params[q].first + '=' + g.params[q].second;
        s.params.push_back(g.params[q]);
      }
      const auto [it, added] = index.emplace(key, candidates.size());
      if (added) candidates.push_back(std::move(s));
      candidates[it->second].groups.push_back(gi);
      candidates[it->second].values.push_back(g.params[p].second);
    }
  }
  std::vector<Sweep> sweeps;
  for (Sweep& s : candidates) {
    if (s.groups.size() < 2) continue;
    order_points(s);
    s.lead_changes = lead_changes(s, groups);
    sweeps.push_back(std::move(s));
  }
  return sweeps;
}

std::vector<LeadChange> lead_changes(const Sweep& sweep, const std::vector<Group>& groups) {
  std::vector<LeadChange> changes;
  std::string leader;
  std::size_t at = 0;
  for (std::size_t i = 0; i < sweep.groups.size(); ++i) {
    const std::string name = sole_leader(groups[sweep.groups[i]]);
    if (name.empty()) continue;  // tied for the lead here
    if (!leader.empty() && name != leader) changes.push_back({at, i, leader, name});
    leader = name;
    at = i;
  }
  return changes;
}

std::string Sweep::lead_sentence(const std::vector<Group>& all) const {
  if (!lead_changes.empty()) {
    std::string out = "the lead changes hands: ";
    for (std::size_t i = 0; i < lead_changes.size(); ++i) {
      const LeadChange& c = lead_changes[i];
      out += fmt::format("{}{} → {} between {} and {}", i > 0 ? "; " : "", c.from, c.to, point_label(c.from_point),
                         point_label(c.to_point));
    }
    return out;
  }
  std::string leader;
  std::size_t tied = 0;
  for (std::size_t gi : groups) {
    const std::string name = sole_leader(all[gi]);
    if (name.empty()) ++tied;
    else leader = name;
  }
  if (leader.empty()) return fmt::format("no clear leader at any {}", param_label());
  if (tied == 0) return fmt::format("{} leads at every {}", leader, param_label());
  return fmt::format("{} leads wherever the lead is clear (tied at {} of {} points)", leader, tied, groups.size());
}

}  // namespace alloclab::reports
