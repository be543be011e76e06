#include "boost_pool.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::BoostPool);
ALLOCLAB_REGISTER_ALLOCATOR(alloclab::BoostPoolSizeClassed);
