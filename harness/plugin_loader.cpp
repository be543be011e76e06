#include "plugin_loader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <array>
#include <filesystem>
#include <fmt/format.h>
#include <new>
#include <utility>

#include "bindings/registry.hpp"
#include "deployments.hpp"
#include "signal_name.hpp"
#include "workloads/replay.hpp"

namespace alloclab {
namespace {

static_assert(ALLOCLAB_CAP_FREE == kFree && ALLOCLAB_CAP_FREE_LAST == kFreeLast &&
              ALLOCLAB_CAP_RESET == kReset && ALLOCLAB_CAP_REALLOC == kRealloc &&
              ALLOCLAB_CAP_THREAD_SAFE == kThreadSafe &&
              ALLOCLAB_CAP_CROSS_THREAD_FREE == kCrossThreadFree &&
              ALLOCLAB_CAP_FIXED_SIZE == kFixedSize,
              "the C ABI's capability bits are alloclab::Cap's");

// One instance of a C ABI plugin, seen by the replay loop as an allocator: each member is one
// indirect call through the plugin's table. Every capability's member exists; the runner has
// checked the trace against the plugin's declared capabilities (check_fits) before replaying.
class CAbiAllocator {
 public:
  CAbiAllocator(const AlloclabPluginV1& vt, void* ctx) noexcept : vt_(vt), ctx_(ctx) {}
  ~CAbiAllocator() { vt_.destroy(ctx_); }
  CAbiAllocator(const CAbiAllocator&) = delete;
  CAbiAllocator& operator=(const CAbiAllocator&) = delete;

  // Hot path: one indirect call per op.
  void* allocate(std::size_t n, std::size_t align) noexcept { return vt_.allocate(ctx_, n, align); }
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    vt_.free(ctx_, p, n, align);
  }
  void* reallocate(void* p, std::size_t o, std::size_t n, std::size_t align) noexcept {
    return vt_.realloc(ctx_, p, o, n, align);
  }
  void reset() noexcept { vt_.reset(ctx_); }

 private:
  const AlloclabPluginV1& vt_;
  void* ctx_;
};
static_assert(Replayable<CAbiAllocator>);

// ErasedOps::create has no context argument, so each loaded plugin gets its own create
// function, indexed by its place in tables().
constexpr std::size_t kMaxPlugins = 8;

std::array<const AlloclabPluginV1*, kMaxPlugins>& tables() {
  static std::array<const AlloclabPluginV1*, kMaxPlugins> all{};
  return all;
}

std::vector<std::string>& paths() {
  static std::vector<std::string> all;
  return all;
}

template <std::size_t I>
void* create_at(const Config& c) {
  const AlloclabPluginV1& vt = *tables()[I];
  void* ctx = vt.create(c.block_size, c.threads);
  if (ctx == nullptr) return nullptr;
  auto* a = new (std::nothrow) CAbiAllocator(vt, ctx);
  if (a == nullptr) vt.destroy(ctx);
  return a;
}

template <std::size_t... I>
constexpr auto make_creates(std::index_sequence<I...>) {
  return std::array<void* (*)(const Config&), sizeof...(I)>{&create_at<I>...};
}
constexpr auto kCreates = make_creates(std::make_index_sequence<kMaxPlugins>{});

CAbiAllocator& self_of(void* self) { return *static_cast<CAbiAllocator*>(self); }

PluginEntry entry_for(const AlloclabPluginV1& p, std::size_t index) {
  ErasedOps ops;
  ops.create = kCreates[index];
  ops.destroy = [](void* self) { delete static_cast<CAbiAllocator*>(self); };
  ops.allocate = [](void* self, std::size_t n, std::size_t al) {
    return self_of(self).allocate(n, al);
  };
  if (p.free != nullptr)
    ops.deallocate = [](void* self, void* q, std::size_t n, std::size_t al) {
      self_of(self).deallocate(q, n, al);
    };
  if (p.realloc != nullptr)
    ops.reallocate = [](void* self, void* q, std::size_t o, std::size_t n, std::size_t al) {
      return self_of(self).reallocate(q, o, n, al);
    };
  if (p.reset != nullptr) ops.reset = [](void* self) { self_of(self).reset(); };
  const Traits traits{p.name, p.summary != nullptr ? p.summary : "", p.caps, p.max_size,
                      p.max_align};
  return PluginEntry{traits, ops, &replay<CAbiAllocator>, true};
}

}  // namespace

std::string check_plugin_name(std::string_view name) {
  if (name.empty()) return "the name is empty";
  if (name.size() > 32) return fmt::format("the name '{}' is longer than 32 characters", name);
  if (name[0] < 'a' || name[0] > 'z')
    return fmt::format("the name '{}' must start with a lowercase letter", name);
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return fmt::format("the name '{}' may hold only a-z, 0-9, '_' and '-'", name);
  return {};
}

