// The on-disk layout of a recorded allocation trace (liballoclab_record.so writes it, the
// `replay` workload reads it). Plain structs and constants only: the recorder includes this
// header inside malloc hooks, so nothing here may allocate. Prose: workloads/TRACE_FORMAT.md.
//
// Glossary
//   file   - one FileHeader, then chunks until the end of the file.
//   chunk  - one flush of one thread's buffer: a ChunkHeader, then `count` records.
//   record - one call (malloc, free, ...), 32 bytes; the recorder's thread number is the chunk's.
//   time   - per-record ticks (TSC or CLOCK_MONOTONIC ns, see kFlagTimeTsc); the global order
//            of calls across threads, used to pair a block's free with its allocation.
#pragma once

#include <cstdint>

namespace alloclab::trace_format {

// Every integer is little-endian (the recorder writes host order; readers on a big-endian
// host refuse the file).
inline constexpr char kMagic[8] = {'A', 'L', 'C', 'T', 'R', 'A', 'C', 'E'};
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::uint32_t kChunkTag = 0x4b4e4843;  // "CHNK" read as little-endian
inline constexpr std::uint32_t kFlagTimeTsc = 1u << 0;  // time is TSC ticks, else ns
// The recorder stopped at its size limit (ALLOCLAB_TRACE_MAX_BYTES): the file is whole up to
// its last chunk, and the calls after it are missing.
inline constexpr std::uint32_t kFlagCut = 1u << 1;

// Which function was called. Values are part of the format: never renumber.
enum class Call : std::uint8_t {
  kMalloc = 1,
  kCalloc = 2,  // size = count * size
  kRealloc = 3,  // old_ptr -> ptr; ptr 0 with size 0 frees old_ptr; old_ptr 0 allocates
  kFree = 4,     // ptr is the freed pointer (0: free(NULL))
  kPosixMemalign = 5,
  kAlignedAlloc = 6,
  kMemalign = 7,
  kValloc = 8,
  kPvalloc = 9,
};
inline constexpr std::uint8_t kLastCall = 9;

struct FileHeader {
  char magic[8];
  std::uint16_t version;
  std::uint16_t header_size;        // sizeof(FileHeader): 64
  std::uint16_t chunk_header_size;  // sizeof(ChunkHeader): 16
  std::uint16_t record_size;        // sizeof(Record): 32
  std::uint32_t pid;                // the recorded process
  std::uint32_t flags;              // kFlagTimeTsc, kFlagCut
  std::uint64_t start_ns;           // CLOCK_REALTIME when recording started (information)
  std::uint64_t reserved[4];        // zero
};
static_assert(sizeof(FileHeader) == 64);

struct ChunkHeader {
  std::uint32_t tag;     // kChunkTag
  std::uint32_t thread;  // the recorder's thread number: 0, 1, ... in order of first call
  std::uint32_t tid;     // the OS thread id (information)
  std::uint32_t count;   // records that follow
};
static_assert(sizeof(ChunkHeader) == 16);

struct Record {
  std::uint64_t time;
  std::uint64_t ptr;      // the result of an allocating call (0: it failed); free's argument
  std::uint64_t old_ptr;  // realloc's argument; 0 otherwise
  std::uint64_t word;     // size (bits 0-47) | log2 alignment (48-55) | Call (56-63)
};
static_assert(sizeof(Record) == 32);

// A version-1 header with every size field filled in.
constexpr FileHeader make_header(std::uint32_t pid, std::uint32_t flags, std::uint64_t start_ns) {
  return FileHeader{{kMagic[0], kMagic[1], kMagic[2], kMagic[3], kMagic[4], kMagic[5], kMagic[6],
                     kMagic[7]},
                    kVersion, sizeof(FileHeader), sizeof(ChunkHeader), sizeof(Record),
                    pid, flags, start_ns, {}};
}

inline constexpr unsigned kAlignShift = 48;
inline constexpr unsigned kCallShift = 56;
inline constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << kAlignShift) - 1;

// pre: align is a power of two (0: the default alignment).
constexpr std::uint64_t pack_word(Call c, std::uint64_t size, unsigned align_log2) {
  return (size < kSizeMask ? size : kSizeMask) |
         (std::uint64_t{align_log2 & 0xffu} << kAlignShift) |
         (std::uint64_t{static_cast<std::uint8_t>(c)} << kCallShift);
}
constexpr std::uint64_t size_of(const Record& r) { return r.word & kSizeMask; }
constexpr unsigned align_log2_of(const Record& r) { return (r.word >> kAlignShift) & 0xffu; }
constexpr std::uint8_t call_of(const Record& r) {
  return static_cast<std::uint8_t>(r.word >> kCallShift);
}

}  // namespace alloclab::trace_format
