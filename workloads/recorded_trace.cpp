// Reading a recorded trace: every size and count is checked before it is trusted, so a
// truncated or foreign file is a one-line TraceFileError, never a crash or a huge allocation.
#include "recorded_trace.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <queue>

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

// Merges the threads' call lists by time, keeping each thread's own order even if its clock
// ever stepped back (a thread's program order is the one thing the replay must not change).
std::vector<RecordedCall> merge_by_time(std::vector<std::vector<RecordedCall>>& per_thread) {
  using Head = std::pair<std::uint64_t, std::uint32_t>;  // (time, thread): ties by thread
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
  std::vector<std::size_t> next(per_thread.size(), 0);
  std::size_t total = 0;
  for (std::uint32_t t = 0; t < per_thread.size(); ++t) {
    total += per_thread[t].size();
    if (!per_thread[t].empty()) heads.emplace(per_thread[t][0].time, t);
  }
  std::vector<RecordedCall> out;
  out.reserve(total);
  while (!heads.empty()) {
    const std::uint32_t t = heads.top().second;
    heads.pop();
    out.push_back(per_thread[t][next[t]++]);
    if (next[t] < per_thread[t].size()) heads.emplace(per_thread[t][next[t]].time, t);
  }
  return out;
}

}  // namespace

RecordedTrace read_recorded_trace(const std::string& path) {
  static_assert(std::endian::native == std::endian::little,
                "the trace format is little-endian; a big-endian reader must swap (TRACE_FORMAT.md)");
  Reader in(path);
  RecordedTrace out;
  out.header = read_header(in);

  std::vector<std::vector<RecordedCall>> per_thread;
  std::vector<tf::Record> records;
  tf::ChunkHeader ch{};
  while (in.read(&ch, sizeof ch, "a chunk header", true)) {
    if (ch.tag != tf::kChunkTag)
      in.fail("corrupt chunk header at byte {} (bad tag)", in.offset() - sizeof ch);
    if (ch.count == 0 || ch.count > kMaxChunkRecords || ch.thread >= kMaxThreadNumber)
      in.fail("corrupt chunk header at byte {} ({} records, thread {})", in.offset() - sizeof ch,
              ch.count, ch.thread);
    records.resize(ch.count);
    in.read(records.data(), ch.count * sizeof(tf::Record), "a chunk's records", false);
    if (ch.thread >= per_thread.size()) per_thread.resize(ch.thread + 1);
    auto& calls = per_thread[ch.thread];
    for (const tf::Record& r : records) calls.push_back(decode(in, r, ch.thread));
  }
  for (const auto& calls : per_thread) out.threads += calls.empty() ? 0u : 1u;
  out.calls = merge_by_time(per_thread);
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
