// How a repetition ended: the status every row carries, by name in the file.
#pragma once

#include <optional>
#include <string_view>

namespace alloclab::model {

// kInterrupted: the run was stopped (SIGINT/TERM/HUP) while this repetition ran. Neither a fault
// of the allocator nor a measurement: left out of statistics and of compare's gate.
enum class Status { kOk, kUnsupported, kUnavailable, kFailed, kCrashed, kTimeout, kInterrupted };

inline constexpr Status kAllStatuses[] = {Status::kOk,      Status::kUnsupported, Status::kUnavailable,
                                          Status::kFailed,  Status::kCrashed,     Status::kTimeout,
                                          Status::kInterrupted};

const char* status_name(Status s);  // "ok", "unsupported", ...
std::optional<Status> parse_status(std::string_view name);
// failed, crashed and timeout: the allocator misbehaved (unsupported/unavailable did not run).
bool is_fault(Status s);

}  // namespace alloclab::model
