// alloclab core: what an allocator declares about itself.
//
// Glossary
//   block      - the memory one allocate() call returns.
//   capability - a promise the allocator makes (Cap); the runner reads them as data and
//                reports a workload as `unsupported` when a needed one is missing.
//   instance   - one allocator object. Without kThreadSafe the runner makes one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace alloclab {

enum Cap : std::uint32_t {
  kFree = 1u << 0,             // deallocate() makes one block reusable
  kFreeLast = 1u << 1,         // only the newest block can be given back (arena)
  kReset = 1u << 2,            // reset() releases every block at once
  kRealloc = 1u << 3,          // reallocate(p, old_size, new_size, align)
  kThreadSafe = 1u << 4,       // one instance may be shared by all threads
  kCrossThreadFree = 1u << 5,  // a block may be freed by another thread than its allocator
  kFixedSize = 1u << 6,        // serves one block size (Config::block_size)
};

inline constexpr std::uint32_t kAllCaps = (1u << 7) - 1;

struct Traits {
  std::string_view name;
  std::string_view summary;
  std::uint32_t caps = 0;
  std::size_t max_size = 0;   // largest request served; larger ones return nullptr
  std::size_t max_align = 0;  // largest alignment honoured (power of two)
};

// Per-instance construction parameters the runner passes to every allocator.
struct Config {
  std::size_t block_size = 0;  // kFixedSize: the one size to serve (the workload's max size)
  unsigned threads = 1;        // how many threads will use the instance (kThreadSafe)
  // A hint: the most bytes the instance's users will hold live at once (0: unknown), so an
  // allocator that prepares memory up front can size what it prepares.
  std::size_t expected_live_bytes = 0;
};

// Every block of a general-purpose allocator is at least this aligned (malloc's x86-64 promise).
inline constexpr std::size_t kMinAlign = alignof(std::max_align_t);

constexpr bool has_cap(std::uint32_t caps, Cap c) noexcept { return (caps & c) != 0; }

// "free,reset,thread-safe"; the names used on the command line and in JSON.
inline std::string caps_to_string(std::uint32_t caps) {
  struct CapName {
    Cap cap;
    const char* name;
  };
  static constexpr CapName kNames[] = {
      {kFree, "free"},          {kFreeLast, "free-last"},
      {kReset, "reset"},        {kRealloc, "realloc"},
      {kThreadSafe, "thread-safe"}, {kCrossThreadFree, "cross-thread-free"},
      {kFixedSize, "fixed-size"},
  };
  std::string out;
  for (const CapName& c : kNames) {
    if ((caps & c.cap) == 0) continue;
    if (!out.empty()) out += ',';
    out += c.name;
  }
  return out;
}

constexpr bool is_pow2(std::size_t x) noexcept { return x != 0 && (x & (x - 1)) == 0; }

}  // namespace alloclab
