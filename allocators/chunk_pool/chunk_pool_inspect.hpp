// Test-only window on a ChunkPool's internals. Every function takes the pool mutex, and reads
// thread slots without synchronisation: call it only while no other thread uses the pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "chunk_pool.hpp"

namespace alloclab {

struct ChunkPoolInspector {
  using Chunk = chunk_pool_detail::Chunk;

  struct FreeList {
    std::vector<const void*> chunks;  // in list order, at most one past what the pool counts
    bool terminated = false;          // the walk reached nullptr
    bool duplicates = false;          // some chunk was visited twice (a self-link or a cycle)
    bool back_links_ok = true;        // prev_free mirrors next_free
    bool all_free = true;             // every listed chunk is in the kFree state
  };

  // Walks the free list, stopping after more steps than there are chunks.
  static FreeList free_list(ChunkPool& pool) {
    std::lock_guard lock(pool.mutex_);
    FreeList out;
    std::unordered_set<const Chunk*> seen;
    const std::size_t limit = pool.blocks_.size * chunk_pool_detail::kChunksPerBlock + 1;
    const Chunk* prev = nullptr;
    const Chunk* c = pool.free_.head;
    for (; c != nullptr && out.chunks.size() < limit; prev = c, c = c->next_free) {
      if (!seen.insert(c).second) out.duplicates = true;
      if (c->prev_free != prev) out.back_links_ok = false;
      if (c->state != chunk_pool_detail::ChunkState::kFree) out.all_free = false;
      out.chunks.push_back(c);
    }
    out.terminated = c == nullptr;
    return out;
  }

  static std::size_t free_chunks(ChunkPool& pool) {
    std::lock_guard lock(pool.mutex_);
    return pool.free_.size;
  }
  static std::size_t mapped_blocks(ChunkPool& pool) {
    std::lock_guard lock(pool.mutex_);
    return pool.blocks_.size;
  }
  static std::size_t empty_blocks(ChunkPool& pool) {
    std::lock_guard lock(pool.mutex_);
    return pool.empty_.size;
  }

  // The calling thread's current chunk in `pool` (nullptr if none) and its bump offset from
  // the chunk's start.
  static const void* current_chunk(ChunkPool& pool) {
    const auto* s = slot_of(pool);
    return s != nullptr ? s->current : nullptr;
  }
  static std::size_t current_offset(ChunkPool& pool) {
    const auto* s = slot_of(pool);
    if (s == nullptr || s->current == nullptr) return 0;
    return static_cast<std::size_t>(s->bump - reinterpret_cast<std::uintptr_t>(s->current));
  }

  // Objects allocated and not yet freed, over every chunk (current chunks included).
  static std::int64_t live_objects(ChunkPool& pool) {
    std::lock_guard lock(pool.mutex_);
    std::int64_t live = 0;
    for (const Chunk* b = pool.blocks_.head; b != nullptr; b = b->next_block) {
      const auto base = reinterpret_cast<std::uintptr_t>(b);
      for (std::size_t i = 0; i < chunk_pool_detail::kChunksPerBlock; ++i) {
        const auto* c = reinterpret_cast<const Chunk*>(base + i * chunk_pool_detail::kChunkSize);
        if (c->state == chunk_pool_detail::ChunkState::kFree) continue;
        live += c->balance.load();
        if (c->state == chunk_pool_detail::ChunkState::kCurrent) live -= chunk_pool_detail::kBias;
      }
    }
    for (const auto* s = pool.slots_; s != nullptr; s = s->next_all)
      if (s->current != nullptr) live += s->pending;
    return live;
  }

  // Whether p lies in one of the pool's mapped blocks.
  static bool owns(ChunkPool& pool, const void* p) {
    std::lock_guard lock(pool.mutex_);
    const auto* block = chunk_pool_detail::block_of(chunk_pool_detail::chunk_of(p));
    for (const Chunk* b = pool.blocks_.head; b != nullptr; b = b->next_block)
      if (b == block) return true;
    return false;
  }

 private:
  static const chunk_pool_detail::Slot* slot_of(ChunkPool& pool) {
    for (const auto& e : chunk_pool_detail::tl_cache)
      if (e.pool_id == pool.id_) return e.slot;
    return nullptr;
  }
};

}  // namespace alloclab
