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

std::vector<const Program*> named(std::vector<std::string_view> names) {
  std::vector<const Program*> out;
  for (std::string_view n : names) out.push_back(program_named(n));
  return out;
}

const std::vector<exec::Contender> kContenders{{"glibc", {}, {}, {}, {}}, {"jemalloc", "/lib/j.so", {}, {}, {}},
                                               {"mimalloc", "/lib/m.so", {}, {}, {}}};
const Locate kEverywhere = [](const std::string& b) { return "/bin/" + b; };

std::vector<std::string> names_of(const std::vector<PlannedRow>& rows) {
  std::vector<std::string> out;
  for (const PlannedRow& r : rows) out.push_back(suite_row_name(r.contender->name, r.program->name));
  return out;
}

TEST(SuiteDriver, PlansRowsProgramMajorAndNamesThemByProgram) {
  EXPECT_EQ(names_of(plan_rows(named({"python", "lua"}), {kContenders[0], kContenders[1]}, kEverywhere)),
            (std::vector<std::string>{"exec/glibc/program:python", "exec/jemalloc/program:python",
                                      "exec/glibc/program:lua", "exec/jemalloc/program:lua"}));
}

TEST(SuiteDriver, AMissingProgramIsUnavailableNamingItsPackage) {
  const Locate no_lua = [](const std::string& b) { return b == "lua5.4" ? std::string() : "/bin/" + b; };
  const std::vector<PlannedRow> rows = plan_rows(named({"lua", "python"}), kContenders, no_lua);
  ASSERT_EQ(rows.size(), 6u);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(rows[i].unavailable.find("lua5.4 not found in PATH: install lua5.4"), i < 3 ? 0u : std::string::npos)
        << rows[i].unavailable;
}

// Every shard of N together plans every row exactly once, unavailable ones included.
TEST(SuiteDriver, ShardsCoverEveryRowExactlyOnce) {
  const Locate no_lua = [](const std::string& b) { return b == "lua5.4" ? std::string() : "/bin/" + b; };
  std::vector<const Program*> all;
  for (const Program& p : programs()) all.push_back(&p);
  const std::vector<std::string> whole = names_of(plan_rows(all, kContenders, no_lua));
  for (unsigned n : {1u, 2u, 3u, 5u, 7u, 30u}) {
    std::multiset<std::string> seen;
    for (unsigned k = 0; k < n; ++k) {
      const std::vector<std::string> part = names_of(plan_rows(all, kContenders, no_lua, Shard{k, n, "cli"}));
      EXPECT_LE(part.size(), whole.size() / n + 1) << k << "/" << n;
      seen.insert(part.begin(), part.end());
    }
    EXPECT_EQ(seen, std::multiset<std::string>(whole.begin(), whole.end())) << n;
  }
}

TEST(SuiteDriver, AServerNeedsItsClientToo) {
  const Program& redis = *program_named("redis");
  EXPECT_EQ(unavailable_reason(redis, kEverywhere), "");
  const Locate no_client = [](const std::string& b) { return b == "redis-benchmark" ? std::string() : "/bin/" + b; };
  EXPECT_NE(unavailable_reason(redis, no_client).find("redis-benchmark not found"), std::string::npos);
}

}  // namespace
}  // namespace alloclab::suite
