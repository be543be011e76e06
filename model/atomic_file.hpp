// Writing an output file without destroying what is not ours: `run --json`, `record`'s
// histogram and `report --md/--html/--csv` all write through here.
//
//   regular file (or none yet)  a temporary file in the same directory, renamed over the path:
//                               a reader sees the old file or the whole new one.
//   symlink                     the same for the link's final target, in the target's directory;
//                               the link stays a link.
//   character device, FIFO      written into (/dev/null, /dev/stdout, a pipe): never replaced.
//   anything else               (a directory, a socket, a block device) refused.
// A short or failed write (/dev/full) is an error, never a silent success.
#pragma once

#include <string>
#include <string_view>

namespace alloclab::model {

// Returns an error message ("cannot write 'PATH': reason"), or empty on success.
std::string write_file_atomically(const std::string& path, std::string_view text);

// Fails early (before minutes of measuring) when `path` cannot be written. Empty when fine.
std::string check_writable(const std::string& path);

}  // namespace alloclab::model
