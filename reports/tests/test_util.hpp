// Helpers shared by the reports tests: fixture paths, temporary directories, running a command.
#pragma once

#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "reports/commands.hpp"

namespace alloclab::reports::testing {

inline std::string data_path(const std::string& name) { return std::string(ALLOCLAB_REPORTS_TEST_DATA) + "/" + name; }

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh directory removed at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "alloclab-reports-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(path_)) ++n;
    return n;
  }

 private:
  std::filesystem::path path_;
};

// Parses argv (without the program name) through add_commands and runs the action, as the
// alloclab executable does. Returns the exit code.
inline int run_cli(std::vector<std::string> args) {
  CLI::App app{"alloclab (test)"};
  app.require_subcommand(1);
  std::function<int()> action;
  add_commands(app, action);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  app.parse(args);
  return action ? action() : -1;
}

}  // namespace alloclab::reports::testing
