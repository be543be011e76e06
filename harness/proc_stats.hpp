// Reading the process's own memory and CPU figures from /proc and getrusage.
#pragma once

#include <cstdint>

#include "model/measurement.hpp"

namespace alloclab {

using model::CpuUsage;  // a figure of the results model

std::uint64_t current_rss_bytes();  // /proc/self/statm resident pages x page size
std::uint64_t rss_bytes_of(int pid);  // the same for another process (0: this one)
std::uint64_t peak_rss_bytes();     // VmHWM from /proc/self/status (0 if unreadable)
bool reset_peak_rss();              // "5" into /proc/self/clear_refs (Linux >= 4.0)
CpuUsage cpu_usage();               // getrusage(RUSAGE_SELF)
CpuUsage operator-(const CpuUsage& a, const CpuUsage& b);

}  // namespace alloclab
