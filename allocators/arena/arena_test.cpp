// ArenaTest: the arena's own behaviour (the conformance suite checks the plugin contracts).
#include "arena.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "allocators/core/allocator.hpp"
#include "allocators/core/asan.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<Arena>);

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// A small growable arena, so block boundaries are crossed quickly.
ArenaOptions small_blocks() { return ArenaOptions{.block_bytes = 4096, .on_oom = {}}; }

TEST(ArenaTest, AlignmentFrom1To4096InBothModes) {
  alignas(64) static std::array<std::byte, 1 << 20> buffer;
  Arena fixed{std::span<std::byte>(buffer)};
  Arena growable{small_blocks()};
  for (Arena* a : {&fixed, &growable}) {
    for (std::size_t align = 1; align <= 4096; align *= 2) {
      for (std::size_t n : {0u, 1u, 7u, 16u, 100u}) {
        void* p = a->allocate(n, align);
        ASSERT_NE(p, nullptr) << "n=" << n << " align=" << align;
        EXPECT_EQ(addr(p) % std::max<std::size_t>(align, 16), 0u) << "align=" << align;
        std::memset(p, 0xab, n);
      }
    }
  }
}

TEST(ArenaTest, BadAlignmentReturnsNull) {
  Arena a;
  for (std::size_t align : {0u, 3u, 6u, 24u, 48u, 4095u}) EXPECT_EQ(a.allocate(8, align), nullptr);
  EXPECT_EQ(a.allocate(8, Arena::kMaxAlign * 2), nullptr);
  EXPECT_EQ(a.reallocate(nullptr, 0, 8, 3), nullptr);
  EXPECT_NE(a.allocate(8, Arena::kMaxAlign), nullptr);
}

TEST(ArenaTest, ZeroByteRequestsAreUniqueAndNonNull) {
  Arena a;
  void* p = a.allocate(0, 16);
  void* q = a.allocate(0, 16);
  ASSERT_NE(p, nullptr);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(p, q);
  a.deallocate(q, 0, 16);  // the newest: given back
  EXPECT_EQ(a.allocate(0, 16), q);
}

TEST(ArenaTest, OversizeReturnsNull) {
  Arena a;
  EXPECT_EQ(a.allocate(Arena::kMaxSize + 1, 16), nullptr);
  EXPECT_EQ(a.block_count(), 0u);  // refused before any memory was asked for
}

TEST(ArenaTest, FreeOfTheNewestBlockIsReused) {
  Arena a;
  void* p = a.allocate(40, 16);
  void* q = a.allocate(40, 16);
  a.deallocate(q, 40, 16);
  EXPECT_EQ(a.allocate(40, 16), q);
  // LIFO frees walk back down the stack.
  a.deallocate(q, 40, 16);
  a.deallocate(p, 40, 16);
  EXPECT_EQ(a.allocate(24, 16), p);
}

TEST(ArenaTest, FreeOfAnOlderBlockIsANoOp) {
  Arena a;
  void* p = a.allocate(40, 16);
  void* q = a.allocate(40, 16);
  const std::size_t before = a.remaining();
  a.deallocate(p, 40, 16);
  EXPECT_EQ(a.remaining(), before);
  void* r = a.allocate(40, 16);
  EXPECT_NE(r, p);
  EXPECT_GT(addr(r), addr(q));
}

TEST(ArenaTest, FreeWithTheWrongSizeIsANoOp) {
  Arena a;
  ASSERT_NE(a.allocate(16, 16), nullptr);
  void* q = a.allocate(48, 16);
  const std::size_t before = a.remaining();
  a.deallocate(q, 16, 16);  // q + 16 is not the cursor
  EXPECT_EQ(a.remaining(), before);
}

TEST(ArenaTest, ReallocOfTheNewestBlockStaysInPlace) {
  Arena a;
  auto* p = static_cast<unsigned char*>(a.allocate(32, 16));
  for (int i = 0; i < 32; ++i) p[i] = static_cast<unsigned char>(i);
  auto* grown = static_cast<unsigned char*>(a.reallocate(p, 32, 1000, 16));
  EXPECT_EQ(grown, p);
  for (int i = 0; i < 32; ++i) ASSERT_EQ(grown[i], i);
  auto* shrunk = static_cast<unsigned char*>(a.reallocate(grown, 1000, 16, 16));
  EXPECT_EQ(shrunk, p);
  // The shrink gave the space back: the next block starts right after 16 bytes.
  EXPECT_EQ(addr(a.allocate(16, 16)), addr(p) + 16);
}

TEST(ArenaTest, ReallocOfAnOlderBlockCopies) {
  Arena a;
  auto* p = static_cast<unsigned char*>(a.allocate(64, 16));
  for (int i = 0; i < 64; ++i) p[i] = static_cast<unsigned char>(i + 1);
  ASSERT_NE(a.allocate(16, 16), nullptr);  // p is no longer the newest
  auto* q = static_cast<unsigned char*>(a.reallocate(p, 64, 256, 16));
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q, p);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(q[i], i + 1);
  // Shrinking an older block needs no copy.
  EXPECT_EQ(a.reallocate(p, 64, 32, 16), p);
}

