// reports/warnings.cpp — see warnings.hpp. Reads the keys harness/environment.cpp writes;
// files without them (older ones, Google Benchmark's) give no warning rather than a guess.
#include "reports/warnings.hpp"

#include <fmt/format.h>

#include <map>

#include "model/keys.hpp"
#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

namespace k = model::key;
using nlohmann::json;

const json* ours(const json& ctx) {
  const auto it = ctx.find(k::kAlloclab);
  return it != ctx.end() && it->is_object() ? &*it : nullptr;
}

std::string text(const json* obj, std::string_view key) {
  if (obj == nullptr) return {};
  const auto it = obj->find(key);
  if (it == obj->end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

void scaling(const Environment& env, std::vector<std::string>& out) {
  const auto it = env.context.find(k::kCpuScalingEnabled);
  if (it == env.context.end() || !it->is_boolean() || !it->get<bool>()) return;
  const std::string governor = text(ours(env.context), k::kCpuGovernor);
  out.push_back(fmt::format("{}: CPU frequency scaling was on{}: timings follow the clock; set the "
                            "performance governor",
                            env.file, governor.empty() ? "" : fmt::format(" (governor {})", governor)));
}

// Busy: more runnable tasks than CPUs over the last minute (alloclab's own run is among them,
// so fewer would not mean competition).
void load(const Environment& env, std::vector<std::string>& out) {
  const json* o = ours(env.context);
  if (o == nullptr) return;
  const json load_1m = o->value(k::kLoadAvg1m, json()), cpus = env.context.value("num_cpus", json());
  if (!load_1m.is_number() || !cpus.is_number() || load_1m.get<double>() <= cpus.get<double>()) return;
  out.push_back(fmt::format("{}: the machine was busy (1-minute load average {:.2f} on {} CPUs): other "
                            "work competed with the measurement",
                            env.file, load_1m.get<double>(), cpus.get<unsigned>()));
}

// Files that disagree on `what`: "what differs between files: a.json madvise, b.json always".
void differing(const Results& results, const std::string& what, std::string (*value)(const json&),
               std::vector<std::string>& out) {
  std::map<std::string, std::string> files_by_value;
  for (const Environment& env : results.environments) {
    const std::string v = value(env.context);
    if (v.empty()) continue;
    std::string& files = files_by_value[v];
    files += (files.empty() ? "" : ", ") + env.file;
  }
  if (files_by_value.size() < 2) return;
  std::string list;
  for (const auto& [v, files] : files_by_value) list += fmt::format("{}{} ({})", list.empty() ? "" : "; ", v, files);
  out.push_back(fmt::format("{} differ between the files compared: {}", what, list));
}

std::string thp_modes(const json& ctx) {
  const std::string enabled = text(ours(ctx), k::kThpEnabled), defrag = text(ours(ctx), k::kThpDefrag);
  if (enabled.empty() && defrag.empty()) return {};
  return fmt::format("enabled={} defrag={}", enabled.empty() ? "?" : enabled, defrag.empty() ? "?" : defrag);
}

std::string host(const json& ctx) { return text(&ctx, k::kHostName); }

// Rows of the same name pool their repetitions across files; two builds so pooled read as one.
std::string build(const json& ctx) {
  const std::string rev = text(ours(ctx), k::kGitRevision), type = text(ours(ctx), k::kBuildType),
                    sanitizer = text(ours(ctx), k::kSanitizer);
  if (rev.empty() && type.empty()) return {};
  return fmt::format("{} {}{}", rev.empty() ? "?" : rev, type.empty() ? "?" : type,
                     sanitizer.empty() || sanitizer == "none" ? "" : " " + sanitizer);
}

}  // namespace

std::vector<std::string> measurement_warnings(const Results& results) {
  std::vector<std::string> out;
  for (const Environment& env : results.environments) {
    scaling(env, out);
    load(env, out);
  }
  differing(results, "transparent huge page modes", thp_modes, out);
  differing(results, "hosts (results of different machines are mixed)", host, out);
  differing(results,
            "builds (rows of the same name pool both builds' repetitions; `alloclab compare` "
            "sets two builds side by side)",
            build, out);
  return out;
}

std::string notes_markdown(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return {};
  std::string out = "\n**Notes: conditions that spoil these measurements**\n\n";
  for (const std::string& w : warnings) out += fmt::format("- warning: {}\n", md_cell(w));
  return out;
}

std::string notes_html(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return {};
  std::string out = "<section class=\"notes\"><h2>Notes: conditions that spoil these measurements</h2><ul>";
  for (const std::string& w : warnings) out += fmt::format("<li>warning: {}</li>", html_escape(w));
  return out + "</ul></section>\n";
}

}  // namespace alloclab::reports
