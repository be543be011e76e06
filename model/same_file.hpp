// Whether two paths name one file: how a command refuses an output that would overwrite one of
// its inputs or another of its outputs.
#pragma once

#include <string>

namespace alloclab::model {

// True when `a` and `b` are the same file: by device and inode when both exist (links and
// different spellings included), by their absolute normalised paths (existing parents' symlinks
// resolved) when neither exists yet; false when only one exists.
bool same_file(const std::string& a, const std::string& b);

}  // namespace alloclab::model
