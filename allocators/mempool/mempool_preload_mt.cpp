// A multi-threaded C++ program for the drop-in test: run with and without
// LD_PRELOAD=liballoclab_mempool.so, its output must be the same.
// It allocates through every path (malloc family, new/delete sized and aligned, containers),
// hands blocks between threads, forks while other threads allocate, and prints checksums.
// `--owner` prints the file that provides malloc (to prove the preload took effect).
// A failed operator new must call the new_handler and throw std::bad_alloc (the preload reaches
// the C++ runtime through weak references only).
#include <dlfcn.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

struct alignas(64) Wide {
  unsigned char bytes[192];
};

std::uint64_t work(unsigned t) {
  std::uint64_t sum = 0;
  std::map<int, std::string> m;
  std::vector<std::unique_ptr<Wide>> wides;
  for (int i = 0; i < 20000; ++i) {
    const int k = static_cast<int>((static_cast<unsigned>(i) * 2654435761u + t) % 5000u);
    m[k] = std::string(static_cast<std::size_t>(k % 300), static_cast<char>('a' + k % 26));
    if (i % 7 == 0) m.erase(k / 2);
    auto w = std::make_unique<Wide>();
    if (reinterpret_cast<std::uintptr_t>(w.get()) % 64 != 0) std::abort();
    std::memset(w->bytes, i & 0xff, sizeof w->bytes);
    wides.push_back(std::move(w));
    if (wides.size() > 500) wides.erase(wides.begin(), wides.begin() + 250);
    void* c = std::calloc(static_cast<std::size_t>(i % 100), 8);
    for (int b = 0; b < (i % 100) * 8; ++b)
      if (static_cast<unsigned char*>(c)[b] != 0) std::abort();
    char* r = static_cast<char*>(std::malloc(10));
    std::memcpy(r, "realloc-me", 10);
    r = static_cast<char*>(std::realloc(r, static_cast<std::size_t>(i % 400000) + 10));
    if (std::memcmp(r, "realloc-me", 10) != 0) std::abort();
    std::free(r);
    std::free(c);
    void* a = nullptr;
    if (posix_memalign(&a, 4096, 100) != 0 || reinterpret_cast<std::uintptr_t>(a) % 4096) std::abort();
    std::free(a);
  }
  for (auto& [k, v] : m) sum = sum * 31 + static_cast<std::uint64_t>(k) + v.size();
  return sum;
}

int g_handler_calls = 0;

// operator new of an impossible size: the handler runs twice, then gives up (nullptr).
void check_new_failure() {
  std::set_new_handler([] {
    if (++g_handler_calls == 2) std::set_new_handler(nullptr);
  });
  const std::size_t huge = std::size_t{1} << 60;
  volatile std::size_t n = huge;  // not folded away by the compiler
  try {
    void* p = ::operator new(n);
    std::printf("operator new(2^60) returned %p\n", p);
  } catch (const std::bad_alloc&) {
    std::printf("operator new(2^60): bad_alloc after %d handler calls\n", g_handler_calls);
  }
  std::printf("nothrow new(2^60): %s\n", ::operator new(n, std::nothrow) == nullptr ? "null" : "a block");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--owner") == 0) {
    Dl_info info{};
    void* sym = dlsym(RTLD_DEFAULT, "malloc");
    std::printf("%s\n", dladdr(sym, &info) != 0 && info.dli_fname ? info.dli_fname : "?");
    return 0;
  }
  constexpr unsigned kThreads = 4;
  std::vector<std::uint64_t> sums(kThreads);
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < kThreads; ++t) threads.emplace_back([&sums, t] { sums[t] = work(t); });

  // Cross-thread frees while the workers run.
  std::mutex m;
  std::vector<char*> handoff;
  std::thread producer([&] {
    for (int i = 0; i < 50000; ++i) {
      char* p = new char[static_cast<std::size_t>(i % 1000) + 1];
      p[0] = 'x';
      std::lock_guard g(m);
      handoff.push_back(p);
    }
  });
  std::thread consumer([&] {
    for (int freed = 0; freed < 50000;) {
      std::vector<char*> take;
      {
        std::lock_guard g(m);
        take.swap(handoff);
      }
      for (char* p : take) {
        if (p[0] != 'x') std::abort();
        delete[] p;
      }
      freed += static_cast<int>(take.size());
    }
  });
  // Forks while other threads hold allocator locks now and then.
  int children_ok = 0;
  for (int f = 0; f < 5; ++f) {
    const pid_t pid = fork();
    if (pid == 0) {
      std::vector<std::string> v(1000, std::string(100, 'c'));
      void* big = std::malloc(1 << 20);
      std::memset(big, 1, 1 << 20);
      std::free(big);
      _exit(v.back().size() == 100 ? 0 : 1);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
      ++children_ok;
  }
  for (auto& th : threads) th.join();
  producer.join();
  consumer.join();
  std::printf("children ok: %d\n", children_ok);
  check_new_failure();
  for (unsigned t = 0; t < kThreads; ++t)
    std::printf("thread %u checksum %llu\n", t, static_cast<unsigned long long>(sums[t]));
  return 0;
}
