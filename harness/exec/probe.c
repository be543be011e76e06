// liballoclab_exec_probe.so: `alloclab exec` preloads it after the allocator, so the program
// itself says who serves its malloc. In every process that loads it:
//   constructor  asks dladdr(dlsym(RTLD_DEFAULT, "malloc")) and appends one line
//                "P\t<pid>\t<ppid>\t<owner path>\t<other allocators loaded, or ->"
//   execve, execv, execvp, execvpe, posix_spawn, posix_spawnp
//                append "E\t<pid>\t<1|0>\t<path>": whether the started program's environment
//                still preloads the allocator (ALLOCLAB_EXEC_EXPECT; without it, this probe).
// The report file is ALLOCLAB_EXEC_PROBE, opened O_APPEND per line so processes never
// interleave within a line. Both variables are read once, in the constructor, so a program
// that empties its own environment still reports. No allocation here: static buffers only.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char** environ;

static char g_report[4096];  // the report file; empty: report nothing
static char g_expect[4096];  // the preloaded allocator's path (or this probe's)

// Allocator libraries by file-name prefix: one of these loaded beside the owner means the
// program is bound to an allocator of its own.
static const char* const kAllocatorPrefixes[] = {"libjemalloc", "libmimalloc", "libtcmalloc",
                                                 "libtbbmalloc", "liballoclab_mempool", NULL};

static const char* base_name(const char* path) {
  const char* slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

static int family(const char* path) {
  const char* base = base_name(path);
  for (int i = 0; kAllocatorPrefixes[i] != NULL; ++i)
    if (strncmp(base, kAllocatorPrefixes[i], strlen(kAllocatorPrefixes[i])) == 0) return i;
  return -1;
}

static void report(const char* line, int n) {
  if (g_report[0] == '\0' || n <= 0) return;
  const int fd = open(g_report, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  if (n > 4095) n = 4095;
  (void)!write(fd, line, (size_t)n);
  close(fd);
}

struct Others {
  char list[1024];
  size_t used;
  int expected_family;
};

static int note_allocator(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  struct Others* o = data;
  const char* name = info->dlpi_name;
  if (name == NULL || name[0] == '\0') return 0;
  const int f = family(name);
  if (f < 0 || f == o->expected_family) return 0;  // tbbmalloc_proxy loads libtbbmalloc: one family
  const int n = snprintf(o->list + o->used, sizeof o->list - o->used, "%s%s", o->used > 0 ? "," : "", name);
  if (n > 0 && o->used + (size_t)n < sizeof o->list) o->used += (size_t)n;
  return 0;
}

// The first object after the program, in the global lookup order (load order), that defines
// malloc itself; NULL when none does.
struct Definer {
  const char* name;
  int seen;
};

static int find_definer(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  struct Definer* d = data;
  if (d->seen++ == 0 || info->dlpi_name == NULL || info->dlpi_name[0] == '\0') return 0;  // the program, vdso
  void* handle = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == NULL) return 0;
  void* sym = dlsym(handle, "malloc");
  Dl_info where;
  const int mine = sym != NULL && dladdr(sym, &where) != 0 && where.dli_fbase == (void*)info->dlpi_addr;
  dlclose(handle);
  if (!mine) return 0;
  d->name = info->dlpi_name;
  return 1;
}

// Who serves malloc. A non-PIE program that takes malloc's address (python3.11 in Debian) has a
// canonical PLT entry, an undefined symbol with a value, which dlsym returns: then the answer is
// the library that entry binds to.
static const char* malloc_owner(void) {
  void* sym = dlsym(RTLD_DEFAULT, "malloc");
  Dl_info info;
  const ElfW(Sym)* entry = NULL;
  if (sym == NULL || dladdr1(sym, &info, (void**)&entry, RTLD_DL_SYMENT) == 0 || info.dli_fname == NULL) return "?";
  if (entry == NULL || entry->st_shndx != SHN_UNDEF) return info.dli_fname;
  struct Definer d = {NULL, 0};
  dl_iterate_phdr(find_definer, &d);
  return d.name != NULL ? d.name : info.dli_fname;
}

static void copy_env(char* out, size_t cap, const char* name) {
  const char* v = getenv(name);
  snprintf(out, cap, "%s", v != NULL ? v : "");
}

__attribute__((constructor)) static void probe(void) {
  copy_env(g_report, sizeof g_report, "ALLOCLAB_EXEC_PROBE");
  copy_env(g_expect, sizeof g_expect, "ALLOCLAB_EXEC_EXPECT");
  Dl_info self;
  if (g_expect[0] == '\0' && dladdr((void*)&probe, &self) != 0 && self.dli_fname != NULL)
    snprintf(g_expect, sizeof g_expect, "%s", self.dli_fname);
  if (g_report[0] == '\0') return;
  const char* owner = malloc_owner();
  struct Others others = {{0}, 0, family(g_expect)};
  dl_iterate_phdr(note_allocator, &others);
  char line[4096];
  const int n = snprintf(line, sizeof line, "P\t%d\t%d\t%s\t%s\n", (int)getpid(), (int)getppid(), owner,
                         others.used > 0 ? others.list : "-");
  report(line, n);
}

// Whether `envp` still preloads the expected library.
static int inherits(char* const envp[]) {
  for (char* const* e = envp; e != NULL && *e != NULL; ++e)
    if (strncmp(*e, "LD_PRELOAD=", 11) == 0) return strstr(*e + 11, g_expect) != NULL;
  return 0;
}

static void note_start(const char* path, char* const envp[]) {
  char line[4096];
  const int n = snprintf(line, sizeof line, "E\t%d\t%d\t%s\n", (int)getpid(), inherits(envp), path);
  report(line, n);
}

// The next definition of `name` (libc's), looked up at the first call.
#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))

typedef int (*execve_fn)(const char*, char* const[], char* const[]);
typedef int (*execv_fn)(const char*, char* const[]);
typedef int (*spawn_fn)(pid_t*, const char*, const posix_spawn_file_actions_t*, const posix_spawnattr_t*,
                        char* const[], char* const[]);

__attribute__((visibility("default"))) int execve(const char* path, char* const argv[], char* const envp[]) {
  note_start(path, envp);
  return NEXT(execve_fn, "execve")(path, argv, envp);
}

__attribute__((visibility("default"))) int execvpe(const char* file, char* const argv[], char* const envp[]) {
  note_start(file, envp);
  return NEXT(execve_fn, "execvpe")(file, argv, envp);
}

__attribute__((visibility("default"))) int execv(const char* path, char* const argv[]) {
  note_start(path, environ);
  return NEXT(execv_fn, "execv")(path, argv);
}

__attribute__((visibility("default"))) int execvp(const char* file, char* const argv[]) {
  note_start(file, environ);
  return NEXT(execv_fn, "execvp")(file, argv);
}

__attribute__((visibility("default"))) int posix_spawn(pid_t* pid, const char* path,
                                                       const posix_spawn_file_actions_t* actions,
                                                       const posix_spawnattr_t* attr, char* const argv[],
                                                       char* const envp[]) {
  note_start(path, envp);
  return NEXT(spawn_fn, "posix_spawn")(pid, path, actions, attr, argv, envp);
}

__attribute__((visibility("default"))) int posix_spawnp(pid_t* pid, const char* file,
                                                        const posix_spawn_file_actions_t* actions,
                                                        const posix_spawnattr_t* attr, char* const argv[],
                                                        char* const envp[]) {
  note_start(file, envp);
  return NEXT(spawn_fn, "posix_spawnp")(pid, file, actions, attr, argv, envp);
}
