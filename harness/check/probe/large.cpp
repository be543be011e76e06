// Large blocks side by side (the mmap and huge-span paths), freed in every order.
#include <algorithm>
#include <cstdlib>

#include "probe.hpp"

namespace alloclab::probe {

void adjacent_large(Outcome& o) {
  constexpr std::size_t kSizes[] = {256 << 10, 1 << 20, 4 << 20, 16 << 20};
  constexpr std::size_t kN = std::size(kSizes);
  std::size_t order[kN] = {0, 1, 2, 3};
  unsigned orders = 0;
  do {
    unsigned char* blocks[kN];
    for (std::size_t i = 0; i < kN; ++i) {
      o.call("malloc(%zu)", kSizes[i]);
      blocks[i] = static_cast<unsigned char*>(std::malloc(kSizes[i]));
      if (blocks[i] == nullptr) return o.fail("malloc(%zu) -> NULL, expected a block", kSizes[i]);
      fill(blocks[i], kSizes[i], static_cast<unsigned>(i + orders * kN));
    }
    // Each block, when its turn to be freed comes, still holds its pattern.
    for (std::size_t k = 0; k < kN; ++k) {
      const std::size_t i = order[k];
      const auto seed = static_cast<unsigned>(i + orders * kN);
      if (std::size_t at = first_mismatch(blocks[i], kSizes[i], seed); at != kSizes[i])
        return o.fail("free order %zu%zu%zu%zu: malloc(%zu) -> %p changed at byte %zu after its neighbours were freed",
                      order[0], order[1], order[2], order[3], kSizes[i], static_cast<void*>(blocks[i]), at);
      o.call("free(%p) of %zu bytes (free order %zu%zu%zu%zu)", static_cast<void*>(blocks[i]), kSizes[i],
             order[0], order[1], order[2], order[3]);
      std::free(blocks[i]);
    }
    ++orders;
  } while (std::next_permutation(order, order + kN));
  o.info("blocks of 256 KiB, 1, 4 and 16 MiB allocated together and freed in all %u orders: contents intact", orders);
}

}  // namespace alloclab::probe
