#include "harness/exec/program_linkage.hpp"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace alloclab::exec {
namespace {

bool read_at(int fd, void* out, std::size_t n, std::uint64_t offset) {
  return ::pread(fd, out, n, static_cast<off_t>(offset)) == static_cast<ssize_t>(n);
}

// The program headers of one ELF class: static when none is PT_INTERP.
template <class Ehdr, class Phdr>
bool lacks_interpreter(int fd) {
  Ehdr eh;
  if (!read_at(fd, &eh, sizeof eh, 0) || eh.e_phentsize != sizeof(Phdr)) return false;
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) return false;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Phdr ph;
    if (!read_at(fd, &ph, sizeof ph, eh.e_phoff + std::uint64_t{i} * sizeof ph)) return false;
    if (ph.p_type == PT_INTERP) return false;
  }
  return true;
}

// The names of the undefined dynamic symbols (what the program imports) of one ELF class.
// A section past the end of the file (a damaged ELF) is read as nothing.
template <class Ehdr, class Shdr, class Sym>
std::vector<std::string> undefined_symbols(int fd) {
  std::vector<std::string> out;
  Ehdr eh;
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !read_at(fd, &eh, sizeof eh, 0) || eh.e_shentsize != sizeof(Shdr)) return out;
  const auto fits = [&](std::uint64_t offset, std::uint64_t size) {
    return offset <= static_cast<std::uint64_t>(st.st_size) && size <= static_cast<std::uint64_t>(st.st_size) - offset;
  };
  if (!fits(eh.e_shoff, std::uint64_t{eh.e_shnum} * sizeof(Shdr))) return out;
  std::vector<Shdr> sections(eh.e_shnum);
  if (sections.empty() || !read_at(fd, sections.data(), sections.size() * sizeof(Shdr), eh.e_shoff)) return out;
  for (const Shdr& sh : sections) {
    if (sh.sh_type != SHT_DYNSYM || sh.sh_link >= sections.size() || sh.sh_entsize != sizeof(Sym)) continue;
    const Shdr& strtab = sections[sh.sh_link];
    if (!fits(strtab.sh_offset, strtab.sh_size) || !fits(sh.sh_offset, sh.sh_size)) continue;
    std::string names(strtab.sh_size, '\0');
    std::vector<Sym> syms(sh.sh_size / sizeof(Sym));
    if (!read_at(fd, names.data(), names.size(), strtab.sh_offset) ||
        !read_at(fd, syms.data(), syms.size() * sizeof(Sym), sh.sh_offset))
      return out;
    for (const Sym& sym : syms)
      if (sym.st_shndx == SHN_UNDEF && sym.st_name != 0 && sym.st_name < names.size())
        out.emplace_back(names.c_str() + sym.st_name);
  }
  return out;
}

bool executable_file(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env = std::getenv("PATH");
  const std::string path = env != nullptr ? env : "/bin:/usr/bin";
  for (std::size_t start = 0;;) {
    const std::size_t end = path.find(':', start);
    const std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate)) return candidate;
    if (end == std::string::npos) return {};
    start = end + 1;
  }
}

bool is_static_elf(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char ident[EI_NIDENT];
  bool is_static = false;
  if (read_at(fd, ident, sizeof ident, 0) && std::memcmp(ident, ELFMAG, SELFMAG) == 0) {
    if (ident[EI_CLASS] == ELFCLASS64) is_static = lacks_interpreter<Elf64_Ehdr, Elf64_Phdr>(fd);
    if (ident[EI_CLASS] == ELFCLASS32) is_static = lacks_interpreter<Elf32_Ehdr, Elf32_Phdr>(fd);
  }
  ::close(fd);
  return is_static;
}

std::vector<std::string> imported_symbols(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  unsigned char ident[EI_NIDENT];
  std::vector<std::string> out;
  if (read_at(fd, ident, sizeof ident, 0) && std::memcmp(ident, ELFMAG, SELFMAG) == 0) {
    if (ident[EI_CLASS] == ELFCLASS64) out = undefined_symbols<Elf64_Ehdr, Elf64_Shdr, Elf64_Sym>(fd);
    if (ident[EI_CLASS] == ELFCLASS32) out = undefined_symbols<Elf32_Ehdr, Elf32_Shdr, Elf32_Sym>(fd);
  }
  ::close(fd);
  return out;
}

}  // namespace alloclab::exec