TEST(ArenaTest, ReallocAcrossABlockBoundaryPreservesContents) {
  Arena a{small_blocks()};
  auto* p = static_cast<unsigned char*>(a.allocate(1000, 16));
  std::memset(p, 0x5c, 1000);
  auto* q = static_cast<unsigned char*>(a.reallocate(p, 1000, 20000, 16));
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q, p);
  EXPECT_EQ(a.block_count(), 2u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(q[i], 0x5c);
}

TEST(ArenaTest, ResetRewindsAndKeepsBlocks) {
  Arena a{small_blocks()};
  void* first = a.allocate(100, 16);
  for (int i = 0; i < 100; ++i) ASSERT_NE(a.allocate(500, 16), nullptr);
  const std::size_t blocks = a.block_count();
  EXPECT_GT(blocks, 1u);
  a.reset();
  EXPECT_EQ(a.allocate(100, 16), first);
  for (int i = 0; i < 100; ++i) ASSERT_NE(a.allocate(500, 16), nullptr);
  EXPECT_EQ(a.block_count(), blocks);  // the same work fits in the kept blocks
  a.release();
  EXPECT_EQ(a.block_count(), 0u);
  EXPECT_NE(a.allocate(100, 16), nullptr);
}

TEST(ArenaTest, ResetOfAFixedBuffer) {
  std::array<std::byte, 256> buffer{};
  Arena a{std::span<std::byte>(buffer)};
  void* p = a.allocate(200, 16);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(a.allocate(200, 16), nullptr);
  a.reset();
  EXPECT_EQ(a.allocate(200, 16), p);
}

TEST(ArenaTest, MarkerRestoresTheOffset) {
  std::array<std::byte, 4096> buffer{};
  Arena a{std::span<std::byte>(buffer)};
  ASSERT_NE(a.allocate(32, 16), nullptr);
  const Arena::Marker m = a.save();
  const std::size_t before = a.remaining();
  void* p = a.allocate(100, 16);
  ASSERT_NE(a.allocate(300, 64), nullptr);
  a.restore(m);
  EXPECT_EQ(a.remaining(), before);
  EXPECT_EQ(a.allocate(100, 16), p);
}

TEST(ArenaTest, MarkerRestoresAcrossBlockBoundaries) {
  Arena a{small_blocks()};
  ASSERT_NE(a.allocate(64, 16), nullptr);
  const Arena::Marker m = a.save();
  void* p = a.allocate(128, 16);
  for (int i = 0; i < 40; ++i) ASSERT_NE(a.allocate(1000, 16), nullptr);
  const std::size_t blocks = a.block_count();
  EXPECT_GE(blocks, 3u);
  a.restore(m);
  EXPECT_EQ(a.allocate(128, 16), p);
  // The blocks after the marker are spares now: the same work maps nothing new.
  for (int i = 0; i < 40; ++i) ASSERT_NE(a.allocate(1000, 16), nullptr);
  EXPECT_EQ(a.block_count(), blocks);
}

TEST(ArenaTest, MarkerSavedBeforeTheFirstBlock) {
  Arena a{small_blocks()};
  const Arena::Marker m = a.save();
  void* p = a.allocate(64, 16);
  ASSERT_NE(a.allocate(5000, 16), nullptr);
  a.restore(m);
  EXPECT_EQ(a.allocate(64, 16), p);
}

TEST(ArenaTest, ScratchGuardGivesEverythingBack) {
  Arena a;
  ASSERT_NE(a.allocate(16, 16), nullptr);
  const std::size_t before = a.remaining();
  {
    ArenaScratch scratch(a);
    for (int i = 0; i < 10; ++i) ASSERT_NE(scratch.arena().allocate(256, 16), nullptr);
    EXPECT_LT(a.remaining(), before);
  }
  EXPECT_EQ(a.remaining(), before);
}

struct OomLog {
  int calls = 0;
  std::size_t n = 0;
  std::size_t align = 0;
};

void record_oom(void* context, std::size_t n, std::size_t align) noexcept {
  auto* log = static_cast<OomLog*>(context);
  ++log->calls;
  log->n = n;
  log->align = align;
}

TEST(ArenaTest, ExhaustedFixedBufferReturnsNull) {
  std::array<std::byte, 256> buffer{};
  Arena a{std::span<std::byte>(buffer)};
  int fits = 0;
  while (a.allocate(16, 16) != nullptr) ++fits;
  EXPECT_GE(fits, 15);  // 256 bytes minus at most 15 to reach a granule
  EXPECT_LE(fits, 16);
  EXPECT_EQ(a.allocate(0, 16), nullptr);
}

