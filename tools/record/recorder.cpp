// liballoclab_record.so: LD_PRELOAD it into any program to record its heap calls.
//
//   ALLOCLAB_TRACE=out.trace LD_PRELOAD=build/lib/liballoclab_record.so python3 script.py
//
// Every call of malloc, calloc, realloc, reallocarray, free, posix_memalign, aligned_alloc,
// memalign, valloc and pvalloc is forwarded to the next library (glibc, found with
// dlsym(RTLD_NEXT)) and appended, as a 32-byte record, to the calling thread's buffer; full
// buffers are written to the trace with one write(2). C++ new/delete reach malloc/free through
// libstdc++, so they are recorded too. Layout: workloads/trace_format.hpp, TRACE_FORMAT.md.
//
// Environment
//   ALLOCLAB_TRACE      output path; "%p" in it becomes the pid. Unset or empty: no recording.
//   ALLOCLAB_TRACE_PID  when set (and the path has no %p), only that process records (the one
//                       `alloclab record` started, not the programs it runs in turn).
//   ALLOCLAB_TRACE_MAX_BYTES  when set and not 0, no file grows past this many bytes: the first
//                       chunk that would pass it is not written, the header's kFlagCut bit is
//                       set, and that process records no more (its program runs on).
//
// Rules the hooks keep
//   - No allocation inside a hook: buffers come from mmap, paths are built in static storage.
//     Calls made while dlsym itself runs are served from a static bootstrap buffer.
//   - A hook's own calls into libc (pthread_setspecific may calloc) are forwarded unrecorded
//     (t_busy).
//   - Time is taken before a call that gives memory back (free, realloc) and after one that
//     hands memory out, so a block's free is never ordered before its allocation.
//   - fork: the child drops the parent's unflushed records and records to its own file when
//     the path has %p, else stops. Thread exit: a pthread key destructor flushes the buffer.
//     Process exit: a destructor (run after the program's own) flushes the calling thread.
//     Records of threads still running at exit, or of a process killed or ended with _exit,
//     are lost (at most one buffer per thread).
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "workloads/trace_format.hpp"

#define ALLOCLAB_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

namespace tf = alloclab::trace_format;

// ---------------------------------------------------------------------------------------------
// The real functions.
struct Reals {
  void* (*malloc)(std::size_t);
  void (*free)(void*);
  void* (*calloc)(std::size_t, std::size_t);
  void* (*realloc)(void*, std::size_t);
  int (*posix_memalign)(void**, std::size_t, std::size_t);
  void* (*aligned_alloc)(std::size_t, std::size_t);
  void* (*memalign)(std::size_t, std::size_t);
  void* (*valloc)(std::size_t);
  void* (*pvalloc)(std::size_t);
};
Reals g_real{};

enum State : int { kUninit, kInitializing, kReady };
std::atomic<int> g_state{kUninit};
std::atomic<bool> g_recording{false};

__thread bool t_in_init __attribute__((tls_model("initial-exec"))) = false;
__thread bool t_busy __attribute__((tls_model("initial-exec"))) = false;

// ---------------------------------------------------------------------------------------------
// Bootstrap: memory for calls made while dlsym resolves the real functions. Never reused.
alignas(64) unsigned char g_boot[256 * 1024];
std::atomic<std::size_t> g_boot_used{0};

bool in_boot(const void* p) {
  auto* b = static_cast<const unsigned char*>(p);
  return b >= g_boot && b < g_boot + sizeof g_boot;
}

// Each block is preceded by its size (for realloc's copy). Returns null when exhausted.
void* boot_alloc(std::size_t n, std::size_t align = 16) {
  if (align < 16) align = 16;
  std::size_t at = g_boot_used.load(std::memory_order_relaxed), start;
  do {
    start = (at + sizeof(std::size_t) + align - 1) & ~(align - 1);
    if (n > sizeof g_boot || start + n > sizeof g_boot) return nullptr;
  } while (!g_boot_used.compare_exchange_weak(at, start + n));
  std::memcpy(g_boot + start - sizeof(std::size_t), &n, sizeof n);
  return g_boot + start;
}