std::string validate_plugin(const AlloclabPluginV1& p) {
  if (p.abi_version != ALLOCLAB_PLUGIN_ABI_VERSION)
    return fmt::format("ABI version {}, this alloclab reads version {}", p.abi_version,
                       ALLOCLAB_PLUGIN_ABI_VERSION);
  if (p.struct_size < sizeof(AlloclabPluginV1))
    return fmt::format("struct_size {} is smaller than AlloclabPluginV1 ({})", p.struct_size,
                       sizeof(AlloclabPluginV1));
  if (p.name == nullptr) return "name is NULL";
  if (std::string why = check_plugin_name(p.name); !why.empty()) return why;
  const std::pair<const char*, bool> required[] = {{"create", p.create != nullptr},
                                                   {"destroy", p.destroy != nullptr},
                                                   {"allocate", p.allocate != nullptr}};
  for (auto [what, present] : required)
    if (!present) return fmt::format("required function '{}' is NULL", what);
  if ((p.caps & ~kAllCaps) != 0) return fmt::format("unknown capability bits {:#x}", p.caps & ~kAllCaps);
  const bool frees = has_cap(p.caps, kFree) || has_cap(p.caps, kFreeLast);
  const std::tuple<const char*, const char*, bool, bool> pairs[] = {
      {"free", "free or free-last", frees, p.free != nullptr},
      {"realloc", "realloc", has_cap(p.caps, kRealloc), p.realloc != nullptr},
      {"reset", "reset", has_cap(p.caps, kReset), p.reset != nullptr}};
  for (auto [fn, cap, declared, present] : pairs)
    if (declared != present)
      return fmt::format("capability '{}' is {} but function '{}' is {}", cap,
                         declared ? "declared" : "not declared", fn, present ? "set" : "NULL");
  if (p.max_size == 0) return "max_size is 0";
  if (!is_pow2(p.max_align)) return fmt::format("max_align {} is not a power of two", p.max_align);
  return {};
}

namespace {

// dlopen + the entry point + validation. Sets `table` on success; else a one-line reason.
std::string open_plugin(const std::string& file, const AlloclabPluginV1*& table) {
  void* lib = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* err = ::dlerror();
    return err != nullptr ? err : "cannot load";
  }
  auto entry = reinterpret_cast<AlloclabPluginEntryFn>(::dlsym(lib, "alloclab_plugin_v1"));
  if (entry == nullptr) return "does not export alloclab_plugin_v1()";
  table = entry();
  if (table == nullptr) return "alloclab_plugin_v1() returned NULL";
  return validate_plugin(*table);
}

// Loading runs the plugin's code (its static constructors, its entry point): a crash or a hang
// there must not take alloclab down, so it is first done in a throwaway child, as every
// measurement is. Empty when the child loaded and validated it.
std::string open_plugin_in_child(const std::string& file) {
  constexpr int kLoadTimeoutMs = 10'000;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fmt::format("pipe: {}", std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return fmt::format("fork: {}", std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    const AlloclabPluginV1* table = nullptr;
    const std::string why = open_plugin(file, table);
    const ssize_t n = ::write(fds[1], why.data(), why.size());
    ::_exit(n == static_cast<ssize_t>(why.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string why;
  bool timed_out = false;
  for (char buf[512];;) {
    pollfd pfd{fds[0], POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kLoadTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = true;
      break;
    }
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    why.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return fmt::format("loading it did not finish within {} s", kLoadTimeoutMs / 1000);
  if (WIFSIGNALED(status)) return fmt::format("crashed while loading ({})", signal_name(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return why.empty() ? fmt::format("the loading child exited with status {}", WEXITSTATUS(status)) : why;
  return why;
}

}  // namespace

std::string load_plugin(const std::string& path) {
  const auto fail = [&path](const std::string& why) {
    return fmt::format("--plugin '{}': {}", path, why);
  };
  if (paths().size() == kMaxPlugins) return fail(fmt::format("at most {} plugins", kMaxPlugins));
  // Absolute: a bare name would be searched in the system library path; a plugin is a file.
  std::error_code ec;
  const std::string file = std::filesystem::absolute(path, ec).string();
  if (std::string why = open_plugin_in_child(file); !why.empty()) return fail(why);
  const AlloclabPluginV1* p = nullptr;
  if (std::string why = open_plugin(file, p); !why.empty()) return fail(why);
  if (find_measurable(p->name))
    return fail(fmt::format("an allocator named '{}' is already registered", p->name));
  // The library stays loaded for the life of the process: the registry points into it.
  const std::size_t index = paths().size();
  tables()[index] = p;
  paths().push_back(file);  // absolute: children load the same file
  register_plugin(entry_for(*p, index));
  return {};
}

const std::vector<std::string>& loaded_plugins() { return paths(); }

}  // namespace alloclab
