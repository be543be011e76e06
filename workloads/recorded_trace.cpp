// Reading a recorded trace: every size and count is checked before it is trusted, so a
// truncated or foreign file is a one-line TraceFileError, never a crash or a huge allocation.
#include "recorded_trace.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace alloclab {
namespace {

namespace tf = trace_format;

constexpr std::uint32_t kMaxChunkRecords = 1u << 20;  // the recorder writes ~2k per chunk
constexpr std::uint32_t kMaxThreadNumber = 1u << 20;
constexpr unsigned kMaxAlignLog2 = 30;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path) {
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) fail("cannot open it: {}", std::strerror(errno));
  }

  // Reads exactly n bytes. At the end of the file: false when `end_ok` and nothing was read
  // (a clean end between chunks); a file cut anywhere else throws, naming what was cut.
  bool read(void* out, std::size_t n, const char* what, bool end_ok) {
    const std::size_t got = std::fread(out, 1, n, file_.get());
    offset_ += got;
    if (got == n) return true;
    if (std::ferror(file_.get())) fail("read error: {}", std::strerror(errno));
    if (got == 0 && end_ok) return false;
    fail("truncated: the file ends inside {} (byte {})", what, offset_);
  }

  // Moves n bytes on (past the end of the file too: compare offset() with size()).
  void skip(std::uint64_t n) {
    if (std::fseek(file_.get(), static_cast<long>(n), SEEK_CUR) != 0) fail("seek error: {}", std::strerror(errno));
    offset_ += n;
  }

  std::uint64_t offset() const { return offset_; }
  std::uint64_t size() const {
    struct stat st{};
    return ::fstat(::fileno(file_.get()), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  }

  template <class... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) const {
    throw TraceFileError(
        fmt::format("trace '{}': {}", path_, fmt::format(f, std::forward<Args>(args)...)));
  }

 private:
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::uint64_t offset_ = 0;
};

void check_header(Reader& in, const tf::FileHeader& h) {
  if (std::memcmp(h.magic, tf::kMagic, sizeof h.magic) != 0)
    in.fail("not an alloclab trace (bad magic; record one with: alloclab record -- COMMAND)");
  if (h.version != tf::kVersion)
    in.fail("format version {} is not supported (this alloclab reads version {})", h.version,
            tf::kVersion);
  if (h.header_size != sizeof(tf::FileHeader) || h.chunk_header_size != sizeof(tf::ChunkHeader) ||
      h.record_size != sizeof(tf::Record))
    in.fail("unexpected layout (header {} / chunk header {} / record {} bytes; expected {} / {} / {})",
            h.header_size, h.chunk_header_size, h.record_size, sizeof(tf::FileHeader),
            sizeof(tf::ChunkHeader), sizeof(tf::Record));
}

tf::FileHeader read_header(Reader& in) {
  tf::FileHeader h{};
  if (!in.read(&h, sizeof h, "the file header", true)) in.fail("empty file (not an alloclab trace)");
  check_header(in, h);
  return h;
}

RecordedCall decode(Reader& in, const tf::Record& r, std::uint32_t thread) {
  const std::uint8_t call = tf::call_of(r);
  if (call == 0 || call > tf::kLastCall)
    in.fail("unknown call kind {} in the record ending at byte {}", call, in.offset());
  if (tf::align_log2_of(r) > kMaxAlignLog2)
    in.fail("alignment 2^{} in the record ending at byte {} is out of range", tf::align_log2_of(r),
            in.offset());
  return RecordedCall{r.time, r.ptr, r.old_ptr, tf::size_of(r), thread,
                      static_cast<tf::Call>(call), static_cast<std::uint8_t>(tf::align_log2_of(r))};
}

}  // namespace

RecordedCallStream::RecordedCallStream(const std::string& path) : path_(path) {
  static_assert(std::endian::native == std::endian::little,
                "the trace format is little-endian; a big-endian reader must swap (TRACE_FORMAT.md)");
  Reader in(path);
  header_ = read_header(in);
  std::vector<std::uint64_t> first_time;
  std::vector<tf::Record> records;
  tf::ChunkHeader ch{};
  while (in.read(&ch, sizeof ch, "a chunk header", true)) {
    if (ch.tag != tf::kChunkTag)
      in.fail("corrupt chunk header at byte {} (bad tag)", in.offset() - sizeof ch);
    if (ch.count == 0 || ch.count > kMaxChunkRecords || ch.thread >= kMaxThreadNumber)
      in.fail("corrupt chunk header at byte {} ({} records, thread {})", in.offset() - sizeof ch,
              ch.count, ch.thread);
    const std::uint64_t at = in.offset();
    records.resize(ch.count);
    in.read(records.data(), ch.count * sizeof(tf::Record), "a chunk's records", false);
    if (ch.thread >= cursors_.size()) {
      cursors_.resize(ch.thread + 1);
      first_time.resize(ch.thread + 1);
    }
    Cursor& c = cursors_[ch.thread];
    if (c.chunks.empty()) first_time[ch.thread] = records.front().time;
    c.chunks.push_back(ChunkRef{at, ch.count});
    for (const tf::Record& r : records) {  // checked here, once: next() trusts them
      const RecordedCall call = decode(in, r, ch.thread);
      const bool frees = call.call == tf::Call::kFree || (call.call == tf::Call::kRealloc && call.ptr == 0);
      if (!frees && call.ptr != 0) {
        max_size_ = std::max(max_size_, call.size);
        ++allocating_;
      }
      max_align_log2_ = std::max<unsigned>(max_align_log2_, call.align_log2);
      resizes_ = resizes_ || (call.call == tf::Call::kRealloc && call.ptr != 0 && call.old_ptr != 0);
    }
    calls_ += ch.count;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) in.fail("cannot open it: {}", std::strerror(errno));
  for (std::uint32_t t = 0; t < cursors_.size(); ++t) {
    if (cursors_[t].chunks.empty()) continue;
    order_.push_back(t);
    fill(t);
    heads_.emplace(cursors_[t].buf.front().time, t);
  }
  // Each thread's first call leaves the merge in (time, thread) order: until it leaves, it
  // heads its thread's queue, and it is earlier than every later thread's first call.
  std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::pair{first_time[a], a} < std::pair{first_time[b], b};
  });
}