std::size_t boot_size(const void* p) {
  std::size_t n;
  std::memcpy(&n, static_cast<const unsigned char*>(p) - sizeof n, sizeof n);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Output.
constexpr std::size_t kBufferBytes = 64 * 1024;
constexpr std::uint32_t kPerBuffer =
    (kBufferBytes - sizeof(tf::ChunkHeader)) / sizeof(tf::Record);

struct ThreadBuffer {  // mmap'ed; written to the file as one chunk
  tf::ChunkHeader head;
  tf::Record rec[kPerBuffer];
};
static_assert(sizeof(ThreadBuffer) <= kBufferBytes);

enum ThreadState : unsigned char { kFresh, kActive, kExited };
__thread ThreadBuffer* t_buf __attribute__((tls_model("initial-exec"))) = nullptr;
__thread unsigned char t_state __attribute__((tls_model("initial-exec"))) = kFresh;

int g_fd = -1;
pthread_mutex_t g_write_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_key_t g_key;
std::atomic<std::uint32_t> g_threads{0};
char g_pattern[4096];   // ALLOCLAB_TRACE as given
bool g_per_pid = false;  // the pattern has %p: every process (fork child, exec) has its own file
std::uint32_t g_flags = 0;
std::uint64_t g_max_bytes = 0;  // ALLOCLAB_TRACE_MAX_BYTES; 0: no limit
std::uint64_t g_written = 0;    // bytes in this process's file (under g_write_lock)

inline std::uint64_t now() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned aux;
  return __rdtscp(&aux);  // waits for earlier instructions: ordered after the call it follows
#else
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
#endif
}

