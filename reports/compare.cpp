// reports/compare.cpp — see compare.hpp.
#include "reports/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

// What a status means to the gate. No default: a new status must be classified here.
enum class Kind { kMeasured, kDidNotRun, kFault, kLeftOut };
Kind kind_of(model::Status s) {
  switch (s) {
    case model::Status::kOk: return Kind::kMeasured;
    case model::Status::kUnsupported:
    case model::Status::kUnavailable: return Kind::kDidNotRun;
    case model::Status::kFailed:
    case model::Status::kCrashed:
    case model::Status::kTimeout: return Kind::kFault;
    case model::Status::kInterrupted: return Kind::kLeftOut;
  }
  throw std::logic_error("compare: a status it does not know");
}

// The row without its interrupted repetitions.
Row without_interrupted(const Row& row) {
  Row out = row;
  std::erase_if(out.reps, [](const Repetition& rep) { return kind_of(rep.status) == Kind::kLeftOut; });
  return out;
}

std::vector<double> ok_times(const Row& row) {
  std::vector<double> v;
  for (const Repetition& rep : row.reps)
    if (rep.ok()) v.push_back(rep.ns_per_op);
  return v;
}

const Repetition* first_failure(const Row& row) {
  for (const Repetition& rep : row.reps)
    if (!rep.ok()) return &rep;
  return nullptr;
}

std::string describe(const Repetition* rep) {
  if (rep == nullptr) return "no ok repetitions";
  const std::string status = model::status_name(rep->status);
  return rep->error.empty() ? status : status + ": " + rep->error;
}

Comparison compare_row(const Row& b, const Row& n, const CompareOptions& options) {
  Comparison c;
  c.name = b.name;
  const std::vector<double> bt = ok_times(b), nt = ok_times(n);
  c.base_n = bt.size();
  c.new_n = nt.size();
  if (bt.empty()) {
    c.note = "base: " + describe(first_failure(b));
    return c;
  }
  c.base_median = median(bt);
  if (nt.empty()) {
    const Repetition* f = first_failure(n);
    c.note = "new: " + describe(f);
    if (f != nullptr && kind_of(f->status) == Kind::kFault) {
      c.verdict = Verdict::kBroken;
      c.regression = true;
    }
    return c;
  }
  c.new_median = median(nt);
  c.ratio = c.new_median / c.base_median;
  c.test = mann_whitney(nt, bt);
  if (c.test.p < options.alpha) {
    c.verdict = c.ratio > 1 ? Verdict::kSlower : c.ratio < 1 ? Verdict::kFaster : Verdict::kNoChange;
  } else {
    c.verdict = Verdict::kNoChange;
  }
  c.regression = c.verdict == Verdict::kSlower && c.ratio - 1.0 > options.threshold;
  const Repetition* base_failure = first_failure(b);
  const bool base_faulty = base_failure != nullptr && kind_of(base_failure->status) == Kind::kFault;
  if (const Repetition* f = first_failure(n); f != nullptr && kind_of(f->status) == Kind::kFault && !base_faulty) {
    // Some repetitions broke while others ran, where none broke before: a fault of the new build.
    c.note = fmt::format("new: {} in {} of {} repetitions", describe(f), n.reps.size() - nt.size(), n.reps.size());
    c.verdict = Verdict::kBroken;
    c.regression = true;
  }
  return c;
}

std::string verdict_text(const Comparison& c) {
  const double pct = 100.0 * (c.ratio - 1.0);
  switch (c.verdict) {
    case Verdict::kFaster: return fmt::format("faster ({:+.1f}%)", pct);
    case Verdict::kSlower:
      return fmt::format("{}slower ({:+.1f}%){}", c.regression ? "**" : "", pct, c.regression ? " — regression**" : "");
    case Verdict::kNoChange: return "no significant change";
    case Verdict::kBroken: return "**broken — regression**: " + c.note;
    case Verdict::kNotCompared: return "not compared: " + c.note;
  }
  return {};
}

}  // namespace

double parse_threshold(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t.back() == '%') t.pop_back();
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(t, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (t.empty() || used != t.size() || !(v >= 0) || !std::isfinite(v))
    throw std::invalid_argument(fmt::format("--threshold: expected a percentage such as 5%, not \"{}\"", text));
  return v / 100.0;
}

CompareResult compare(const Results& base, const Results& now, const CompareOptions& options) {
  CompareResult r;
  std::map<std::string, const Row*> new_rows;
  for (const Row& row : now.rows) new_rows.emplace(row.name, &row);
  std::vector<double> ratios;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> underpowered;  // (n_base, n_new) → rows
  for (const Row& b : base.rows) {
    auto it = new_rows.find(b.name);
    if (it == new_rows.end()) {
      r.only_base.push_back(b.name);
      continue;
    }
    const Row n = without_interrupted(*it->second);
    new_rows.erase(it);
    if (n.reps.empty()) {  // stopped before any repetition ended: nothing of NEW to judge
      r.interrupted_new.push_back(b.name);
      continue;
    }
    Comparison c = compare_row(without_interrupted(b), n, options);
    if (present(c.ratio) && c.ratio > 0) {
      ratios.push_back(c.ratio);
      if (c.test.min_p >= options.alpha) ++underpowered[{c.base_n, c.new_n}];
    }
    r.regression = r.regression || c.regression;
    r.rows.push_back(std::move(c));
  }
  for (const Row& row : now.rows)
    if (new_rows.count(row.name) != 0) r.only_new.push_back(row.name);
  if (!ratios.empty()) {
    r.geomean_ratio = geometric_mean(ratios);
    r.geomean_rows = ratios.size();
  }
  for (const auto& [sizes, count] : underpowered) {
    const double min_p = std::min(1.0, 2.0 / std::exp(std::lgamma(static_cast<double>(sizes.first + sizes.second) + 1) -
                                                      std::lgamma(static_cast<double>(sizes.first) + 1) -
                                                      std::lgamma(static_cast<double>(sizes.second) + 1)));
    r.warnings.push_back(fmt::format(
        "{} row{} with {} vs {} repetitions: the smallest p-value possible is {:.3g}, not below alpha {}; "
        "no change there can be called significant — run more repetitions",
        count, count == 1 ? "" : "s", sizes.first, sizes.second, min_p, options.alpha));
  }
  if (r.rows.empty()) r.warnings.push_back("no row names in common: nothing was compared");
  r.machines = machines_differ(base, now);
  if (!r.machines.empty())
    r.warnings.push_back(fmt::format("base and new were measured on different machines ({}): every ratio is across "
                                     "the two machines, not a change of the code alone",
                                     r.machines));
  return r;
}

