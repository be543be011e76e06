// Arena: a bump allocator, a region and an offset into it.
//
// Glossary
//   region   - the bytes [cursor, end) the next allocation is carved from.
//   granule  - 16 bytes. Every size is rounded up to it, so the cursor stays 16-aligned and a
//              request for align <= 16 pays no padding.
//   newest   - the block ending exactly at the cursor. Sized free and realloc act on it in
//              place (nullprogram's checklist: the caller passes the size, so the arena can
//              tell); any other block is left alone.
//   block    - growable mode: one OS reservation in the chain, a Block header then data.
//   spare    - a block after the current one: kept by restore()/reset() and reused in order.
//   marker   - a saved (block, cursor). restore() rewinds to it in O(1).
//
// Two backing modes, one fast path (allocate = validate, one bump, one compare):
//   fixed     - Arena(std::span<std::byte>, ...): the caller's buffer. Out of memory calls the
//               OOM handler, if one is set, then returns nullptr.
//   growable  - Arena(ArenaOptions) / Arena(Config): chained blocks from os_pages::reserve
//               (see os_pages.hpp for the commit strategy). A full block is followed by a
//               spare if it fits, else a new block of max(block_bytes, what the request needs);
//               blocks go back to the OS in release() and the destructor. When the OS refuses,
//               the OOM handler is called too.
//
// Documented edge cases
//   allocate(0, a)        a unique non-null pointer (it takes one granule).
//   align not a power of two, or align > kMaxAlign, or n > kMaxSize
//                         nullptr, without calling the OOM handler: a bad request, not OOM.
//   deallocate(p, n, a)   gives the space back iff p is the newest block, else does nothing.
//   reallocate(p, o, n)   the newest block grows or shrinks in place; any other block shrinks
//                         in place; growing any other block allocates, copies o bytes and
//                         leaves the old block in place (the arena frees nothing singly).
//
// Under ASan (core/asan.hpp) only the bytes of live blocks are addressable: the rest of the
// region, freed blocks, and everything a reset() or restore() gave back are poisoned, so a
// use after reset or an overflow past the requested size is reported.
//
// Not thread-safe: one instance per thread (the harness does so without kThreadSafe).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>

#include "align.hpp"
#include "allocators/core/asan.hpp"
#include "allocators/core/traits.hpp"
#include "os_pages.hpp"

namespace alloclab {

// Called when the arena cannot satisfy a valid request. It may not return (abort, longjmp to
// a recovery point, as nullprogram suggests); when it returns, allocate returns nullptr.
struct OomHandler {
  void (*fn)(void* context, std::size_t n, std::size_t align) noexcept = nullptr;
  void* context = nullptr;
};

struct ArenaOptions {
  std::size_t block_bytes = std::size_t{64} << 20;  // address space per block (growable mode)
  OomHandler on_oom{};
};

class Arena {
 public:
  static constexpr std::size_t kGranule = 16;
  static constexpr std::size_t kMaxSize = std::size_t{1} << 30;
  static constexpr std::size_t kMaxAlign = 4096;
  static constexpr Traits traits{"arena",
                                 "bump allocator over chained mmap blocks; free/realloc of the "
                                 "newest block, O(1) reset and markers",
                                 kFreeLast | kReset | kRealloc, kMaxSize, kMaxAlign};

  struct Block;
  // A position to rewind to. pre (restore): markers are restored in LIFO order, i.e. never one
  // saved after a position that has since been rewound past.
  struct Marker {
    Block* block = nullptr;
    std::byte* cursor = nullptr;
  };

  // Growable mode.
  explicit Arena(const ArenaOptions& options = {}) noexcept
      : growable_(true), block_bytes_(options.block_bytes), on_oom_(options.on_oom) {}
  explicit Arena(const Config&) noexcept : Arena(ArenaOptions{}) {}

