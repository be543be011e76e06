// The one output writer: what it replaces, what it writes into, what it refuses.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "model/atomic_file.hpp"

namespace alloclab::model {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/alloclab-atomic-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::size_t entries() const { return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {})); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, RegularFileIsReplacedWholeAndKeepsItsMode) {
  const std::string p = path("r.json");
  ASSERT_EQ(write_file_atomically(p, "old"), "");
  ::chmod(p.c_str(), 0600);
  ASSERT_EQ(write_file_atomically(p, "new contents"), "");
  EXPECT_EQ(read(p), "new contents");
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(entries(), 1u);  // no temporary file left
}

TEST_F(AtomicFileTest, NewFileIsCreatedReadableByAll) {
  const std::string p = path("new.md");
  ASSERT_EQ(write_file_atomically(p, "x"), "");
  EXPECT_EQ(fs::status(p).permissions() & fs::perms::others_read, fs::perms::others_read);
}

TEST_F(AtomicFileTest, SymlinkTargetIsReplacedAndTheLinkKept) {
  fs::create_directory(dir_ / "real");
  const std::string target = path("real/target.json");
  ASSERT_EQ(write_file_atomically(target, "stale"), "");
  fs::create_symlink("real/target.json", dir_ / "link.json");  // relative, from the link's directory
  ASSERT_EQ(write_file_atomically(path("link.json"), "fresh"), "");
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.json"));
  EXPECT_EQ(read(target), "fresh");
  EXPECT_EQ(entries(), 2u);  // real/ and link.json: the temporary went into real/ and is gone
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "real"), {}), 1);
}

TEST_F(AtomicFileTest, DanglingSymlinkCreatesItsTarget) {
  fs::create_symlink(dir_ / "later.json", dir_ / "link.json");
  ASSERT_EQ(write_file_atomically(path("link.json"), "made"), "");
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.json"));
  EXPECT_EQ(read(path("later.json")), "made");
}

TEST_F(AtomicFileTest, FifoIsWrittenInto) {
  const std::string p = path("fifo");
  ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = read(p); });
  const std::string err = write_file_atomically(p, "through the pipe");
  reader.join();
  EXPECT_EQ(err, "");
  EXPECT_EQ(got, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(p));
}

TEST_F(AtomicFileTest, DevNullStaysACharacterDevice) {
  ASSERT_EQ(write_file_atomically("/dev/null", "discarded"), "");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_EQ(check_writable("/dev/null"), "");
}

TEST_F(AtomicFileTest, DevFullIsAnError) {
  const std::string err = write_file_atomically("/dev/full", "x");
  EXPECT_EQ(err, "cannot write '/dev/full': No space left on device");
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

TEST_F(AtomicFileTest, DirectoryIsRefused) {
  fs::create_directory(dir_ / "d");
  EXPECT_EQ(write_file_atomically(path("d"), "x"), "cannot write '" + path("d") + "': is a directory");
  EXPECT_NE(check_writable(path("d")), "");
  EXPECT_TRUE(fs::is_directory(dir_ / "d"));
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFileTest, SocketIsRefused) {
  const std::string p = path("sock");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", p.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string err = write_file_atomically(p, "x");
  ::close(fd);
  EXPECT_EQ(err, "cannot write '" + p + "': not a regular file, character device or FIFO");
  EXPECT_TRUE(fs::is_socket(p));
  EXPECT_NE(check_writable(p), "");
}

TEST_F(AtomicFileTest, MissingDirectoryIsAnError) {
  EXPECT_NE(write_file_atomically(path("no-such-dir/x.json"), "x"), "");
  EXPECT_NE(check_writable(path("no-such-dir/x.json")), "");
  EXPECT_EQ(check_writable(path("fine.json")), "");
  EXPECT_EQ(check_writable("relative-name.json"), "");
  EXPECT_NE(check_writable("/"), "");
}

}  // namespace
}  // namespace alloclab::model
