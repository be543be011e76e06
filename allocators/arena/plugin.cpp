// Registers the growable arena as the `arena` plugin.
#include "arena.hpp"
#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::Arena);
