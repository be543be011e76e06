// boost::pool<> as plugins, the production peer of the single-type pool:
//   boost_pool      one pool serving one block size (kFixedSize): Config::block_size, or
//                   traits.max_size when the runner gives none.
//   boost_pool_sc   one pool per size class (allocators/core/size_classed.hpp), so it serves
//                   any size up to 32 KiB; the sized free picks the class back.
// Alignment: boost::pool carves its blocks (new[]-ed, so 16-aligned) into chunks of the
// requested size rounded to a multiple of lcm(sizeof(void*), sizeof(size_type)) = 8. Asking for
// a multiple of 16 therefore keeps every chunk 16-aligned; both plugins do, and serve no larger
// alignment (max_align 16). boost::pool's default allocator is new(std::nothrow), so running out
// of memory is a null pointer, never an exception. Neither is thread-safe.
#pragma once

#include <boost/pool/pool.hpp>

#include <algorithm>
#include <cstddef>

#include "allocators/core/named.hpp"
#include "allocators/core/traits.hpp"
#include "allocators/core/size_classed.hpp"

namespace alloclab {

namespace boost_pool_detail {

using Pool = boost::pool<boost::default_user_allocator_new_delete>;

constexpr std::size_t round16(std::size_t n) noexcept { return (std::max<std::size_t>(n, 1) + 15) & ~std::size_t{15}; }

// Chunks per block the pool starts with: about 4 KiB worth, at least 8.
constexpr std::size_t first_chunks(std::size_t chunk_size) noexcept {
  return std::max<std::size_t>(4096 / chunk_size, 8);
}

}  // namespace boost_pool_detail

class BoostPool {
 public:
  static constexpr Traits traits{"boost_pool", "boost::pool<> serving one block size",
                                 kFixedSize | kFree | kReset, std::size_t{64} << 10, kMinAlign};

  explicit BoostPool(const Config& config)
      : size_(block_size_for(config)),
        pool_(boost_pool_detail::round16(size_), boost_pool_detail::first_chunks(size_)) {}
  BoostPool(const BoostPool&) = delete;
  BoostPool& operator=(const BoostPool&) = delete;

  // Requests up to the configured block size are served (each with a whole block).
  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > size_ || align > traits.max_align) return nullptr;
    return pool_.malloc();
  }
  void deallocate(void* p, std::size_t, std::size_t) noexcept { pool_.free(p); }
  void reset() noexcept { pool_.purge_memory(); }

  std::size_t block_size() const noexcept { return size_; }

 private:
  static std::size_t block_size_for(const Config& c) noexcept {
    return c.block_size == 0 ? traits.max_size : std::min(c.block_size, traits.max_size);
  }

  std::size_t size_;
  boost_pool_detail::Pool pool_;
};

// boost_pool_sc: one BoostPool per size class, through the shared SizeClassed adapter (the same
// class table as object_pool_sc, so the two compare like for like).
using BoostPoolSizeClassed = Named<SizeClassed<BoostPool>, "boost_pool_sc",
                                   "one boost::pool<> per size class (16 B-32 KiB)">;

}  // namespace alloclab
