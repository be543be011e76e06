#include "pmr_resources.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::PmrMonotonic);
ALLOCLAB_REGISTER_ALLOCATOR(alloclab::PmrPool);
ALLOCLAB_REGISTER_ALLOCATOR(alloclab::PmrSyncPool);
