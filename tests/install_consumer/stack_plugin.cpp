// A small C++ allocator made a C ABI plugin with one line (ALLOCLAB_EXPORT_PLUGIN), then
// measured by `alloclab run --plugin` and put through the conformance suite on the .so
// (tests/install_test.sh, the conformance_so_* tests). A stack: frees must come newest first
// (kFreeLast), and reset() empties it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "allocators/core/export_plugin.hpp"

namespace {

class StackAllocator {
 public:
  static constexpr std::size_t kCapacity = std::size_t{64} << 20;
  static constexpr alloclab::Traits traits{"stack", "a 64 MiB stack of blocks, newest freed first",
                                           alloclab::kFreeLast | alloclab::kReset, kCapacity / 2,
                                           4096};

  // Throws when the memory is refused: the exported create() turns that into NULL.
  explicit StackAllocator(const alloclab::Config&)
      : base_(static_cast<unsigned char*>(std::aligned_alloc(4096, kCapacity))) {
    if (base_ == nullptr) throw std::bad_alloc();
  }
  ~StackAllocator() { std::free(base_); }
  StackAllocator(const StackAllocator&) = delete;
  StackAllocator& operator=(const StackAllocator&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > traits.max_size || align > traits.max_align) return nullptr;
    if (align < alloclab::kMinAlign) align = alloclab::kMinAlign;
    const std::size_t at = (top_ + align - 1) & ~(align - 1);
    const std::size_t size = n == 0 ? 1 : n;
    if (at > kCapacity - size) return nullptr;
    top_ = at + size;
    last_ = at;
    return base_ + at;
  }
  // Only the newest block goes back (the one whose end is the top).
  void deallocate(void* p, std::size_t, std::size_t) noexcept {
    if (p == base_ + last_) top_ = last_;
  }
  void reset() noexcept { top_ = last_ = 0; }

 private:
  unsigned char* base_;
  std::size_t top_ = 0;
  std::size_t last_ = 0;
};

}  // namespace

ALLOCLAB_EXPORT_PLUGIN(StackAllocator, "stack")