  // Fixed mode over the caller's buffer, which must outlive the arena. Its start is rounded
  // up to a granule so the cursor invariant holds.
  explicit Arena(std::span<std::byte> buffer, OomHandler on_oom = {}) noexcept : on_oom_(on_oom) {
    const auto begin = reinterpret_cast<std::uintptr_t>(buffer.data());
    const std::size_t skip = std::min(align_padding(begin, kGranule), buffer.size());
    fixed_begin_ = cursor_ = high_ = buffer.data() + skip;
    end_ = buffer.data() + buffer.size();
    asan::poison(cursor_, remaining());
  }

  ~Arena() {
    if (!growable_) asan::unpoison(fixed_begin_, static_cast<std::size_t>(end_ - fixed_begin_));
    release_blocks();
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Hot path. Every result is aligned to max(align, 16).
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align = kMinAlign) noexcept {
    if (!valid_request(n, align)) [[unlikely]]
      return nullptr;
    const std::size_t size = granules(n);
    const std::size_t pad = padding_at_cursor(align);
    if (!fits(size, pad)) [[unlikely]]
      return allocate_slow(n, align);
    return bump(size, pad, n);
  }

  // pre: p came from this arena with the same n (sized free); p may be null.
  void deallocate(void* p, std::size_t n, std::size_t /*align*/ = kMinAlign) noexcept {
    // Integer arithmetic so a null or foreign p compares unequal instead of being UB.
    if (reinterpret_cast<std::uintptr_t>(p) + granules(n) ==
        reinterpret_cast<std::uintptr_t>(cursor_)) {
      cursor_ = static_cast<std::byte*>(p);
      asan::poison(cursor_, granules(n));
    }
  }

  // pre: p came from this arena with size old_n and alignment align (p may be null: then it is
  // allocate). Keeps min(old_n, new_n) bytes; nullptr leaves p valid.
  [[nodiscard]] void* reallocate(void* p, std::size_t old_n, std::size_t new_n,
                                 std::size_t align = kMinAlign) noexcept {
    if (!valid_request(new_n, align)) [[unlikely]]
      return nullptr;
    auto* b = static_cast<std::byte*>(p);
    if (b == nullptr) return allocate(new_n, align);
    const std::size_t old_size = granules(old_n);
    const std::size_t new_size = granules(new_n);
    const bool aligned = align_padding(reinterpret_cast<std::uintptr_t>(b), align) == 0;
    if (aligned && b + old_size == cursor_) {  // newest: move the cursor, keep the bytes
      if (new_size <= static_cast<std::size_t>(end_ - b)) {
        asan::poison(b, old_size);
        asan::unpoison(b, new_n);
        cursor_ = b + new_size;
        note_cursor();
        return p;
      }
    } else if (aligned && new_size <= old_size) {
      asan::poison(b + new_n, old_size - new_n);
      return p;  // shrinking an older block: it simply stays as large as it was
    }
    void* q = allocate(new_n, align);
    if (q != nullptr) std::memcpy(q, p, std::min(old_n, new_n));
    return q;
  }

  // Every block becomes invalid; growable mode keeps its blocks for reuse. O(1).
  void reset() noexcept {
    if (!growable_) {
      poison_used(nullptr, fixed_begin_);
      cursor_ = fixed_begin_;
    } else if (first_ != nullptr) {
      for (Block* b = first_; asan::kEnabled && b != nullptr; b = b == current_ ? nullptr : b->next)
        poison_used(b, block_data(b));
      enter(first_);
    }
  }

  // Like reset(), and growable mode gives every block back to the OS. O(blocks).
  void release() noexcept {
    if (!growable_) return reset();
    release_blocks();
    first_ = current_ = nullptr;
    cursor_ = end_ = nullptr;
  }

  // Whether p lies in this arena's memory (a mix routes frees by it): fixed mode, one range
  // check; growable mode, one per block (blocks are tens of MiB, so there are few).
  [[nodiscard]] bool owns(const void* p) const noexcept {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    const auto in = [a](const void* lo, const void* hi) {
      return a >= reinterpret_cast<std::uintptr_t>(lo) && a < reinterpret_cast<std::uintptr_t>(hi);
    };
    if (!growable_) return in(fixed_begin_, end_);
    for (const Block* b = first_; b != nullptr; b = b->next)
      if (in(b + 1, reinterpret_cast<const std::byte*>(b) + b->bytes)) return true;
    return false;
  }

