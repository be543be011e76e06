// Registry<T>: sorted by name, found by name, and a duplicate name aborts with one line.
#include "registry.hpp"

#include <gtest/gtest.h>

#include <string>

namespace alloclab {
namespace {

struct Entry {
  std::string_view name;
  int value;
};
std::string_view registry_name(const Entry& e) { return e.name; }

TEST(RegistryTest, KeepsEntriesSortedAndFindsThem) {
  Registry<Entry> r("entry");
  r.add({"b", 2});
  r.add({"c", 3});
  r.add({"a", 1});
  std::string order;
  for (const Entry& e : r.all()) order += e.name;
  EXPECT_EQ(order, "abc");
  ASSERT_NE(r.find("b"), nullptr);
  EXPECT_EQ(r.find("b")->value, 2);
  EXPECT_EQ(r.find("d"), nullptr);
  EXPECT_EQ(r.find(""), nullptr);
}

TEST(RegistryDeathTest, DuplicateNameAbortsNamingIt) {
  EXPECT_DEATH(
      {
        Registry<Entry> r("workload");
        r.add({"churn", 1});
        r.add({"frame", 2});
        r.add({"churn", 3});
      },
      "^alloclab: workload 'churn' registered twice\n$");
}

}  // namespace
}  // namespace alloclab
