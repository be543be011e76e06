// Registers FixedPool as `object_pool` and SizeClassed<FixedPool> as `object_pool_sc`.
#include "allocators/core/size_classed.hpp"
#include "fixed_pool.hpp"
#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::FixedPool);
ALLOCLAB_REGISTER_ALLOCATOR_AS(
    "object_pool_sc",
    "one object_pool per size class (16 B steps to 128 B, then 4 per doubling to 32 KiB); "
    "sized free finds the class",
    alloclab::SizeClassed<alloclab::FixedPool>);