  [[nodiscard]] Marker save() const noexcept { return Marker{current_, cursor_}; }

  // Rewinds to `m`: every block allocated since is invalid; later blocks become spares. O(1)
  // (under ASan, O(blocks entered since m): their used bytes are poisoned).
  void restore(const Marker& m) noexcept {
    if constexpr (asan::kEnabled) {  // the blocks entered since m: all but m's own are spares now
      for (Block* b = m.block != nullptr ? m.block->next : first_;
           growable_ && m.block != current_ && b != nullptr; b = b == current_ ? nullptr : b->next)
        poison_used(b, block_data(b));
      if (m.block != nullptr || !growable_) poison_used(m.block, m.cursor);
    }
    if (asan::kEnabled && growable_ && m.block != current_) {
      if (current_ != nullptr) current_->used_end = high_;
      high_ = m.block != nullptr ? m.block->used_end : nullptr;
    }
    cursor_ = m.cursor;
    if (growable_) {
      current_ = m.block;
      end_ = m.block != nullptr ? block_end(m.block) : nullptr;
    }
  }

  // Observers (tests, statistics).
  [[nodiscard]] bool growable() const noexcept { return growable_; }
  [[nodiscard]] std::size_t remaining() const noexcept {
    return static_cast<std::size_t>(end_ - cursor_);
  }
  [[nodiscard]] std::size_t block_count() const noexcept {
    std::size_t n = 0;
    for (const Block* b = first_; b != nullptr; b = b->next) ++n;
    return n;
  }
  [[nodiscard]] std::size_t bytes_reserved() const noexcept {
    std::size_t n = 0;
    for (const Block* b = first_; b != nullptr; b = b->next) n += b->bytes;
    return n;
  }

  // Growable mode: a block's header; its data follows it, up to `bytes` from its start.
  struct alignas(kGranule) Block {
    Block* next;
    std::size_t bytes;    // the whole mapping, header included
    std::byte* used_end;  // ASan: the highest cursor while the block was left (see note_cursor)
  };
  static_assert(sizeof(Block) % kGranule == 0, "block data must start granule-aligned");

 private:
  static constexpr bool valid_request(std::size_t n, std::size_t align) noexcept {
    // align - 1 < kMaxAlign also rejects align == 0 (it wraps around).
    return n <= kMaxSize && align - 1 < kMaxAlign && (align & (align - 1)) == 0;
  }
  // n rounded up to granules; 0 takes one granule so the pointer is unique.
  static constexpr std::size_t granules(std::size_t n) noexcept {
    return round_up(n + static_cast<std::size_t>(n == 0), kGranule);
  }
  static std::byte* block_data(Block* b) noexcept { return reinterpret_cast<std::byte*>(b + 1); }
  static std::byte* block_end(Block* b) noexcept {
    return reinterpret_cast<std::byte*>(b) + b->bytes;
  }

  // The bump, in three steps the fast and slow paths share.
  // pre: is_pow2(align).
  std::size_t padding_at_cursor(std::size_t align) const noexcept {
    return align_padding(reinterpret_cast<std::uintptr_t>(cursor_), align);
  }
  // pre: size <= kMaxSize, pad < kMaxAlign (no overflow).
  bool fits(std::size_t size, std::size_t pad) const noexcept {
    return size + pad <= static_cast<std::size_t>(end_ - cursor_);
  }
  // pre: fits(size, pad). n: the bytes asked for, the only ones ASan lets the caller touch.
  void* bump(std::size_t size, std::size_t pad, std::size_t n) noexcept {
    std::byte* p = cursor_ + pad;
    cursor_ = p + size;
    asan::unpoison(p, n);
    note_cursor();
    return p;
  }

