#include "boost_pool.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::BoostPool);
ALLOCLAB_REGISTER_ALLOCATOR_AS("boost_pool_sc", "one boost::pool<> per size class (16 B-32 KiB)",
                               alloclab::BoostPoolSizeClassed);
