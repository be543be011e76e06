// The conformance suite: every registered in-process plugin through the same checks, driven by
// its declared capabilities. A new plugin folder is picked up here with no edit. A C ABI plugin
// joins with ALLOCLAB_CONFORMANCE_PLUGIN=/path/lib.so (loaded as `alloclab run --plugin` does).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "bindings/registry.hpp"
#include "harness/measure.hpp"
#include "harness/plugin_loader.hpp"

namespace alloclab {
namespace {

// Registers the C ABI plugin named by ALLOCLAB_CONFORMANCE_PLUGIN, once; exits 2 if it fails.
void load_conformance_plugin() {
  static const bool loaded = [] {
    const char* so = std::getenv("ALLOCLAB_CONFORMANCE_PLUGIN");
    if (so == nullptr || *so == '\0') return false;
    if (const std::string error = load_plugin(so); !error.empty()) {
      std::fprintf(stderr, "ALLOCLAB_CONFORMANCE_PLUGIN: %s\n", error.c_str());
      std::exit(2);
    }
    return true;
  }();
  (void)loaded;
}

// Evaluated when GoogleTest expands the suite, after main has started.
std::vector<std::string> plugin_names() {
  load_conformance_plugin();
  std::vector<std::string> names;
  for (const PluginEntry& e : registered_plugins()) names.emplace_back(e.traits.name);
  return names;
}

// The largest size the tests exercise: the plugin's limit, capped to keep memory modest.
constexpr std::size_t kTestCap = std::size_t{1} << 20;

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    entry_ = find_plugin(GetParam());
    ASSERT_NE(entry_, nullptr);
    caps_ = entry_->traits.caps;
    fixed_ = has_cap(caps_, kFixedSize);
    limit_ = std::min(entry_->traits.max_size, fixed_ ? std::size_t{256} : kTestCap);
    self_ = entry_->ops.create(Config{limit_, 2});
    ASSERT_NE(self_, nullptr);
  }
  void TearDown() override {
    if (self_ != nullptr) entry_->ops.destroy(self_);
  }

  void* alloc(std::size_t n, std::size_t align = kMinAlign) {
    return entry_->ops.allocate(self_, n, align);
  }
  void release(void* p, std::size_t n, std::size_t align = kMinAlign) {
    if (entry_->ops.deallocate != nullptr) entry_->ops.deallocate(self_, p, n, align);
  }
  bool can_free() const { return has_cap(caps_, kFree); }

  // Sizes 0, 1, odd sizes, odd multiples of 8, powers of two up to the limit.
  std::vector<std::size_t> sizes() const {
    std::vector<std::size_t> s = {0, 1, 3, 7, 8, 15, 17, 24, 40, 100, 255, 257, 1000, 4095, 4097};
    for (std::size_t p = 2; p <= limit_; p *= 2) s.push_back(p);
    s.push_back(limit_);
    s.erase(std::remove_if(s.begin(), s.end(), [&](std::size_t n) { return n > limit_; }), s.end());
    return s;
  }

  const PluginEntry* entry_ = nullptr;
  void* self_ = nullptr;
  std::uint32_t caps_ = 0;
  bool fixed_ = false;
  std::size_t limit_ = 0;
};

TEST_P(Conformance, ServesEverySizeAlignedAndWritable) {
  for (std::size_t n : sizes()) {
    void* p = alloc(n);
    ASSERT_NE(p, nullptr) << "size " << n;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % kMinAlign, 0u) << "size " << n;
    std::memset(p, 0xab, n);
    release(p, n);
  }
}

TEST_P(Conformance, RefusesOnePastMaxSize) {
  const std::size_t max = entry_->traits.max_size;
  if (max >= (std::size_t{1} << 40)) GTEST_SKIP() << "max_size is not a real limit here";
  if (fixed_) {
    EXPECT_EQ(alloc(limit_ + 1), nullptr);
  } else {
    EXPECT_EQ(alloc(max + 1), nullptr);
  }
}

TEST_P(Conformance, HonoursRequestedAlignment) {
  for (std::size_t align = kMinAlign; align <= std::min<std::size_t>(entry_->traits.max_align, 4096);
       align *= 2) {
    const std::size_t n = fixed_ ? std::min<std::size_t>(limit_, 24) : 24;
    void* p = alloc(n, align);
    if (p == nullptr && fixed_) continue;  // a fixed-size pool may not serve larger alignments
    ASSERT_NE(p, nullptr) << "align " << align;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % align, 0u) << "align " << align;
    release(p, n, align);
  }
}

TEST_P(Conformance, ZeroBytesGiveUniqueBlocks) {
  if (fixed_) GTEST_SKIP() << "a fixed-size allocator serves one size, not 0 bytes";
  void* a = alloc(0);
  void* b = alloc(0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  release(b, 0);
  release(a, 0);
}

TEST_P(Conformance, LiveBlocksNeverOverlap) {
  struct Block {
    unsigned char* p;
    std::size_t n;
  };
  std::vector<Block> live;
  const std::vector<std::size_t> s = sizes();
  for (int round = 0; round < 64; ++round)
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::size_t n = std::min<std::size_t>(s[(i * 7 + static_cast<std::size_t>(round)) % s.size()], 8192);
      auto* p = static_cast<unsigned char*>(alloc(n));
      ASSERT_NE(p, nullptr);
      std::memset(p, static_cast<int>(live.size() & 0xff), n);
      live.push_back({p, n});
    }
  for (std::size_t i = 0; i < live.size(); ++i)
    for (std::size_t k = 0; k < live[i].n; ++k)
      ASSERT_EQ(live[i].p[k], static_cast<unsigned char>(i & 0xff)) << "block " << i << " overwritten";
  std::vector<Block> sorted = live;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.p < b.p; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    EXPECT_LE(sorted[i - 1].p + sorted[i - 1].n, sorted[i].p);
  if (has_cap(caps_, kFree))
    for (auto it = live.rbegin(); it != live.rend(); ++it) release(it->p, it->n);
}

