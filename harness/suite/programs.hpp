// The curated programs of `alloclab suite`: real programs Debian ships, each run on an input the
// suite writes itself (inputs.hpp) into a scratch folder, sized for about 2–10 s of CPU by default
// and about 1 s with --quick.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alloclab::suite {

enum class Size { kDefault, kQuick };

// A server the client command loads (exec's server mode): started under the allocator, ready
// when `ready` holds (exec's --ready syntax), stopped after the client ends.
struct Server {
  std::vector<std::string> argv;  // argv[0]: the program's name, found in PATH
  std::string ready;              // "tcp:127.0.0.1:PORT"
};

// How one program runs on its input: the words are relative to the scratch folder it runs in, so
// the command line (the row's identity in compare) is the same from run to run.
struct Invocation {
  std::vector<std::string> argv;  // argv[0]: the program's name, found in PATH
  std::string metric;             // exec's NAME=REGEX[:higher|lower]; empty: wall time
  std::optional<Server> server;
  std::vector<std::string> env;   // NAME=VALUE set for the program
};

struct Program {
  std::string_view name;     // the suite's name for it: `alloclab suite NAME`
  std::string_view package;  // the Debian package that ships `binary`
  std::string_view binary;   // looked up in PATH
  std::string_view client;   // a server's load generator (exec's server mode); empty: not a server
  std::string_view what;     // one line for --list
  bool threaded;             // runs several threads that allocate
  // Writes the input into `dir` (which exists) and says how to run on it. Throws
  // std::runtime_error when a file cannot be written.
  Invocation (*prepare)(const std::string& dir, Size size);
};

// Every program, in the order they run.
std::span<const Program> programs();
// nullptr when no program has that name.
const Program* program_named(std::string_view name);

}  // namespace alloclab::suite