bool write_all(const void* data, std::size_t n) {
  auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(g_fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// The size limit is reached: marks the file's header (kFlagCut) and stops recording. The file
// is opened O_APPEND, which pwrite would obey on Linux: cleared first (nothing is written after).
// pre: g_write_lock is held.
void cut_recording() {
  g_recording.store(false, std::memory_order_relaxed);
  const std::uint32_t flags = g_flags | tf::kFlagCut;
  const int fl = ::fcntl(g_fd, F_GETFL);
  if (fl >= 0 && ::fcntl(g_fd, F_SETFL, fl & ~O_APPEND) == 0)
    (void)!::pwrite(g_fd, &flags, sizeof flags, offsetof(tf::FileHeader, flags));
  ::close(g_fd);
  g_fd = -1;
}

// Writes the buffer as one chunk; on a write error recording stops (the file stays readable
// up to its last whole chunk only if the error left none half-written).
void flush(ThreadBuffer* b) {
  if (b->head.count == 0) return;
  const int saved = errno;
  pthread_mutex_lock(&g_write_lock);
  const std::size_t bytes = sizeof b->head + b->head.count * sizeof(tf::Record);
  if (g_fd >= 0 && g_max_bytes != 0 && g_written + bytes > g_max_bytes) cut_recording();
  if (g_fd >= 0 && !write_all(b, bytes)) g_recording.store(false, std::memory_order_relaxed);
  g_written += bytes;
  pthread_mutex_unlock(&g_write_lock);
  b->head.count = 0;
  errno = saved;
}

// "%p" -> pid, into `out`. False when it does not fit.
bool expand_path(char* out, std::size_t cap, const char* pattern, pid_t pid) {
  char digits[16];
  int nd = 0;
  for (auto v = static_cast<unsigned>(pid); nd == 0 || v != 0; v /= 10)
    digits[nd++] = static_cast<char>('0' + v % 10);
  std::size_t o = 0;
  for (const char* s = pattern; *s != '\0'; ++s) {
    if (s[0] == '%' && s[1] == 'p') {
      for (int i = nd; i-- > 0;) {
        if (o + 1 >= cap) return false;
        out[o++] = digits[i];
      }
      ++s;
      continue;
    }
    if (o + 1 >= cap) return false;
    out[o++] = *s;
  }
  out[o] = '\0';
  return true;
}

// Opens this process's file and writes the header; false (and no recording) on failure.
bool open_output() {
  char path[sizeof g_pattern + 16];
  if (!expand_path(path, sizeof path, g_pattern, ::getpid())) return false;
  g_fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (g_fd < 0) return false;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const tf::FileHeader h = tf::make_header(
      static_cast<std::uint32_t>(::getpid()), g_flags,
      static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec));
  if (!write_all(&h, sizeof h)) {
    ::close(g_fd);
    g_fd = -1;
    return false;
  }
  g_written = sizeof h;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Threads.
void on_thread_exit(void* v) {
  auto* b = static_cast<ThreadBuffer*>(v);
  flush(b);
  t_buf = nullptr;
  t_state = kExited;  // later calls of this thread (its last teardown) are not recorded
  ::munmap(b, kBufferBytes);
}

[[gnu::noinline]] ThreadBuffer* start_thread() {
  if (t_state == kExited) return nullptr;
  void* m = ::mmap(nullptr, kBufferBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return nullptr;
  auto* b = static_cast<ThreadBuffer*>(m);
  b->head = tf::ChunkHeader{tf::kChunkTag, g_threads.fetch_add(1), static_cast<std::uint32_t>(::gettid()), 0};
  t_busy = true;  // pthread_setspecific may allocate
  ::pthread_setspecific(g_key, b);
  t_busy = false;
  t_buf = b;
  t_state = kActive;
  return b;
}

// Hot path: one record into the calling thread's buffer.
inline void record(std::uint64_t time, tf::Call c, const void* p, const void* old, std::size_t n,
                   unsigned align_log2 = 0) {
  if (!g_recording.load(std::memory_order_relaxed) || t_busy) return;
  ThreadBuffer* b = t_buf;
  if (b == nullptr) [[unlikely]] {
    b = start_thread();
    if (b == nullptr) return;
  }
  b->rec[b->head.count] = tf::Record{time, reinterpret_cast<std::uintptr_t>(p),
                                     reinterpret_cast<std::uintptr_t>(old),
                                     tf::pack_word(c, n, align_log2)};
  if (++b->head.count == kPerBuffer) [[unlikely]] flush(b);
}

unsigned log2_ceil(std::size_t align) {
  unsigned l = 0;
  while (l < 63 && (std::size_t{1} << l) < align) ++l;
  return l;
}

// ---------------------------------------------------------------------------------------------
// fork.
void before_fork() { pthread_mutex_lock(&g_write_lock); }
void after_fork_parent() { pthread_mutex_unlock(&g_write_lock); }
void after_fork_child() {
  pthread_mutex_unlock(&g_write_lock);
  if (t_buf != nullptr) t_buf->head.count = 0;  // the parent writes these
  if (g_fd >= 0) ::close(g_fd);
  g_fd = -1;
  if (!g_recording.load(std::memory_order_relaxed)) return;
  if (!g_per_pid || !open_output()) {
    g_recording.store(false);
    return;
  }
  g_threads.store(1);  // the forking thread is the child's thread 0
  if (t_buf != nullptr) {
    t_buf->head.thread = 0;
    t_buf->head.tid = static_cast<std::uint32_t>(::gettid());
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up.
void start_recording() {
  const char* pattern = ::getenv("ALLOCLAB_TRACE");
  if (pattern == nullptr || pattern[0] == '\0' || std::strlen(pattern) >= sizeof g_pattern) return;
  std::strcpy(g_pattern, pattern);
  g_per_pid = std::strstr(g_pattern, "%p") != nullptr;
  if (const char* only = ::getenv("ALLOCLAB_TRACE_PID"); only != nullptr && !g_per_pid)
    if (std::strtol(only, nullptr, 10) != ::getpid()) return;
#if defined(__x86_64__) || defined(__i386__)
  g_flags = tf::kFlagTimeTsc;
#endif
  if (const char* max = ::getenv("ALLOCLAB_TRACE_MAX_BYTES"); max != nullptr)
    g_max_bytes = std::strtoull(max, nullptr, 10);
  if (::pthread_key_create(&g_key, &on_thread_exit) != 0) return;
  ::pthread_atfork(&before_fork, &after_fork_parent, &after_fork_child);
  if (open_output()) g_recording.store(true);
}

template <class F>
void resolve(F& fn, const char* name) {
  fn = reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

[[gnu::noinline]] void init() {
  int expected = kUninit;
  if (!g_state.compare_exchange_strong(expected, kInitializing)) {
    while (g_state.load(std::memory_order_acquire) != kReady) sched_yield();  // another thread
    return;
  }
  t_in_init = true;
  resolve(g_real.malloc, "malloc");
  resolve(g_real.free, "free");
  resolve(g_real.calloc, "calloc");
  resolve(g_real.realloc, "realloc");
  resolve(g_real.posix_memalign, "posix_memalign");
  resolve(g_real.aligned_alloc, "aligned_alloc");
  resolve(g_real.memalign, "memalign");
  resolve(g_real.valloc, "valloc");
  resolve(g_real.pvalloc, "pvalloc");
  t_in_init = false;
  g_state.store(kReady, std::memory_order_release);
  t_busy = true;
  start_recording();
  t_busy = false;
}

// True when the real functions can be called; false: serve this call from the bootstrap.
inline bool ready() {
  if (g_state.load(std::memory_order_acquire) == kReady) [[likely]] return true;
  if (t_in_init) return false;
  init();
  return true;
}

__attribute__((constructor)) void on_load() { ready(); }

__attribute__((destructor)) void on_unload() {
  if (!g_recording.load()) return;
  if (t_buf != nullptr) flush(t_buf);
  g_recording.store(false);  // calls after this point would never be flushed
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The hooks.
ALLOCLAB_EXPORT void* malloc(std::size_t n) {
  if (!ready()) [[unlikely]] return boot_alloc(n);
  void* p = g_real.malloc(n);
  record(now(), tf::Call::kMalloc, p, nullptr, n);
  return p;
}

ALLOCLAB_EXPORT void free(void* p) {
  if (p == nullptr || in_boot(p)) [[unlikely]] return;
  if (!ready()) [[unlikely]] return;
  record(now(), tf::Call::kFree, p, nullptr, 0);
  g_real.free(p);
}

ALLOCLAB_EXPORT void* calloc(std::size_t count, std::size_t size) {
  std::size_t n;
  if (__builtin_mul_overflow(count, size, &n)) n = ~std::size_t{0};
  if (!ready()) [[unlikely]] return boot_alloc(n);
  void* p = g_real.calloc(count, size);
  record(now(), tf::Call::kCalloc, p, nullptr, n);
  return p;
}

ALLOCLAB_EXPORT void* realloc(void* old, std::size_t n) {
  if (!ready() || in_boot(old)) [[unlikely]] {
    if (!ready()) return boot_alloc(n);
    void* p = malloc(n);  // moves a bootstrap block out to the real heap (recorded as malloc)
    if (p != nullptr) std::memcpy(p, old, n < boot_size(old) ? n : boot_size(old));
    return p;
  }
  const std::uint64_t t = now();
  void* p = g_real.realloc(old, n);
  if (p != nullptr || n == 0) record(t, tf::Call::kRealloc, p, old, n);  // n == 0 freed `old`
  return p;
}

ALLOCLAB_EXPORT void* reallocarray(void* old, std::size_t count, std::size_t size) {
  std::size_t n;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(old, n);
}

ALLOCLAB_EXPORT int posix_memalign(void** out, std::size_t align, std::size_t n) {
  if (!ready()) [[unlikely]] {
    *out = boot_alloc(n, align);
    return *out != nullptr ? 0 : ENOMEM;
  }
  const int rc = g_real.posix_memalign(out, align, n);
  if (rc == 0) record(now(), tf::Call::kPosixMemalign, *out, nullptr, n, log2_ceil(align));
  return rc;
}

ALLOCLAB_EXPORT void* aligned_alloc(std::size_t align, std::size_t n) {
  if (!ready()) [[unlikely]] return boot_alloc(n, align);
  void* p = g_real.aligned_alloc(align, n);
  record(now(), tf::Call::kAlignedAlloc, p, nullptr, n, log2_ceil(align));
  return p;
}

ALLOCLAB_EXPORT void* memalign(std::size_t align, std::size_t n) {
  if (!ready()) [[unlikely]] return boot_alloc(n, align);
  void* p = g_real.memalign(align, n);
  record(now(), tf::Call::kMemalign, p, nullptr, n, log2_ceil(align));
  return p;
}

ALLOCLAB_EXPORT void* valloc(std::size_t n) {
  const auto page = static_cast<std::size_t>(::getpagesize());
  if (!ready()) [[unlikely]] return boot_alloc(n, page);
  void* p = g_real.valloc(n);
  record(now(), tf::Call::kValloc, p, nullptr, n, log2_ceil(page));
  return p;
}

ALLOCLAB_EXPORT void* pvalloc(std::size_t n) {
  const auto page = static_cast<std::size_t>(::getpagesize());
  if (!ready()) [[unlikely]] return boot_alloc(n, page);
  void* p = g_real.pvalloc(n);
  // pvalloc rounds the size up to whole pages: record what the block really holds.
  const std::size_t rounded = n > ~std::size_t{0} - page ? n : (n + page - 1) & ~(page - 1);
  record(now(), tf::Call::kPvalloc, p, nullptr, rounded, log2_ceil(page));
  return p;
}
