// chunk_pool layout: how blocks and chunks sit in memory, and the per-chunk header.
//
// Glossary
//   block    - kBlockSize bytes (256 KiB) mapped from the OS in one go, aligned to its own size;
//              it holds kChunksPerBlock chunks. The only unit the pool gets from / gives to the OS.
//   chunk    - kChunkSize bytes (8 KiB) aligned to its size; a 64-byte Chunk header at its start,
//              then kPayload bytes into which objects are bump-allocated. Any object pointer finds
//              its chunk by masking (chunk_of), and a chunk its block the same way (block_of).
//   balance  - the chunk's atomic live-object count. While a thread bump-allocates into the chunk
//              ("current"), the balance carries kBias so that frees, which only decrement, can
//              never reach zero; the owner keeps its allocations in a thread-private `pending`
//              count and folds them in (and takes kBias back out) when it lets the chunk go.
//              Whoever moves the balance to exactly zero owns the empty chunk and recycles it:
//              that happens once per emptying, so a chunk is put on the free list exactly once.
//   free list- the pool's doubly-linked list of empty chunks (next_free/prev_free), guarded by the
//              pool mutex. Doubly linked so that a whole block's chunks can be unlinked in
//              O(kChunksPerBlock) when the block goes back to the OS.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace alloclab::chunk_pool_detail {

inline constexpr std::size_t kChunkSize = std::size_t{8} << 10;
inline constexpr std::size_t kChunksPerBlock = 32;
inline constexpr std::size_t kBlockSize = kChunkSize * kChunksPerBlock;
inline constexpr std::size_t kHeaderSize = 64;  // one cache line; payload starts 64-aligned
inline constexpr std::size_t kPayload = kChunkSize - kHeaderSize;  // the pool's max_size
inline constexpr std::size_t kMaxAlign = 4096;  // padding for it is taken inside the chunk
// Wholly empty blocks kept cached: up to (blocks in use) / kEmptyBlockShare, at least one.
inline constexpr std::size_t kEmptyBlockShare = 4;

// Larger than any number of objects a chunk can hold (kPayload at one byte each), so a current
// chunk's balance stays positive whatever the frees do.
inline constexpr std::int64_t kBias = std::int64_t{1} << 40;

static_assert((kChunkSize & (kChunkSize - 1)) == 0, "chunks are found by masking");
static_assert((kBlockSize & (kBlockSize - 1)) == 0, "blocks are found by masking");
static_assert(kChunksPerBlock <= 64, "free_in_block counts fit comfortably");
static_assert(kMaxAlign < kChunkSize, "an aligned object must still fit behind the header");
static_assert(static_cast<std::int64_t>(kPayload) < kBias);

enum class ChunkState : std::uint32_t {
  kFree,     // on the pool's free list
  kCurrent,  // some thread bump-allocates into it (balance carries kBias)
  kRetired,  // holds live objects, nobody allocates into it; the last free recycles it
};

struct alignas(kHeaderSize) Chunk {
  std::atomic<std::int64_t> balance{0};
  Chunk* next_free = nullptr;  // kFree only
  Chunk* prev_free = nullptr;  // kFree only
  ChunkState state = ChunkState::kFree;
  // Block bookkeeping, meaningful in the block's first chunk only (see block_of); guarded by
  // the pool mutex like the free list.
  std::uint32_t free_in_block = 0;
  Chunk* next_block = nullptr;  // every mapped block
  Chunk* prev_block = nullptr;
  Chunk* next_empty = nullptr;  // blocks whose chunks are all free
  Chunk* prev_empty = nullptr;

  std::uintptr_t payload() const noexcept {
    return reinterpret_cast<std::uintptr_t>(this) + kHeaderSize;
  }
  std::uintptr_t end() const noexcept { return reinterpret_cast<std::uintptr_t>(this) + kChunkSize; }
};
static_assert(sizeof(Chunk) == kHeaderSize);

// An intrusive doubly-linked list threaded through one pair of Chunk fields; the pool keeps
// three (free chunks, mapped blocks, empty blocks), all under its mutex.
template <Chunk* Chunk::*Next, Chunk* Chunk::*Prev>
struct ChunkList {
  Chunk* head = nullptr;
  std::size_t size = 0;

  void push_front(Chunk* c) noexcept {
    c->*Prev = nullptr;
    c->*Next = head;
    if (head != nullptr) head->*Prev = c;
    head = c;
    ++size;
  }
  // pre: c is on this list.
  void erase(Chunk* c) noexcept {
    if (c->*Prev != nullptr)
      c->*Prev->*Next = c->*Next;
    else
      head = c->*Next;
    if (c->*Next != nullptr) c->*Next->*Prev = c->*Prev;
    c->*Next = c->*Prev = nullptr;
    --size;
  }
};

using FreeChunkList = ChunkList<&Chunk::next_free, &Chunk::prev_free>;
using BlockList = ChunkList<&Chunk::next_block, &Chunk::prev_block>;
using EmptyBlockList = ChunkList<&Chunk::next_empty, &Chunk::prev_empty>;

inline Chunk* chunk_of(const void* p) noexcept {
  return reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(p) & ~(kChunkSize - 1));
}

inline Chunk* block_of(const Chunk* c) noexcept {
  return reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(c) & ~(kBlockSize - 1));
}

constexpr std::uintptr_t align_up(std::uintptr_t x, std::size_t align) noexcept {
  return (x + align - 1) & ~(std::uintptr_t{align} - 1);
}

// Whether an object of n bytes aligned to `align` fits an empty chunk at all.
constexpr bool fits_empty_chunk(std::size_t n, std::size_t align) noexcept {
  return align <= kMaxAlign && n <= kChunkSize - align_up(kHeaderSize, align);
}

}  // namespace alloclab::chunk_pool_detail
