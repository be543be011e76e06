// How `alloclab record` runs the recorded program: in a process group of its own, so that
// stopping alloclab stops everything the program started, and never the other way round.
#pragma once

#include <sys/types.h>

namespace alloclab::cli {

// Seconds the program's group has, after alloclab passed it a signal, before it is killed.
inline constexpr int kStopGraceSeconds = 5;

// Runs argv[0] (looked up in $PATH) with envp in a new process group and returns its wait
// status; `child` is its pid (the group's id). When alloclab owns the terminal, the group
// owns it while the program runs (Ctrl-C and Ctrl-Z reach the program; alloclab stops with
// it). SIGINT, SIGTERM or SIGHUP sent to alloclab alone go to the whole group; what of the
// group is still alive kStopGraceSeconds later, or at a second signal, is killed, and so is
// what outlives the program after a signal. The program is killed if alloclab dies
// (PR_SET_PDEATHSIG). `pid_slot`, when not null, receives the child's pid in decimal (at
// most 20 characters) before the exec. If the exec fails the child says why on stderr and
// exits 127.
int run_in_own_group(char* const argv[], char* const envp[], char* pid_slot, pid_t& child);

}  // namespace alloclab::cli
