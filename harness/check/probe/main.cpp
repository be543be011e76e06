// alloclab-check-probe CHECK [OWNER]: runs one check and prints its verdict line; with OWNER
// (a library path), first proves that OWNER provides malloc (harness/preload.hpp), so a
// preload that did not take fails loudly instead of checking glibc under another name.
// `alloclab-check-probe --list` prints "NAME required|note" per check, in order.
#include <signal.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "harness/preload.hpp"
#include "probe.hpp"

namespace alloclab::probe {
namespace {

struct Check {
  const char* name;
  bool required;  // false: the check only describes what happens (a note, never a fail)
  void (*run)(Outcome&);
};

constexpr Check kChecks[] = {
    {"malloc_alignment", true, malloc_alignment},
    {"posix_memalign", true, posix_memalign_check},
    {"aligned_alloc", true, aligned_alloc_check},
    {"memalign", true, memalign_check},
    {"valloc", true, valloc_check},
    {"pvalloc", true, pvalloc_check},
    {"posix_memalign_einval", true, posix_memalign_einval},
    {"nonpow2_alignment", false, nonpow2_alignment},
    {"aligned_alloc_odd_size", false, aligned_alloc_odd_size},
    {"no_overlap", true, no_overlap},
    {"realloc_contents", true, realloc_contents},
    {"calloc_zeroes", true, calloc_zeroes},
    {"calloc_overflow", true, calloc_overflow},
    {"impossible_sizes", true, impossible_sizes},
    {"usable_size", true, usable_size},
    {"free_null", true, free_null},
    {"cross_thread_free", true, cross_thread_free},
    {"thread_rss", true, thread_rss},
    {"fork_threads", true, fork_threads},
    {"adjacent_large", true, adjacent_large},
    {"double_free", false, double_free},
    {"invalid_free", false, invalid_free},
};

// The call in progress, for the signal handler: a fixed buffer, written before each call.
char g_current[256] = "";

void on_fatal_signal(int sig) {
  // Only async-signal-safe calls: the heap may be what broke.
  constexpr char kDuring[] = "during: ";
  ssize_t ignored = ::write(2, kDuring, sizeof kDuring - 1);
  ignored = ::write(2, g_current, std::strlen(g_current));
  ignored = ::write(2, "\n", 1);
  (void)ignored;
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void append(std::string& to, unsigned& count, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  ++count;
  if (count <= 3) {
    if (!to.empty()) to += "; ";
    to += buf;
  }
}

std::string with_more(const std::string& text, unsigned count) {
  return count > 3 ? text + "; and " + std::to_string(count - 3) + " more" : text;
}

}  // namespace

void Outcome::call(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(g_current, sizeof g_current, fmt, ap);
  va_end(ap);
}

void Outcome::fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  append(fail_text_, fails_, fmt, ap);
  va_end(ap);
}

void Outcome::note(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  append(note_text_, notes_, fmt, ap);
  va_end(ap);
}

void Outcome::info(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  unsigned count = 0;
  append(info_text_, count, fmt, ap);
  va_end(ap);
}

std::string Outcome::verdict_line() const {
  std::string line;
  if (fails_ > 0) line = "fail\t" + with_more(fail_text_, fails_);
  else if (notes_ > 0) line = "note\t" + with_more(note_text_, notes_);
  else line = "pass\t" + info_text_;
  // One line: a message never carries a newline, but keep the protocol safe regardless.
  for (std::size_t i = 5; i < line.size(); ++i)
    if (line[i] == '\n') line[i] = ' ';
  return line;
}

}  // namespace alloclab::probe

int main(int argc, char** argv) {
  using namespace alloclab::probe;
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const Check& c : kChecks) std::printf("%s %s\n", c.name, c.required ? "required" : "note");
    return 0;
  }
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: alloclab-check-probe CHECK [OWNER] | --list\n");
    return 2;
  }
  const Check* check = nullptr;
  for (const Check& c : kChecks)
    if (std::strcmp(c.name, argv[1]) == 0) check = &c;
  if (check == nullptr) {
    std::fprintf(stderr, "alloclab-check-probe: unknown check '%s'\n", argv[1]);
    return 2;
  }
  if (argc == 3) {
    if (const std::string err = alloclab::check_malloc_owner(argv[2]); !err.empty()) {
      std::printf("fail\t%s\n", err.c_str());
      return 0;
    }
  }
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, on_fatal_signal);
  Outcome outcome;
  check->run(outcome);
  std::printf("%s\n", outcome.verdict_line().c_str());
  return 0;
}
