// Registers FixedPool as `object_pool` and SizeClassed<FixedPool> as `object_pool_sc`.
#include "allocators/core/size_classed.hpp"
#include "fixed_pool.hpp"
#include "workloads/register.hpp"

namespace alloclab {
namespace {

// SizeClassed<FixedPool> under its plugin name. (A named type rather than
// ALLOCLAB_REGISTER_ALLOCATOR_AS: that macro's `name` parameter also replaces `traits.name`.)
class SizeClassedObjectPool : public SizeClassed<FixedPool> {
 public:
  static constexpr Traits traits{
      "object_pool_sc",
      "one object_pool per size class (16 B steps to 128 B, then 4 per doubling to 32 KiB); "
      "sized free finds the class",
      SizeClassed<FixedPool>::traits.caps, SizeClassed<FixedPool>::traits.max_size,
      SizeClassed<FixedPool>::traits.max_align};
  using SizeClassed<FixedPool>::SizeClassed;
};

}  // namespace
}  // namespace alloclab

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::FixedPool);
ALLOCLAB_REGISTER_ALLOCATOR(alloclab::SizeClassedObjectPool);