TEST(ArenaTest, ExhaustedFixedBufferCallsTheHandlerFirst) {
  std::array<std::byte, 256> buffer{};
  OomLog log;
  Arena a{std::span<std::byte>(buffer), OomHandler{&record_oom, &log}};
  ASSERT_NE(a.allocate(128, 16), nullptr);
  EXPECT_EQ(log.calls, 0);
  EXPECT_EQ(a.allocate(200, 32), nullptr);
  EXPECT_EQ(log.calls, 1);
  EXPECT_EQ(log.n, 200u);
  EXPECT_EQ(log.align, 32u);
  // Bad requests are not OOM: no handler call.
  EXPECT_EQ(a.allocate(8, 3), nullptr);
  EXPECT_EQ(log.calls, 1);
}

TEST(ArenaTest, UnalignedFixedBufferIsAlignedFirst) {
  alignas(16) std::array<std::byte, 272> buffer{};
  Arena a{std::span<std::byte>(buffer).subspan(1)};
  void* p = a.allocate(1, 1);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(addr(p) % 16, 0u);
  EXPECT_EQ(addr(p), addr(buffer.data()) + 16);
}

TEST(ArenaTest, BigRequestsGetABlockSizedToFit) {
  Arena a{small_blocks()};
  ASSERT_NE(a.allocate(16, 16), nullptr);
  void* big = a.allocate(1 << 20, 4096);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(addr(big) % 4096, 0u);
  std::memset(big, 1, 1 << 20);
  EXPECT_GE(a.bytes_reserved(), (std::size_t{1} << 20) + 4096);
}

TEST(ArenaTest, BlocksDoNotOverlap) {
  Arena a{small_blocks()};
  std::vector<std::pair<unsigned char*, std::size_t>> live;
  for (std::size_t i = 0; i < 500; ++i) {
    const std::size_t n = (i * 37) % 700;
    auto* p = static_cast<unsigned char*>(a.allocate(n, std::size_t{16} << (i % 3)));
    ASSERT_NE(p, nullptr);
    std::memset(p, static_cast<int>(i & 0xff), n);
    live.emplace_back(p, n);
  }
  for (std::size_t i = 0; i < live.size(); ++i)
    for (std::size_t j = 0; j < live[i].second; ++j)
      ASSERT_EQ(live[i].first[j], static_cast<unsigned char>(i & 0xff));
}

TEST(ArenaTest, PluginFaceIsGrowable) {
  static_assert(Arena::traits.name == "arena");
  EXPECT_EQ(Arena::traits.caps, kFreeLast | kReset | kRealloc);
  Arena a{Config{}};  // as the harness constructs it
  // Growable: far more than one default block's worth is served.
  for (int i = 0; i < 80; ++i) ASSERT_NE(a.allocate(std::size_t{1} << 20, 16), nullptr);
}

// Under ASan (make test's asan build) only live blocks are addressable; elsewhere these skip.
TEST(ArenaAsanTest, ResetRestoreAndFreeLastPoisonWhatTheyGiveBack) {
  if (!asan::kEnabled) GTEST_SKIP() << "needs an AddressSanitizer build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Arena a(small_blocks());
  auto* kept = static_cast<char*>(a.allocate(40));
  const Arena::Marker m = a.save();
  std::vector<char*> later;
  for (int i = 0; i < 300; ++i) later.push_back(static_cast<char*>(a.allocate(100)));  // > 1 block
  EXPECT_GT(a.block_count(), 1u);
  auto touch = [](char* p) { *static_cast<volatile char*>(p) = 1; };
  touch(later.back());
  EXPECT_DEATH(touch(kept + 40), "AddressSanitizer");  // past the 40 bytes asked for
  a.restore(m);
  touch(kept);  // before the marker: still live
  EXPECT_DEATH(touch(later.front()), "AddressSanitizer");
  EXPECT_DEATH(touch(later.back()), "AddressSanitizer");  // in a later block, now a spare
  auto* again = static_cast<char*>(a.allocate(16));
  touch(again);
  a.deallocate(again, 16);
  EXPECT_DEATH(touch(again), "AddressSanitizer");
  a.reset();
  EXPECT_DEATH(touch(kept), "AddressSanitizer");
  touch(static_cast<char*>(a.allocate(8)));  // reuse after reset is addressable again
}

TEST(ArenaAsanTest, FixedBufferIsTheCallersAgainAfterTheArena) {
  if (!asan::kEnabled) GTEST_SKIP() << "needs an AddressSanitizer build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  alignas(16) std::array<char, 256> buffer{};
  auto touch = [](char* p) { *static_cast<volatile char*>(p) = 1; };
  {
    Arena a(std::as_writable_bytes(std::span(buffer)));
    EXPECT_DEATH(touch(&buffer[100]), "AddressSanitizer");  // not handed out yet
    auto* p = static_cast<char*>(a.allocate(32));
    touch(p + 31);
  }
  touch(&buffer[100]);
  touch(&buffer[255]);
}

}  // namespace
}  // namespace alloclab
