// What misuse does (a description, never a failure): a double free and a free of a pointer
// malloc never returned. A probe killed here is the row's note ("aborts").
#include <cstdlib>
#include <cstring>

#include "probe.hpp"

namespace alloclab::probe {
namespace {

// After the misuse: do the next two blocks of that size come back the same, or inside a live one?
void describe_aftermath(Outcome& o, const char* misuse, std::size_t n, const unsigned char* live) {
  o.call("malloc(%zu) twice after %s", n, misuse);
  auto* a = static_cast<unsigned char*>(std::malloc(n));
  auto* b = static_cast<unsigned char*>(std::malloc(n));
  if (a != nullptr && a == b)
    o.note("silent, and corrupt: after %s, malloc(%zu) returned %p twice", misuse, n, static_cast<void*>(a));
  else if (live != nullptr && ((a >= live && a < live + 256) || (b >= live && b < live + 256)))
    o.note("silent, and corrupt: after %s, malloc(%zu) returned a pointer inside the live block %p", misuse, n,
           static_cast<const void*>(live));
  else
    o.note("silent: %s returned, and the next two malloc(%zu) gave distinct blocks", misuse, n);
}

}  // namespace

void double_free(Outcome& o) {
  void* p = std::malloc(64);
  std::memset(p, 1, 64);
  o.call("free(%p) the second time", p);
  std::free(p);
  std::free(p);
  describe_aftermath(o, "a double free of malloc(64)", 64, nullptr);
}

void invalid_free(Outcome& o) {
  auto* p = static_cast<unsigned char*>(std::malloc(256));
  std::memset(p, 1, 256);
  o.call("free(%p), 64 bytes inside malloc(256) -> %p", static_cast<void*>(p + 64), static_cast<void*>(p));
  std::free(p + 64);
  describe_aftermath(o, "free of a pointer 64 bytes into a block", 192, p);
}

}  // namespace alloclab::probe
