// An op trace: what a workload generates before the clock starts and every allocator replays
// identically. Ops are 8 bytes so that streaming them costs little next to an allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace alloclab {

enum class OpKind : std::uint32_t {
  kAlloc = 0,    // slots[slot] = allocate(arg)
  kFree = 1,     // deallocate(slots[slot])
  kRealloc = 2,  // slots[slot] = reallocate(slots[slot], old, arg)
  kReset = 3,    // reset(); every slot of this thread becomes dead
  // Hand-offs between threads (producer/consumer): the slot's pointer is the mailbox.
  kAllocPublish = 4,  // wait until slots[slot] is empty, allocate, publish (release store)
  kFreeAwait = 5,     // wait until slots[slot] is published, free it, empty the slot
  kBarrier = 6,       // every thread waits here until all have arrived (rounds, as larson)
  kWrite = 7,         // write to slots[slot] `arg` times, one byte per cache line (false sharing)
  // The replaying thread stops here; the harness runs the rest of the stream on a fresh
  // thread (thread-churn), so thread start and exit, with the allocator's per-thread state,
  // are part of the measured time.
  kThreadExit = 8,
  kAlign = 9,         // arg: the alignment of this thread's next allocations (recorded traces)
  // arg: the mark's index into Trace::marks. The replay records when the thread got here and
  // the process's RSS (aged: the heap's state over time); nothing else happens.
  kMark = 10,
};

struct Op {
  static constexpr unsigned kKindShift = 28;
  static constexpr std::uint32_t kSlotMask = (1u << kKindShift) - 1;
  static constexpr std::uint32_t kMaxSlots = kSlotMask + 1;

  std::uint32_t word;  // kind << 28 | slot
  std::uint32_t arg;   // size in bytes (alloc, realloc); repetitions (write)

  static constexpr Op make(OpKind k, std::uint32_t slot, std::uint32_t arg = 0) {
    return Op{(static_cast<std::uint32_t>(k) << kKindShift) | slot, arg};
  }
  constexpr OpKind kind() const { return static_cast<OpKind>(word >> kKindShift); }
  constexpr std::uint32_t slot() const { return word & kSlotMask; }
};
static_assert(sizeof(Op) == 8);

// What the generator knows at a kMark (every thread passes mark i after a barrier, so the
// figures are the whole process's): allocations done so far and live requested bytes, exactly.
struct TraceMark {
  std::uint64_t allocations = 0;
  std::uint64_t live_bytes = 0;
  bool after_shrink = false;  // the mark closes a shrink phase (most short-lived blocks freed)
  bool operator==(const TraceMark&) const = default;
};

struct Trace {
  std::vector<std::vector<Op>> threads;  // one op stream per thread
  std::size_t slots = 0;                 // size of the shared slot table
  std::uint64_t allocations = 0;         // the "ops" count reported (allocate + reallocate calls)
  std::uint64_t peak_live_bytes = 0;     // largest sum of live requested bytes (per-thread peaks summed)
  std::size_t max_request = 0;           // largest size requested (kFixedSize: the block size)
  std::uint32_t needs_caps = 0;          // capabilities the replay needs (kFree, kReset, ...)
  std::size_t align = 0;                 // the largest alignment a kAlign op asks for (replay)
  // Counts the generator reports with each row (replay: what the conversion of the recorded
  // calls did, ConversionStats), so a reader can judge how faithful the trace is.
  std::map<std::string, std::uint64_t> stats;
  std::vector<TraceMark> marks;  // by kMark index; empty for workloads without marks
};

}  // namespace alloclab
