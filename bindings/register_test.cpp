// Adapters get their own names: Locked<X> registers beside X (one line, no rename) as
// "<X's name>_locked", and Named<> gives a composition a name and summary of its own.
#include "bindings/register.hpp"

#include <gtest/gtest.h>

#include "allocators/core/locked.hpp"
#include "allocators/core/named.hpp"
#include "allocators/glibc/malloc_allocator.hpp"

namespace alloclab {
namespace {

using LockedMalloc = Locked<MallocAllocator>;
ALLOCLAB_REGISTER_ALLOCATOR(alloclab::Locked<alloclab::MallocAllocator>);

static_assert(LockedMalloc::traits.name == "glibc_locked");
using Renamed = Named<MallocAllocator, "glibc_named", "malloc under another name">;
static_assert(Renamed::traits.name == "glibc_named" && Renamed::traits.caps == MallocAllocator::traits.caps);
static_assert(Locked<Renamed>::traits.name == "glibc_named_locked");

TEST(BindingsTest, LockedRegistersBesideItsInnerUnderItsOwnName) {
  const PluginEntry* inner = find_plugin("glibc");
  const PluginEntry* locked = find_plugin("glibc_locked");
  ASSERT_NE(inner, nullptr);
  ASSERT_NE(locked, nullptr);
  EXPECT_EQ(inner->traits.name, "glibc");
  EXPECT_EQ(locked->traits.name, "glibc_locked");
  EXPECT_TRUE(has_cap(locked->traits.caps, kThreadSafe));
  EXPECT_NE(locked->replay, inner->replay);  // its own loop, over the lock

  void* self = locked->ops.create(Config{});
  ASSERT_NE(self, nullptr);
  void* p = locked->ops.allocate(self, 24, kMinAlign);
  EXPECT_NE(p, nullptr);
  locked->ops.deallocate(self, p, 24, kMinAlign);
  locked->ops.destroy(self);
}

TEST(BindingsTest, RegisteringANameTwiceAborts) {
  EXPECT_DEATH(register_plugin(make_entry<MallocAllocator>()),
               "alloclab: plugin 'glibc' registered twice");
}

}  // namespace
}  // namespace alloclab
