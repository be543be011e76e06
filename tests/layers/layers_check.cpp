// Fails on an #include that crosses the layer table of README.md ("## Layout"): each row names a
// folder and the folders its files may include. A file belongs to the row with the longest
// matching folder (`allocators/*/` matches any allocator folder but core/); it may always include
// files of its own folder. Includes are resolved against the file's folder first, then the
// repository root, so `#include "../harness/x.hpp"` is caught as well as `"harness/x.hpp"`.
//
//   layers_check ROOT [TABLE_FILE]    exit 0: clean, 1: forbidden arrows (listed), 2: bad input
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Layer {
  std::string folder;                // "harness/", "allocators/*/"
  std::vector<std::string> allowed;  // folders, "allocators/" meaning all of them
};

// "allocators/*/" matches "allocators/arena/x.hpp" but not "allocators/core/x.hpp".
bool folder_matches(const std::string& folder, const std::string& path, std::string& own) {
  const auto star = folder.find('*');
  if (star == std::string::npos) {
    if (path.rfind(folder, 0) != 0) return false;
    own = folder;
    return true;
  }
  const std::string head = folder.substr(0, star);
  if (path.rfind(head, 0) != 0) return false;
  const auto slash = path.find('/', head.size());
  if (slash == std::string::npos) return false;
  own = path.substr(0, slash + 1);
  return own != head + "core/";
}

std::vector<Layer> read_table(const fs::path& readme) {
  std::ifstream in(readme);
  if (!in) throw std::runtime_error("cannot read " + readme.string());
  std::vector<Layer> layers;
  std::string line;
  bool in_layout = false;
  const std::regex code("`([^`]+)`");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_layout = line == "## Layout";
    if (!in_layout || line.rfind("| `", 0) != 0) continue;
    // | `folder/` | what it holds | `a/` `b/` ... |
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '|')) cells.push_back(cell);
    if (cells.size() < 4) continue;
    Layer l;
    std::smatch m;
    if (!std::regex_search(cells[1], m, code)) continue;
    l.folder = m[1];
    for (auto it = std::sregex_iterator(cells[3].begin(), cells[3].end(), code);
         it != std::sregex_iterator(); ++it)
      l.allowed.push_back((*it)[1]);
    layers.push_back(std::move(l));
  }
  if (layers.empty()) throw std::runtime_error("no layer table under '## Layout' in " + readme.string());
  return layers;
}

const Layer* layer_of(const std::vector<Layer>& layers, const std::string& path, std::string& own) {
  const Layer* best = nullptr;
  std::size_t best_len = 0;
  for (const Layer& l : layers) {
    std::string o;
    if (folder_matches(l.folder, path, o) && o.size() >= best_len) {
      best = &l;
      best_len = o.size();
      own = o;
    }
  }
  return best;
}

bool allowed(const Layer& l, const std::string& own, const std::string& target) {
  if (target.rfind(own, 0) == 0) return true;
  return std::any_of(l.allowed.begin(), l.allowed.end(), [&](const std::string& a) {
    std::string o;
    return folder_matches(a, target, o);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: layers_check ROOT [TABLE_FILE]\n";
    return 2;
  }
  const fs::path root = fs::weakly_canonical(argv[1]);
  try {
    const auto layers = read_table(argc == 3 ? fs::path(argv[2]) : root / "README.md");
    const std::regex include_re(R"(^\s*#\s*include\s*"([^"]+)\")");
    int bad = 0, files = 0;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
      const std::string name = it->path().filename().string();
      if (it->is_directory() && (name.rfind("build", 0) == 0 || name == ".git" || name == "results")) {
        it.disable_recursion_pending();
        continue;
      }
      const std::string ext = it->path().extension().string();
      if (!it->is_regular_file() || (ext != ".hpp" && ext != ".cpp" && ext != ".h" && ext != ".c"))
        continue;
      const std::string rel = fs::relative(it->path(), root).generic_string();
      std::string own;
      const Layer* layer = layer_of(layers, rel, own);
      if (layer == nullptr) continue;  // a folder outside the table (e.g. tests/ data)
      ++files;
      std::ifstream in(it->path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, include_re)) continue;
        const std::string inc = m[1];
        fs::path local = (it->path().parent_path() / inc).lexically_normal();
        std::string target;
        if (fs::exists(local))
          target = fs::relative(local, root).generic_string();
        else if (fs::exists(root / inc))
          target = fs::path(inc).lexically_normal().generic_string();
        else
          continue;  // generated or system header
        if (!allowed(*layer, own, target)) {
          std::cout << rel << ":" << n << ": includes \"" << inc << "\": " << layer->folder
                    << " may not include " << target << "\n";
          ++bad;
        }
      }
    }
    if (files == 0) {
      std::cerr << "layers_check: no source file under " << root << " belongs to a layer\n";
      return 2;
    }
    if (bad > 0) {
      std::cout << bad << " forbidden include(s) in " << files << " files\n";
      return 1;
    }
    std::cout << files << " files, no forbidden include\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "layers_check: " << e.what() << "\n";
    return 2;
  }
}
