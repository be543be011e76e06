// The suite's table, its generated inputs and the driver's interleaving, unavailable rows and
// row identity, with exec replaced by a recording fake.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "harness/suite/driver.hpp"
#include "harness/suite/inputs.hpp"

namespace alloclab::suite {
namespace {

TEST(SuitePrograms, NamesAreUniqueAndFindable) {
  std::set<std::string_view> names;
  unsigned threaded = 0;
  for (const Program& p : programs()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_EQ(program_named(p.name), &p);
    EXPECT_FALSE(p.package.empty());
    EXPECT_FALSE(p.binary.empty());
    threaded += p.threaded ? 1 : 0;
  }
  EXPECT_GE(threaded, 2u);
  EXPECT_EQ(program_named("no-such"), nullptr);
}

TEST(SuiteInputs, AreDeterministicAndScale) {
  for (auto gen : {lua_script, python_script, sql_script, cpp_unit, smt_problem, postscript_pages}) {
    EXPECT_EQ(gen(3), gen(3));
    EXPECT_NE(gen(2), gen(4));
  }
  for (auto gen : {sql_script, cpp_unit, smt_problem, postscript_pages})  // the scripts scale their rounds
    EXPECT_LT(gen(2).size(), gen(4).size());
  const std::string smt = smt_problem(10);
  std::size_t decls = 0;
  for (std::size_t at = 0; (at = smt.find("declare-const", at)) != std::string::npos; ++at) ++decls;
  EXPECT_EQ(decls, 10u);
  EXPECT_NE(smt.find("(check-sat)"), std::string::npos);
}

TEST(SuiteInputs, PrepareWritesTheInputItNames) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("suite_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const Program& p : programs()) {
    const fs::path sub = dir / std::string(p.name);
    fs::create_directories(sub);
    const Invocation inv = p.prepare(sub.string(), Size::kQuick);
    ASSERT_FALSE(inv.argv.empty());
    EXPECT_EQ(inv.server.has_value(), !p.client.empty()) << p.name;
    for (const auto& f : fs::directory_iterator(sub)) {  // every file written is one the command reads
      const std::string name = f.path().filename().string();
      EXPECT_GT(fs::file_size(f.path()), 0u) << p.name << ": " << name;
      EXPECT_TRUE(std::any_of(inv.argv.begin(), inv.argv.end(),
                              [&](const std::string& w) { return w.find(name) != std::string::npos; }))
          << p.name << ": " << name;
    }
  }
  fs::remove_all(dir);
}

// A fake exec: one ok row per allocator, recording the calls.
struct FakeExec {
  std::vector<std::string> calls;  // "program:warmup"
  ExecResult operator()(const ExecRequest& q) {
    calls.push_back(q.program + ":" + std::to_string(q.warmup));
    EXPECT_TRUE(std::filesystem::is_directory(q.cwd));
    EXPECT_EQ(q.argv[0].find('/'), std::string::npos);  // exec finds it in PATH
    ExecResult r;
    for (const char* a : {"glibc", "jemalloc"}) {
      model::Row row;
      row.allocator = a;
      row.workload = "exec";
      row.name = std::string("exec/") + a + "/cmd:x";
      row.cwd = q.cwd;
      row.command = q.argv[0];
      row.m.status = model::Status::kOk;
      r.rows.push_back(row);
    }
    return r;
  }
};

SuitePlan plan_of(std::vector<std::string_view> names, unsigned reps) {
  SuitePlan plan;
  for (std::string_view n : names) plan.programs.push_back(program_named(n));
  plan.allocators = {"glibc", "jemalloc"};
  plan.allocator_list = "glibc,jemalloc";
  plan.size = Size::kQuick;
  plan.reps = reps;
  plan.warmup = 2;
  return plan;
}

TEST(SuiteDriver, InterleavesProgramsAndNamesRowsByProgram) {
  FakeExec fake;
  const Locate everywhere = [](const std::string& b) { return "/bin/" + b; };
  const SuiteResult got = run_suite(plan_of({"python", "lua"}, 2), std::ref(fake), everywhere, {});
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"python:2", "lua:2", "python:0", "lua:0"}));
  ASSERT_EQ(got.rows.size(), 8u);
  EXPECT_EQ(got.rows[0].program, "python");
  EXPECT_EQ(got.rows[0].name, "exec/glibc/program:python");
  EXPECT_EQ(got.rows[0].cwd, "");  // the scratch folder is gone after the run
  EXPECT_EQ(got.rows[6].name, "exec/glibc/program:lua");
  EXPECT_EQ(got.rows[6].repetition_index, 1u);
  EXPECT_EQ(got.rows[6].repetitions, 2u);
  EXPECT_FALSE(got.any_failed);
}

TEST(SuiteDriver, AMissingProgramIsAnUnavailableRowNamingItsPackage) {
  FakeExec fake;
  const Locate no_lua = [](const std::string& b) { return b == "lua5.4" ? std::string() : "/bin/" + b; };
  const SuiteResult got = run_suite(plan_of({"lua", "python"}, 1), std::ref(fake), no_lua, {});
  EXPECT_EQ(fake.calls, (std::vector<std::string>{"python:2"}));
  ASSERT_EQ(got.rows.size(), 4u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(got.rows[i].m.status, model::Status::kUnavailable);
    EXPECT_EQ(got.rows[i].program, "lua");
    EXPECT_NE(got.rows[i].m.error.find("install lua5.4"), std::string::npos) << got.rows[i].m.error;
  }
  EXPECT_FALSE(got.any_failed);  // unavailable is not a fault
}

TEST(SuiteDriver, AServerNeedsExecsServerMode) {
  const Locate everywhere = [](const std::string& b) { return "/bin/" + b; };
  const Program& redis = *program_named("redis");
  EXPECT_EQ(unavailable_reason(redis, everywhere, "no server mode"), "no server mode");
  EXPECT_EQ(unavailable_reason(redis, everywhere, ""), "");
  EXPECT_EQ(unavailable_reason(*program_named("python"), everywhere, "no server mode"), "");
  const Locate no_client = [](const std::string& b) { return b == "redis-benchmark" ? std::string() : "/bin/" + b; };
  EXPECT_NE(unavailable_reason(redis, no_client, "").find("redis-benchmark not found"), std::string::npos);
}

TEST(SuiteDriver, StopsAtAnInterrupt) {
  std::vector<std::string> calls;
  const ExecRunner stopped = [&](const ExecRequest& q) {
    calls.push_back(q.program);
    ExecResult r;
    r.interrupted = 2;
    return r;
  };
  const Locate everywhere = [](const std::string& b) { return "/bin/" + b; };
  const SuiteResult got = run_suite(plan_of({"python", "lua"}, 3), stopped, everywhere, {});
  EXPECT_EQ(calls, std::vector<std::string>{"python"});
  EXPECT_EQ(got.interrupted, 2);
}

}  // namespace
}  // namespace alloclab::suite
