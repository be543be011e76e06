#include "model/status.hpp"

namespace alloclab::model {

const char* status_name(Status s) {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kUnsupported: return "unsupported";
    case Status::kUnavailable: return "unavailable";
    case Status::kFailed: return "failed";
    case Status::kCrashed: return "crashed";
    case Status::kTimeout: return "timeout";
    case Status::kInterrupted: return "interrupted";
  }
  return "?";
}

std::optional<Status> parse_status(std::string_view name) {
  for (Status s : kAllStatuses)
    if (name == status_name(s)) return s;
  return std::nullopt;
}

bool is_fault(Status s) { return s == Status::kFailed || s == Status::kCrashed || s == Status::kTimeout; }

}  // namespace alloclab::model
