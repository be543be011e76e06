#include "harness/exec/exec_plan.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <wordexp.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>

#include "harness/deployments.hpp"
#include "harness/exec/program_linkage.hpp"
#include "harness/exec/proof.hpp"
#include "harness/exec/server.hpp"
#include "harness/preload.hpp"
#include "model/exit_codes.hpp"

namespace alloclab::exec {
namespace {

namespace fs = std::filesystem;
using model::UsageError;

constexpr std::string_view kGlibc = kDeployedPlugin;

std::vector<std::string> known_names() {
  std::vector<std::string> known{std::string(kGlibc)};
  for (const Deployment& d : deployments()) known.emplace_back(d.name);
  return known;
}

Contender contender_of(const AllocatorSpec& spec) {
  Contender c{spec.name, {}, {}, spec.settings_text(), {}};
  if (const Deployment* d = find_deployment(spec.base)) {
    c.library = deployment_library(*d);
    c.unavailable = deployment_unavailable(*d);
    for (std::string_view e : d->environment) c.environment.emplace_back(e);
  } else if (spec.base != kGlibc) {
    if (find_measurable(spec.base))
      throw UsageError(fmt::format("-a: '{}' is an in-process plugin and cannot serve a whole program (exec "
                                   "takes: {}, or --preload-lib)", spec.base, fmt::join(known_names(), ", ")));
    throw UsageError(fmt::format("-a: unknown allocator '{}' for exec (one of: {}, or --preload-lib)", spec.base,
                                 fmt::join(known_names(), ", ")));
  }
  c.environment.insert(c.environment.end(), spec.settings.begin(), spec.settings.end());
  return c;
}

std::string find_probe() {
  std::string lib = find_library(kProbeLibrary, LibraryHome::kAlloclab);
  if (lib.empty())
    throw UsageError(fmt::format("{} not found beside the executable in ../lib (it is not built in sanitizer "
                                 "builds)", kProbeLibrary));
  return lib;
}

// The path of a program to run, or a UsageError; `refusal` says why no preload reaches it.
std::string resolve(const std::string& name, std::string& refusal) {
  const std::string program = find_program(name);
  struct stat st{};
  if (program.empty() || ::stat(program.c_str(), &st) != 0)
    throw UsageError(fmt::format("exec: '{}' not found{}", name, name.find('/') == std::string::npos ? " in PATH" : ""));
  if (!S_ISREG(st.st_mode) || ::access(program.c_str(), X_OK) != 0)
    throw UsageError(fmt::format("exec: '{}' is not an executable file", program));
  if (is_static_elf(program))
    refusal = "statically linked: no dynamic loader runs in it, so no LD_PRELOAD (and no probe) reaches it";
  else if ((st.st_mode & (S_ISUID | S_ISGID)) != 0)
    refusal = "setuid/setgid: the loader runs it in secure mode and ignores LD_PRELOAD";
  return program;
}

// FNV-1a over each input's bytes, in the order named: the rows say which inputs they ran on.
std::string hash_inputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return {};
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::string& file : inputs) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError(fmt::format("--input: cannot read '{}': {}", file, std::strerror(errno)));
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
      for (std::streamsize i = 0; i < in.gcount(); ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;  // a file boundary: "ab"+"c" is not "a"+"bc"
  }
  return fmt::format("fnv1a64:{:016x}", h);
}

// Calls that allocate through one allocator's own API, not malloc's names: a program importing
// one is bound to that allocator whatever is preloaded.
std::string allocating_import(const std::string& program) {
  constexpr std::string_view kCalls[] = {"mallocx", "rallocx", "xallocx", "sdallocx", "dallocx"};
  constexpr std::string_view kPrefixes[] = {"je_", "mi_", "tc_", "scalable_"};
  for (const std::string& s : imported_symbols(program)) {
    for (std::string_view c : kCalls)
      if (s == c) return s;
    for (std::string_view pre : kPrefixes)
      if (s.starts_with(pre)) return s;
  }
  return {};
}

std::string quoted_words(const std::vector<std::string>& argv) {
  std::vector<std::string> words;
  for (const std::string& a : argv) words.push_back(shell_quoted(a));
  return fmt::format("{}", fmt::join(words, " "));
}

}  // namespace

Metric parse_metric(const std::string& spec) {
  const std::size_t eq = spec.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size())
    throw UsageError(fmt::format("--metric: '{}' is not NAME=REGEX[:higher|lower]", spec));
  Metric m;
  m.name = spec.substr(0, eq);
  m.pattern = spec.substr(eq + 1);
  for (const auto& [suffix, higher] : {std::pair{":higher", true}, std::pair{":lower", false}})
    if (m.pattern.size() > std::strlen(suffix) && m.pattern.ends_with(suffix)) {
      m.pattern.resize(m.pattern.size() - std::strlen(suffix));
      m.higher = higher;
      break;
    }
  try {
    m.re = std::regex(m.pattern);
  } catch (const std::regex_error& e) {
    throw UsageError(fmt::format("--metric {}: bad regular expression '{}': {}", m.name, m.pattern, e.what()));
  }
  if (m.re.mark_count() < 1)
    throw UsageError(fmt::format("--metric {}: '{}' has no capture group: put the figure in ( )", m.name, m.pattern));
  return m;
}