RecordedCallStream::~RecordedCallStream() {
  if (fd_ >= 0) ::close(fd_);
}

bool RecordedCallStream::fill(std::uint32_t thread) {
  Cursor& c = cursors_[thread];
  if (c.chunk < c.chunks.size() && c.taken == c.chunks[c.chunk].count) {
    ++c.chunk;
    c.taken = 0;
  }
  c.buf.clear();
  c.pos = 0;
  if (c.chunk == c.chunks.size()) return false;
  const ChunkRef& ref = c.chunks[c.chunk];
  const std::uint32_t n = std::min(kBufferRecords, ref.count - c.taken);
  c.buf.resize(n);
  const std::uint64_t at = ref.offset + std::uint64_t{c.taken} * sizeof(tf::Record);
  const std::size_t bytes = n * sizeof(tf::Record);
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t k = ::pread(fd_, reinterpret_cast<char*>(c.buf.data()) + got, bytes - got,
                              static_cast<off_t>(at + got));
    if (k < 0 && errno == EINTR) continue;
    if (k < 0)
      throw TraceFileError(fmt::format("trace '{}': read error: {}", path_, std::strerror(errno)));
    if (k == 0)
      throw TraceFileError(fmt::format(
          "trace '{}': truncated: the file ends inside a chunk's records (byte {}; it was cut while replayed)",
          path_, at + got));
    got += static_cast<std::size_t>(k);
  }
  c.taken += n;
  return true;
}

bool RecordedCallStream::next(RecordedCall& out) {
  if (heads_.empty()) return false;
  const std::uint32_t t = heads_.top().second;
  heads_.pop();
  Cursor& c = cursors_[t];
  const tf::Record& r = c.buf[c.pos++];
  out = RecordedCall{r.time, r.ptr, r.old_ptr, tf::size_of(r), t, static_cast<tf::Call>(tf::call_of(r)),
                     static_cast<std::uint8_t>(tf::align_log2_of(r))};
  if (c.pos < c.buf.size() || fill(t)) heads_.emplace(c.buf[c.pos].time, t);
  return true;
}

RecordedTrace read_recorded_trace(const std::string& path) {
  RecordedCallStream in(path);
  RecordedTrace out;
  out.header = in.header();
  out.threads = in.threads();
  out.calls.reserve(in.calls());
  RecordedCall c;
  while (in.next(c)) out.calls.push_back(c);
  return out;
}

std::uint64_t whole_chunks_length(const std::string& path) {
  Reader in(path);
  read_header(in);
  const std::uint64_t size = in.size();
  std::uint64_t end = sizeof(tf::FileHeader);
  tf::ChunkHeader ch{};
  while (end + sizeof ch <= size && in.read(&ch, sizeof ch, "a chunk header", true) &&
         ch.tag == tf::kChunkTag) {
    in.skip(std::uint64_t{ch.count} * sizeof(tf::Record));
    if (in.offset() > size) break;
    end = in.offset();
  }
  return end;
}

RecordedSummary summarize(const RecordedTrace& t) {
  RecordedSummary s;
  s.calls = t.calls.size();
  s.threads = t.threads;
  for (const RecordedCall& c : t.calls) {
    switch (c.call) {
      case tf::Call::kFree:
        s.frees += c.ptr != 0 ? 1 : 0;
        continue;
      case tf::Call::kRealloc:
        if (c.ptr == 0) {
          s.frees += c.old_ptr != 0 ? 1 : 0;  // realloc(p, 0)
          continue;
        }
        ++(c.old_ptr == 0 ? s.allocations : s.reallocs);
        break;
      default:
        if (c.ptr == 0) continue;  // failed
        ++s.allocations;
        break;
    }
    s.bytes += c.size;
  }
  return s;
}

std::map<std::uint64_t, std::uint64_t> requested_sizes(const RecordedTrace& t) {
  std::map<std::uint64_t, std::uint64_t> counts;
  for (const RecordedCall& c : t.calls) {
    const bool frees = c.call == tf::Call::kFree || (c.call == tf::Call::kRealloc && c.ptr == 0);
    if (!frees && c.ptr != 0) ++counts[c.size];
  }
  return counts;
}

}  // namespace alloclab
