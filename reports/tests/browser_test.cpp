// Renders the fixture's HTML report in headless Chromium and checks, on the screenshot, that the
// charts were really drawn: each drawn allocator's colour covers far more pixels than on the same
// page with its <svg> elements removed (where only the small legend chips remain).
// Exit 0 pass, 1 fail, 77 skip (no Chromium; CTest SKIP_RETURN_CODE).
#include <fmt/format.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "reports/render.hpp"
#include "reports/svg.hpp"
#include "reports/tests/png.hpp"

namespace {

namespace fs = std::filesystem;
using alloclab::reports::testing::Image;

std::string find_chromium() {
  if (const char* env = std::getenv("ALLOCLAB_CHROMIUM"); env != nullptr && fs::exists(env)) return env;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"})
    if (fs::exists(p)) return p;
  return {};
}

// Pixels within a small distance of `hex` (#rrggbb): antialiased edges are left out on purpose.
std::size_t count_colour(const Image& img, std::string_view hex) {
  const auto channel = [&](std::size_t i) { return std::stoi(std::string(hex.substr(1 + 2 * i, 2)), nullptr, 16); };
  const int r = channel(0), g = channel(1), b = channel(2);
  std::size_t n = 0;
  for (std::size_t i = 0; i + 2 < img.rgb.size(); i += 3)
    if (std::abs(img.rgb[i] - r) <= 4 && std::abs(img.rgb[i + 1] - g) <= 4 && std::abs(img.rgb[i + 2] - b) <= 4) ++n;
  return n;
}

std::string strip_svg(std::string html) {
  for (std::size_t pos; (pos = html.find("<svg")) != std::string::npos;) {
    const std::size_t end = html.find("</svg>", pos);
    html.erase(pos, end + 6 - pos);
  }
  return html;
}

Image screenshot(const std::string& chromium, const fs::path& dir, const std::string& html, const std::string& stem) {
  const fs::path page = dir / (stem + ".html"), png = dir / (stem + ".png");
  std::ofstream(page) << html;
  const fs::path profile = dir / (stem + "-profile");
  fs::create_directory(profile);
  const std::string cmd = fmt::format(
      "'{}' --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
      "--disable-component-update --disable-sync --no-first-run --hide-scrollbars --user-data-dir='{}' "
      "--window-size=1280,4000 --screenshot='{}' 'file://{}' >/dev/null 2>&1",
      chromium, profile.string(), png.string(), page.string());
  const int rc = std::system(cmd.c_str());
  if (rc != 0 || !fs::exists(png)) throw std::runtime_error(fmt::format("chromium failed ({}): {}", rc, cmd));
  return alloclab::reports::testing::read_png(png.string());
}

}  // namespace

int main() {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    std::cout << "SKIP: chromium is not installed (apt-get install chromium)\n";
    return 77;
  }
  std::string tmpl = (fs::temp_directory_path() / "alloclab-browser-XXXXXX").string();
  const fs::path dir = ::mkdtemp(tmpl.data());
  int failures = 0;
  try {
    using namespace alloclab::reports;
    const Results results = load_results({std::string(ALLOCLAB_REPORTS_TEST_DATA) + "/results.json"});
    const Report report = summarize(results, "glibc");
    const std::string html = render_html(report);
    const Image full = screenshot(chromium, dir, html, "full");
    const Image bare = screenshot(chromium, dir, strip_svg(html), "bare");
    std::cout << fmt::format("screenshot {}x{}\n", full.width, full.height);
    for (std::size_t i = 0; i < report.allocators.size(); ++i) {
      const std::string& name = report.allocators[i];
      if (name == "arena") continue;  // unsupported in every group: no bar to draw
      const std::string_view colour = series_style(name).colour;
      const std::size_t with = count_colour(full, colour), without = count_colour(bare, colour);
      // A bar is 18 px tall and at least ~60 px long even for the shortest; the legend and table
      // chips (~13 px squares) are all that remain without the charts.
      const bool ok = with >= without + 1000;
      std::cout << fmt::format("{:9} {}  chart pixels {:6}  without charts {:5}  {}\n", name, colour, with, without,
                               ok ? "ok" : "FAIL");
      if (!ok) ++failures;
    }
  } catch (const std::exception& e) {
    std::cout << "FAIL: " << e.what() << '\n';
    ++failures;
  }
  fs::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