std::vector<Contender> exec_contenders(const std::string& list, const std::vector<std::string>& variants,
                                       const std::string& preload_lib, const std::string& preload_name) {
  std::vector<AllocatorSpec> defined;
  for (const std::string& v : variants) defined.push_back(parse_variant_definition(v));
  std::vector<Contender> out;
  if (list == "all") {
    for (const std::string& n : known_names()) out.push_back(contender_of(parse_allocator(n)));
  } else if (!list.empty()) {
    for (const std::string& item : split_allocator_list(list, "-a")) out.push_back(contender_of(parse_allocator(item, defined)));
  }
  if (!preload_lib.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(preload_lib, ec))
      throw UsageError(fmt::format("--preload-lib: '{}' is not a file", preload_lib));
    const std::string name = preload_name.empty() ? fs::path(preload_lib).filename().string() : preload_name;
    out.push_back({name, fs::canonical(preload_lib, ec).string(), {}, {}, {}});
  } else if (!preload_name.empty()) {
    throw UsageError("--name names the --preload-lib library; give --preload-lib PATH too");
  }
  if (out.empty()) throw UsageError("-a: no allocator given");
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i].name == out[j].name) throw UsageError(fmt::format("-a: '{}' is given twice", out[i].name));
  return out;
}

std::string exec_baseline(const std::vector<Contender>& contenders, const std::string& wanted) {
  for (const Contender& c : contenders)
    if (c.name == wanted || (wanted.empty() && c.name == kGlibc)) return c.name;
  if (!wanted.empty()) throw UsageError(fmt::format("--baseline: '{}' is not among the allocators run", wanted));
  return contenders.empty() ? std::string() : contenders.front().name;
}

ExecPlan plan_program(Program p) {
  ExecPlan plan;
  if (p.argv.empty()) throw UsageError("exec: no command given (alloclab exec [options] -- CMD ARGS...)");
  std::string client_refusal;  // a client is not preloaded: only whether it exists matters
  std::string& refusal = p.server ? client_refusal : plan.refusal;
  p.argv[0] = resolve(p.argv[0], refusal);
  if (p.server) {
    if (p.server->argv.empty()) throw UsageError("--server: no command given");
    p.server->argv[0] = resolve(p.server->argv[0], plan.refusal);
    if (const Readiness r = parse_ready(p.server->ready); port_in_use(r))
      throw UsageError(fmt::format("--ready: port {} on {} is already in use: something else listens there", r.port, r.host));
    if (!(p.server->ready_timeout_s > 0)) throw UsageError("--ready-timeout: must be above 0 seconds");
  }
  for (const std::string& e : p.env) {
    const std::size_t eq = e.find('=');
    if (eq == 0 || eq == std::string::npos) throw UsageError(fmt::format("--env: '{}' is not NAME=VALUE", e));
    if (e.compare(0, eq, "LD_PRELOAD") == 0)
      throw UsageError("--env: LD_PRELOAD is what exec sets; give the library as --preload-lib");
  }
  std::error_code ec;
  if (!p.cwd.empty() && !fs::is_directory(p.cwd, ec)) throw UsageError(fmt::format("--cwd: '{}' is not a directory", p.cwd));
  p.cwd = p.cwd.empty() ? fs::current_path(ec).string() : fs::absolute(p.cwd, ec).string();
  if (!p.stdin_file.empty() && ::access(p.stdin_file.c_str(), R_OK) != 0)
    throw UsageError(fmt::format("--stdin: cannot read '{}': {}", p.stdin_file, std::strerror(errno)));
  if (!p.stdin_file.empty()) p.stdin_file = fs::absolute(p.stdin_file, ec).string();
  plan.input_hash = hash_inputs(p.inputs);
  plan.probe = find_probe();
  plan.command_text = quoted_words(p.argv);
  if (p.server) plan.command_text = fmt::format("server: {}; client: {}", quoted_words(p.server->argv), plan.command_text);
  const std::string& shown = p.server ? p.server->argv[0] : p.argv[0];
  plan.allocator_api = allocating_import(shown);
  plan.label = p.label.empty() ? fs::path(shown).filename().string() : p.label;
  plan.program = std::move(p);
  return plan;
}

std::vector<std::string> split_command(const std::string& text, const std::string& what) {
  wordexp_t w{};
  const int rc = ::wordexp(text.c_str(), &w, WRDE_NOCMD | WRDE_UNDEF);
  std::vector<std::string> out;
  if (rc == 0)
    for (std::size_t i = 0; i < w.we_wordc; ++i) out.emplace_back(w.we_wordv[i]);
  if (rc == 0 || rc == WRDE_NOSPACE) ::wordfree(&w);
  if (rc != 0)
    throw UsageError(fmt::format("{}: cannot split '{}' into words ({})", what, text,
                                 rc == WRDE_CMDSUB ? "no $(...) or `...`" : rc == WRDE_BADCHAR ? "unquoted | & ; < > ( ) { } or newline" : "unbalanced quote or unset variable"));
  if (out.empty()) throw UsageError(fmt::format("{}: no command given", what));
  return out;
}

std::string shell_quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@") == std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace alloclab::exec