  // ASan bookkeeping: high_ is the current region's highest cursor, so a reset or restore
  // poisons only what was handed out, not a whole 64 MiB block each time.
  void note_cursor() noexcept {
    if constexpr (asan::kEnabled) high_ = std::max(high_, cursor_);
  }
  // Poisons [from, the highest cursor) of block b (nullptr: the fixed buffer, or the current
  // block) and lowers that mark to `from`.
  void poison_used(Block* b, std::byte* from) noexcept {
    if constexpr (asan::kEnabled) {
      std::byte*& mark = (b == nullptr || b == current_) ? high_ : b->used_end;
      if (mark > from) asan::poison(from, static_cast<std::size_t>(mark - from));
      mark = std::min(mark, from);
    }
  }

  void enter(Block* b) noexcept {
    if (asan::kEnabled && current_ != nullptr) current_->used_end = high_;
    current_ = b;
    cursor_ = block_data(b);
    end_ = block_end(b);
    if constexpr (asan::kEnabled) high_ = std::max(cursor_, b->used_end);
  }

  // Slow path: the next spare if the request fits it, else a new block linked in before it.
  [[gnu::noinline, gnu::cold]] void* allocate_slow(std::size_t n, std::size_t align) noexcept {
    const std::size_t size = granules(n);
    if (growable_) {
      // Block data starts granule-aligned, so at most align - 16 bytes of padding are needed.
      const std::size_t need = size + (align > kGranule ? align - kGranule : 0);
      Block* next = current_ != nullptr ? current_->next : first_;
      if (next == nullptr || block_end(next) - block_data(next) < static_cast<std::ptrdiff_t>(need))
        next = map_block(need);
      if (next != nullptr) {
        enter(next);
        return bump(size, padding_at_cursor(align), n);  // the block was chosen to fit
      }
    }
    if (on_oom_.fn != nullptr) on_oom_.fn(on_oom_.context, n, align);
    return nullptr;
  }

  // A new block holding at least `need` data bytes, linked right after the current one.
  Block* map_block(std::size_t need) noexcept {
    const std::size_t bytes = std::max(round_up(block_bytes_, os_pages::page_size()),
                                       round_up(sizeof(Block) + need, os_pages::page_size()));
    void* mem = os_pages::reserve(bytes);
    if (mem == nullptr) return nullptr;
    Block*& link = current_ != nullptr ? current_->next : first_;
    Block* b = ::new (mem) Block{link, bytes, nullptr};
    link = b;
    b->used_end = block_data(b);
    // Once per mapping: its untouched data is not addressable until handed out.
    asan::poison(block_data(b), bytes - sizeof(Block));
    return b;
  }

  void release_blocks() noexcept {
    for (Block* b = first_; b != nullptr;) {
      Block* next = b->next;
      asan::unpoison(b, b->bytes);  // the addresses may be mapped again, by anyone
      os_pages::release(b, b->bytes);
      b = next;
    }
  }

  // Hot fields first: the fast path touches only cursor_ and end_.
  std::byte* cursor_ = nullptr;
  std::byte* end_ = nullptr;
  Block* current_ = nullptr;  // growable: the block holding the region; null before the first
  Block* first_ = nullptr;    // growable: head of the chain, in order of use
  std::byte* fixed_begin_ = nullptr;
  std::byte* high_ = nullptr;  // ASan only: see note_cursor()
  bool growable_ = false;
  std::size_t block_bytes_ = 0;
  OomHandler on_oom_{};
};

// RAII scratch space: everything allocated from the arena while the guard lives is given back
// when it dies (a marker saved on construction, restored on destruction).
class ArenaScratch {
 public:
  explicit ArenaScratch(Arena& arena) noexcept : arena_(arena), mark_(arena.save()) {}
  ~ArenaScratch() { arena_.restore(mark_); }
  ArenaScratch(const ArenaScratch&) = delete;
  ArenaScratch& operator=(const ArenaScratch&) = delete;

  [[nodiscard]] Arena& arena() const noexcept { return arena_; }

 private:
  Arena& arena_;
  Arena::Marker mark_;
};

}  // namespace alloclab
