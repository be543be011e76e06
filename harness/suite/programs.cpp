#include "programs.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include "model/exit_codes.hpp"

#include "inputs.hpp"

namespace alloclab::suite {
namespace {

// Scales, calibrated on a 2-core x86-64 (Debian 12) for ~3 s of CPU (default) and ~1 s (quick);
// CPU seconds measured under glibc (default / --quick): python 4 / 1.4, clang 6.4 / 2.1,
// gcc 3.3 / 1.5, lua 3.2 / 0.8, sqlite 2.2 / 1.0, z3 1.7-4.7 / 0.6-0.9, gs 3.8 / 1.0,
// rocksdb 5.2 / 0.8, redis (server) 3.3 / 0.7.
unsigned pick(Size s, unsigned full, unsigned quick) { return s == Size::kQuick ? quick : full; }

void write(const std::string& dir, const char* file, const std::string& text) {
  const std::string path = dir + "/" + file;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw model::UsageError(fmt::format("suite: cannot write {}: {}", path, std::strerror(errno)));
}

Invocation lua(const std::string& dir, Size s) {
  write(dir, "tables.lua", lua_script(pick(s, 40, 10)));
  return {{"lua5.4", "tables.lua"}, {}, {}, {}};
}

Invocation python(const std::string& dir, Size s) {
  write(dir, "dicts.py", python_script(pick(s, 12, 5)));
  // pymalloc serves objects up to 512 bytes from its own arenas: with it, malloc sees ~12 000
  // calls of this script; without it, ~11 million.
  return {{"python3", "dicts.py"}, {}, {}, {"PYTHONMALLOC=malloc"}};
}

Invocation sqlite(const std::string& dir, Size s) {
  write(dir, "load.sql", sql_script(pick(s, 5, 3)));
  return {{"sqlite3", ":memory:", ".read load.sql"}, {}, {}, {}};
}

Invocation clang(const std::string& dir, Size s) {
  write(dir, "templates.cpp", cpp_unit(pick(s, 10, 2)));
  return {{"clang++", "-std=c++17", "-O2", "-c", "templates.cpp", "-o", "templates.o"}, {}, {}, {}};
}

// The driver makes a few hundred calls; its child cc1plus (preloaded too: exec measures the
// process tree) keeps its trees in a collected heap of its own pages but still makes ~2.4
// million malloc calls on the quick unit, most of 64 bytes or 32-72 KiB.
Invocation gcc(const std::string& dir, Size s) {
  write(dir, "templates.cpp", cpp_unit(pick(s, 6, 2)));
  return {{"g++", "-std=c++17", "-O2", "-c", "templates.cpp", "-o", "templates.o"}, {}, {}, {}};
}

// A random instance's hardness jumps with the scale (CPU here: 150 0.3 s, 220 0.6 s, 240 2.1 s,
// 340 4.7 s): the scales are measured, not interpolated.
Invocation z3(const std::string& dir, Size s) {
  write(dir, "problem.smt2", smt_problem(pick(s, 340, 220)));
  return {{"z3", "problem.smt2"}, {}, {}, {}};
}

// Banded rendering (MaxBitmap=0 forces the clist) is what makes NumRenderingThreads render bands
// in threads.
Invocation gs(const std::string& dir, Size s) {
  write(dir, "pages.ps", postscript_pages(pick(s, 24, 6)));
  return {{"gs", "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=ppmraw", "-r150", "-dMaxBitmap=0",
           "-dNumRenderingThreads=2", "-sOutputFile=/dev/null", "pages.ps"},
          {},
          {},
          {}};
}

// db_bench destroys and recreates its database at the start (--use_existing_db=0).
Invocation db_bench(const std::string&, Size s) {
  return {{"db_bench", "--benchmarks=fillrandom,readrandom", fmt::format("--num={}", pick(s, 150000, 40000)),
           "--threads=2", "--db=db", "--value_size=100", "--compression_type=none", "--use_existing_db=0"},
          {},
          {},
          {}};
}

constexpr const char* kRedisPort = "16379";

Invocation redis(const std::string&, Size s) {
  Invocation inv;
  inv.argv = {"redis-benchmark", "-h", "127.0.0.1", "-p", kRedisPort, "-q", "-t", "set", "-d", "256", "-r", "200000",
              "-c", "8", "-n", fmt::format("{}", pick(s, 300000, 60000))};
  inv.metric = "rps=SET: ([0-9.]+) requests per second:higher";
  inv.server = Server{{"redis-server", "--port", kRedisPort, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"},
                      fmt::format("tcp:127.0.0.1:{}", kRedisPort)};
  return inv;
}

constexpr Program kPrograms[] = {
    {"python", "python3", "python3", "", "dicts, strings and JSON in a Python script", false, python},
    {"clang", "clang", "clang++", "", "clang++ -O2 on a template-heavy translation unit", false, clang},
    {"gcc", "g++", "g++", "", "g++ -O2 on the same kind of unit (cc1plus under the allocator)", false, gcc},
    {"lua", "lua5.4", "lua5.4", "", "tables, strings and closures in a Lua script", false, lua},
    {"sqlite", "sqlite3", "sqlite3", "", "inserts, an index, GROUP BY, a self-join in an in-memory database", false,
     sqlite},
    {"z3", "z3", "z3", "", "an SMT solver on a random QF_LIA problem", false, z3},
    {"gs", "ghostscript", "gs", "", "PostScript pages rendered in bands by 2 threads", true, gs},
    {"rocksdb", "rocksdb-tools", "db_bench", "", "an LSM store: fillrandom then readrandom, 2 threads", true, db_bench},
    // redis-server allocates on its main thread only (alloclab record: 1 thread; bio threads idle).
    {"redis", "redis-server redis-tools", "redis-server", "redis-benchmark", "a key-value server under redis-benchmark SET load (loopback)", false,
     redis},
};

}  // namespace

std::span<const Program> programs() { return kPrograms; }

const Program* program_named(std::string_view name) {
  for (const Program& p : kPrograms)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace alloclab::suite