TEST_P(Conformance, FreedMemoryIsReused) {
  if (!has_cap(caps_, kFree) && !has_cap(caps_, kFreeLast))
    GTEST_SKIP() << "neither free nor free-last";
#if defined(__SANITIZE_ADDRESS__)
  // Under ASan, malloc is the sanitizer's, which quarantines freed blocks on purpose.
  // (glibc's plugin and the adapters over it, such as glibc_locked.)
  if (GetParam().rfind("glibc", 0) == 0) GTEST_SKIP() << "ASan's malloc quarantines freed blocks";
#endif
  // Allocating and freeing the same size many times must not grow without bound: the same
  // few addresses come back.
  std::vector<void*> seen;
  for (int i = 0; i < 1000; ++i) {
    void* p = alloc(48);
    ASSERT_NE(p, nullptr);
    if (std::find(seen.begin(), seen.end(), p) == seen.end()) seen.push_back(p);
    release(p, 48);
  }
  EXPECT_LT(seen.size(), 100u);
}

TEST_P(Conformance, ResetMakesMemoryReusable) {
  if (!has_cap(caps_, kReset)) GTEST_SKIP() << "no reset capability";
  for (int frame = 0; frame < 50; ++frame) {
    for (int i = 0; i < 1000; ++i) {
      auto* p = static_cast<unsigned char*>(alloc(64));
      ASSERT_NE(p, nullptr) << "frame " << frame;
      std::memset(p, frame, 64);
    }
    entry_->ops.reset(self_);
  }
}

TEST_P(Conformance, ReallocPreservesContents) {
  if (!has_cap(caps_, kRealloc)) GTEST_SKIP() << "no realloc capability";
  std::size_t n = 8;
  auto* p = static_cast<unsigned char*>(alloc(n));
  ASSERT_NE(p, nullptr);
  for (std::size_t k = 0; k < n; ++k) p[k] = static_cast<unsigned char>(k);
  for (std::size_t next : {24u, 100u, 5000u, 40u, 70000u}) {
    if (next > limit_) break;
    auto* q = static_cast<unsigned char*>(entry_->ops.reallocate(self_, p, n, next, kMinAlign));
    ASSERT_NE(q, nullptr);
    for (std::size_t k = 0; k < std::min(n, next); ++k)
      ASSERT_EQ(q[k], static_cast<unsigned char>(k)) << n << " -> " << next;
    for (std::size_t k = n; k < next; ++k) q[k] = static_cast<unsigned char>(k);
    p = q;
    n = next;
  }
  release(p, n);
}

MeasureRequest churn_request(const std::string& allocator, std::uint64_t threads) {
  MeasureRequest req;
  req.allocator = allocator;
  req.workload = "churn";
  req.params = {{"threads", threads}, {"iters", 20000}, {"min_size", 1}, {"max_size", 256}, {"keep", 75}};
  req.verify = true;
  req.rss_interval_ms = 0;
  return req;
}

TEST_P(Conformance, ChurnWithVerification) {
  if (!can_free()) GTEST_SKIP() << "churn frees blocks one by one";
  const Measurement m = measure(churn_request(GetParam(), 1));
  EXPECT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 20000u);
}

TEST_P(Conformance, ThreadedChurnWithVerification) {
  if (!can_free()) GTEST_SKIP() << "churn frees blocks one by one";
  // Thread-safe plugins share one instance; the others get one per thread.
  const Measurement m = measure(churn_request(GetParam(), 3));
  EXPECT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 60000u);
}

TEST_P(Conformance, ThreadedCrossThreadFree) {
  if (!has_cap(caps_, kCrossThreadFree)) GTEST_SKIP() << "no cross-thread-free capability";
  constexpr int kBlocks = 20000;
  std::vector<void*> blocks(kBlocks);
  std::thread producer([&] {
    for (int i = 0; i < kBlocks; ++i) {
      blocks[static_cast<std::size_t>(i)] = alloc(static_cast<std::size_t>(16 + i % 200));
      std::memset(blocks[static_cast<std::size_t>(i)], 1, static_cast<std::size_t>(16 + i % 200));
    }
  });
  producer.join();  // the allocating thread is gone before the frees start
  std::thread consumer([&] {
    for (int i = 0; i < kBlocks; ++i)
      release(blocks[static_cast<std::size_t>(i)], static_cast<std::size_t>(16 + i % 200));
  });
  consumer.join();
  void* p = alloc(64);
  EXPECT_NE(p, nullptr);
  release(p, 64);
}

TEST_P(Conformance, CapabilitiesMatchTheOpsTable) {
  const ErasedOps& ops = entry_->ops;
  EXPECT_EQ(ops.deallocate != nullptr, has_cap(caps_, kFree) || has_cap(caps_, kFreeLast));
  EXPECT_EQ(ops.reset != nullptr, has_cap(caps_, kReset));
  EXPECT_EQ(ops.reallocate != nullptr, has_cap(caps_, kRealloc));
  EXPECT_TRUE(is_pow2(entry_->traits.max_align));
}

INSTANTIATE_TEST_SUITE_P(AllPlugins, Conformance, ::testing::ValuesIn(plugin_names()),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return n;
                         });

}  // namespace
}  // namespace alloclab