std::string gate_refusal(const CompareResult& result, const CompareOptions& options) {
  if (result.rows.empty() && result.interrupted_new.empty()) return "no row name is in both files: nothing was compared";
  const auto first = [](const std::vector<std::string>& names) {
    return fmt::format("{} row{} (first: {})", names.size(), names.size() == 1 ? "" : "s", names.front());
  };
  if (!options.allow_missing && !result.only_base.empty())
    return fmt::format("{} of base missing from new; --allow-missing gates on the rest", first(result.only_base));
  if (!options.allow_missing && !result.interrupted_new.empty())
    return fmt::format("{} of new interrupted before any repetition ended; --allow-missing gates on the rest",
                       first(result.interrupted_new));
  if (!result.machines.empty() && !options.across_hosts)
    return fmt::format("base and new were measured on different machines ({}): a ratio across machines is no "
                       "regression of the code; --across-hosts gates anyway",
                       result.machines);
  const bool judged = std::any_of(result.rows.begin(), result.rows.end(),
                                  [](const Comparison& c) { return c.verdict != Verdict::kNotCompared; });
  if (!judged) return "no row was measured in both files: nothing was compared";
  return {};
}

std::string render_compare(const CompareResult& result, const CompareOptions& options,
                           const std::string& base_file, const std::string& new_file) {
  std::string out = fmt::format(
      "## alloclab compare\n\nbase {} → new {} · threshold {:g}% · alpha {} · two-sided Mann–Whitney U "
      "over the repetitions (exact distribution without ties on small samples; ≈ marks the normal "
      "approximation with tie correction)\n\n",
      md_code(base_file), md_code(new_file), options.threshold * 100.0, options.alpha);
  if (!result.machines.empty())
    out += fmt::format("**Across two machines**: base and new ran on different hosts ({}); each new/base below "
                       "compares the machines as well as the builds.\n\n",
                       md_cell(result.machines));
  out += fmt::format("| benchmark | base ns/op | new ns/op | {} | p | verdict |\n| --- | ---: | ---: | ---: | ---: | --- |\n",
                     result.machines.empty() ? "new/base" : "new/base (across hosts)");
  std::size_t faster = 0, slower = 0, regressions = 0, same = 0, other = 0;
  for (const Comparison& c : result.rows) {
    const std::string p = present(c.ratio) ? (c.test.exact ? "" : "≈") + fmt_p(c.test.p) : std::string(kDash);
    const std::string ratio = present(c.ratio) ? fmt::format("{:.3f}", c.ratio) : std::string(kDash);
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md_cell(c.name), fmt_num(c.base_median),
                       fmt_num(c.new_median), ratio, p, md_cell(verdict_text(c)));
    switch (c.verdict) {
      case Verdict::kFaster: ++faster; break;
      case Verdict::kSlower: ++slower; break;
      case Verdict::kNoChange: ++same; break;
      default: ++other;
    }
    if (c.regression) ++regressions;
  }
  out += "\n";
  if (present(result.geomean_ratio)) {
    const double pct = 100.0 * (result.geomean_ratio - 1.0);
    const std::string change = std::fabs(pct) < 0.05 ? std::string("no change")
                                                     : fmt::format("{:.1f}% {}", std::fabs(pct), pct > 0 ? "slower" : "faster");
    out += fmt::format("Geometric mean of new/base over {} rows: **{:.3f}** ({})\n\n", result.geomean_rows,
                       result.geomean_ratio, change);
  }
  out += fmt::format("{} faster, {} slower, {} no significant change, {} not compared or broken; "
                     "{} regression{} beyond the threshold\n",
                     faster, slower, same, other, regressions, regressions == 1 ? "" : "s");
  if (!result.only_base.empty()) {
    out += "\nOnly in base:";
    for (const std::string& n : result.only_base) out += " " + md_code(n);
    out += "\n";
  }
  if (!result.interrupted_new.empty()) {
    out += "\nInterrupted in new, before any repetition ended:";
    for (const std::string& n : result.interrupted_new) out += " " + md_code(n);
    out += "\n";
  }
  if (!result.only_new.empty()) {
    out += "\nOnly in new:";
    for (const std::string& n : result.only_new) out += " " + md_code(n);
    out += "\n";
  }
  for (const std::string& w : result.warnings) out += "\n> warning: " + w + "\n";
  return out;
}

}  // namespace alloclab::reports
