#include "null_allocator.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::NullAllocator);
