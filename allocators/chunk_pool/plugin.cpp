#include "chunk_pool.hpp"

#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::ChunkPool);
