// alloclab-check-probe: one conformance check of whichever malloc this process has (glibc, or
// the library LD_PRELOAD put in front of it), run in a fresh process per check so that a crash
// or a hang is the parent's row, not the end of the suite. Each family of checks is one file;
// main.cpp holds the table of checks and the reporting protocol (one verdict line on stdout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace alloclab::probe {

// What one check found. Messages are formatted printf-style; the first few of each kind are
// kept as evidence. The verdict is fail if anything failed, else note if anything was noted.
class Outcome {
 public:
  // The call about to be made: what a crash is reported "during" (written by the signal handler).
  void call(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void fail(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void note(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  void info(const char* fmt, ...) __attribute__((format(printf, 2, 3)));  // evidence of a pass

  bool failed() const { return fails_ > 0; }
  // "pass|fail|note\tevidence" (one line).
  std::string verdict_line() const;

 private:
  std::string fail_text_, note_text_, info_text_;
  unsigned fails_ = 0, notes_ = 0;
};

// The largest power of two dividing p's address (capped at 1 GiB); 0 for null.
std::size_t alignment_of(const void* p);
// Fills [p, p+n) with a pattern derived from `seed`; returns the offset of the first byte that
// differs from it, or n when all match.
void fill(void* p, std::size_t n, unsigned seed);
std::size_t first_mismatch(const void* p, std::size_t n, unsigned seed);
// Resident set size of this process in bytes (/proc/self/statm).
std::uint64_t rss_bytes();
// A small deterministic generator for sizes and orders.
struct Rng {
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

// The checks, by family (each file's functions).
void malloc_alignment(Outcome&);
void posix_memalign_check(Outcome&);
void aligned_alloc_check(Outcome&);
void memalign_check(Outcome&);
void valloc_check(Outcome&);
void pvalloc_check(Outcome&);
void posix_memalign_einval(Outcome&);
void nonpow2_alignment(Outcome&);
void aligned_alloc_odd_size(Outcome&);
void no_overlap(Outcome&);
void realloc_contents(Outcome&);
void calloc_zeroes(Outcome&);
void calloc_overflow(Outcome&);
void impossible_sizes(Outcome&);
void usable_size(Outcome&);
void free_null(Outcome&);
void cross_thread_free(Outcome&);
void thread_rss(Outcome&);
void fork_threads(Outcome&);
void adjacent_large(Outcome&);
void double_free(Outcome&);
void invalid_free(Outcome&);

}  // namespace alloclab::probe
