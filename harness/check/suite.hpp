// The malloc conformance suite behind `alloclab check`: each check of each allocator runs in a
// fresh probe process (alloclab-check-probe, beside this executable) under the allocator's
// LD_PRELOAD, so a crash or a hang is a row; the probe first proves who owns malloc.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/check/probe_process.hpp"
#include "model/check_row.hpp"

namespace alloclab::check {

inline constexpr const char* kProbeName = "alloclab-check-probe";

// An allocator that serves malloc: glibc, a deployment (harness/deployments.hpp), a user's .so.
struct Target {
  std::string name;
  std::string library;  // LD_PRELOAD; empty: none (glibc)
  std::string owner;    // the library that must own malloc in the probe; empty: not proved
  std::vector<std::string> environment;  // "NAME=value" set in the probe
  std::string version;  // the Debian package's version; empty: not a package
};

// A name that cannot be checked (a usage error: exit 2).
struct TargetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Skipped {
  std::string name, reason;
};

struct Targets {
  std::vector<Target> targets;
  std::vector<Skipped> skipped;  // of "all": not installed here
};

// `names` from -a ("all": glibc and every deployment, those not installed skipped) and the
// --preload-lib file (shown under its file name). Throws TargetError for an unknown name, an
// in-process plugin, a named allocator that is not installed, a missing file.
Targets resolve_targets(const std::vector<std::string>& names, const std::string& preload_lib);

struct CheckInfo {
  std::string name;
  bool required = true;  // false: it describes (a note, never a fail)
};

// The probe beside this executable; throws TargetError when it is not there.
std::string find_probe();
// The probe's checks, in its order; `only` (names) narrows them, an unknown one a TargetError.
std::vector<CheckInfo> list_checks(const std::string& probe, std::span<const std::string> only = {});

// One check of one allocator in a fresh probe.
model::CheckRow run_check(const std::string& probe, const Target& t, const CheckInfo& c, double timeout_s);
// The row a probe's ending makes: its verdict line, or a crash / hang / exit as the verdict.
model::CheckRow row_of(const Target& t, const CheckInfo& c, const ProbeRun& run, double timeout_s);

// Whether some allocator failed a required check.
bool any_required_failure(std::span<const model::CheckRow> rows);

}  // namespace alloclab::check
