// reports/svg.cpp — see svg.hpp.
#include "reports/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/format.hpp"

namespace alloclab::reports::svg {
namespace {

constexpr double kWidth = 560;
constexpr std::string_view kAxisColour = "#999999";
constexpr std::string_view kGridColour = "#e6e6e6";
constexpr std::string_view kTextColour = "#333333";

// 1, 2 or 5 times a power of ten, at least x.
double nice_step(double x) {
  const double p = std::pow(10.0, std::floor(std::log10(x)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= x) return m * p;
  return 10 * p;
}

std::string tick_label(double v) {
  const double a = std::fabs(v);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

// A byte inside a UTF-8 character, not its first: widths skip it, cuts never land on it.
bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// About how wide `text` is drawn at `font_px` (0.6 em per character, a sans font's average),
// so that margins fit the longest label.
double text_width(std::string_view text, double font_px) {
  double chars = 0;
  for (char c : text) chars += !utf8_continuation(c);
  return 0.6 * font_px * chars;
}

template <class Items>
double widest(const Items& items, double font_px) {
  double w = 0;
  for (const auto& item : items) w = std::max(w, text_width(item.label, font_px));
  return w;
}

std::string open_svg(double height, std::string_view title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\"><rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>"
      "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"{}\">{}</text>",
      kWidth, height, html_escape(title), kWidth, height, kTextColour, html_escape(title));
}

}  // namespace

double Axis::map(double v, double px0, double px1) const {
  double t;
  if (log) {
    t = (std::log10(std::max(v, lo)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  } else {
    t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  }
  return px0 + std::clamp(t, 0.0, 1.0) * (px1 - px0);
}

Axis linear_axis(double lo, double hi, bool include_zero) {
  if (include_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (hi <= lo) hi = lo + (lo == 0 ? 1.0 : std::fabs(lo));
  const double step = nice_step((hi - lo) / 5.0);
  Axis a;
  a.lo = std::floor(lo / step) * step;
  a.hi = std::ceil(hi / step) * step;
  for (double t = a.lo; t <= a.hi + step / 2; t += step) a.ticks.push_back(std::fabs(t) < step / 1e6 ? 0 : t);
  return a;
}

Axis log_axis(double lo, double hi) {
  Axis a;
  a.log = true;
  a.lo = std::pow(10.0, std::floor(std::log10(lo)));
  a.hi = std::pow(10.0, std::ceil(std::log10(hi)));
  if (a.hi <= a.lo) a.hi = a.lo * 10;
  const bool few_decades = a.hi / a.lo <= 1000;
  for (double d = a.lo; d <= a.hi * 1.0001; d *= 10) {
    a.ticks.push_back(d);
    if (few_decades && d * 10 <= a.hi * 1.0001) {
      a.ticks.push_back(2 * d);
      a.ticks.push_back(5 * d);
    }
  }
  std::sort(a.ticks.begin(), a.ticks.end());
  return a;
}

namespace {

// A y axis's grid lines across the plot (x0..x1) and their labels left of it.
std::string y_grid(const Axis& ya, double x0, double x1, double y0, double y1) {
  std::string s;
  for (double t : ya.ticks) {
    const double y = ya.map(t, y0, y1);
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\" fill=\"{}\">{}</text>",
        x0, y, x1, y, kGridColour, x0 - 5, y + 4, kTextColour, tick_label(t));
  }
  return s;
}

// The plot's left and bottom axes and their labels.
std::string axes_frame(double x0, double x1, double y0, double y1, double height, std::string_view x_label,
                       std::string_view y_label) {
  std::string s;
  s += fmt::format("<polyline points=\"{},{} {},{} {},{}\" fill=\"none\" stroke=\"{}\"/>", x0, y1, x0, y0, x1,
                   y0, kAxisColour);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
                   (x0 + x1) / 2, height - 8, kTextColour, html_escape(x_label));
  s += fmt::format(
      "<text transform=\"translate(14 {:.1f}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
      (y0 + y1) / 2, kTextColour, html_escape(y_label));
  return s;
}

}  // namespace

std::string bar_chart(std::string_view title, std::string_view axis_label, const std::vector<Bar>& bars) {
  constexpr double kLeft = 132, kRight = 130, kTop = 32, kRowH = 28, kBottom = 38;
  const double height = kTop + kRowH * static_cast<double>(bars.size()) + kBottom;
  // The label and its marker (24 px) left of the axis, 6 px from the edge.
  const double x0 = std::max(kLeft, widest(bars, 12) + 30), x1 = kWidth - kRight,
               y_axis = height - kBottom;
  double vmax = 0;
  for (const Bar& b : bars) {
    if (!b.has_value) continue;
    vmax = std::max({vmax, b.value, b.hi, b.marker});
    for (double p : b.points) vmax = std::max(vmax, p);
  }
  // Headroom on the right for the value text printed after the longest bar.
  const Axis axis = linear_axis(0, vmax > 0 ? vmax * 1.1 : 1, true);
  std::string s = open_svg(height, title);
  for (double t : axis.ticks) {
    const double x = axis.map(t, x0, x1);
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
        x, kTop - 4, x, y_axis, kGridColour, x, y_axis + 14, kTextColour, tick_label(t));
  }
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>", x0, kTop - 4, x0,
                   y_axis, kAxisColour);
  s += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
                   (x0 + x1) / 2, height - 6, kTextColour, html_escape(axis_label));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double yc = kTop + kRowH * (static_cast<double>(i) + 0.5);
    s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\" fill=\"{}\">{}</text>",
                     x0 - 18, yc + 4, kTextColour, html_escape(b.label));
    s += marker(b.shape, x0 - 10, yc, 4, fmt::format("fill=\"{}\"", b.colour));
    if (!b.has_value) {
      // Long reasons are cut to the chart's width; the full text is the tooltip and in the table.
      std::string shown = b.note;
      if (shown.size() > 64) {
        std::size_t cut = 61;
        while (cut > 0 && utf8_continuation(shown[cut])) --cut;
        shown.resize(cut);
        shown += "...";
      }
      s += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" font-style=\"italic\" fill=\"#777777\">{}<title>{}</title></text>",
                       x0 + 6, yc + 4, html_escape(shown), html_escape(b.note));
      continue;
    }
    const double xv = axis.map(b.value, x0, x1);
    s += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                     x0, yc - 9, std::max(xv - x0, 1.0), 18, b.colour, html_escape(b.label),
                     html_escape(b.value_text));
    if (b.marker >= 0) {
      const double xm = axis.map(b.marker, x0, x1);
      s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#000000\" stroke-width=\"2\"/>",
                       xm, yc - 11, xm, yc + 11);
    }
    if (b.hi > b.lo) {
      const double xl = axis.map(b.lo, x0, x1), xh = axis.map(b.hi, x0, x1);
      s += fmt::format(
          "<g stroke=\"#222222\" stroke-width=\"1.5\"{}><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>"
          "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/></g>",
          b.dashed_error ? " stroke-dasharray=\"3 2\"" : "", xl, yc, xh, yc, xl, yc - 6, xl, yc + 6, xh, yc - 6, xh, yc + 6);
    }
    for (std::size_t k = 0; k < b.points.size(); ++k) {
      // Spread the points vertically a little so equal values stay visible.
      const double dy = (static_cast<double>(k % 3) - 1.0) * 4.0;
      s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"#111111\" fill-opacity=\"0.6\"><title>{}</title></circle>",
                       axis.map(b.points[k], x0, x1), yc + dy, fmt_num(b.points[k]));
    }
    double xr = xv;
    if (b.hi > b.lo) xr = std::max(xr, axis.map(b.hi, x0, x1));
    for (double p : b.points) xr = std::max(xr, axis.map(p, x0, x1));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" fill=\"{}\">{}</text>", xr + 6, yc + 4,
                     kTextColour, html_escape(b.value_text));
  }
  return s + "</svg>";
}

std::string marker(Marker m, double x, double y, double r, std::string_view attrs, std::string_view title) {
  const std::string tip = title.empty() ? std::string() : fmt::format("<title>{}</title>", html_escape(title));
  switch (m) {
    case Marker::kCircle:
      return fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{:.1f}\" {}>{}</circle>", x, y, r, attrs, tip);
    case Marker::kSquare:  // a little smaller, so its area matches the circle's
      return fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" {}>{}</rect>", x - 0.85 * r,
                         y - 0.85 * r, 1.7 * r, 1.7 * r, attrs, tip);
    case Marker::kTriangle:
    case Marker::kTriangleDown: {
      const double d = m == Marker::kTriangle ? 1 : -1;
      return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" {}>{}</polygon>", x, y - d * 1.2 * r,
                         x - 1.1 * r, y + d * 0.8 * r, x + 1.1 * r, y + d * 0.8 * r, attrs, tip);
    }
    case Marker::kDiamond:
      return fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" {}>{}</polygon>", x,
                         y - 1.2 * r, x + 1.2 * r, y, x, y + 1.2 * r, x - 1.2 * r, y, attrs, tip);
  }
  return {};
}

std::string line_chart(const LineChartSpec& spec, const std::vector<Line>& lines) {
  constexpr double kLeft = 60, kRight = 130, kTop = 32, kBottom = 42, kMinHeight = 300,
                   kLegendRow = 18;
  // The legend right of the plot (swatch 38 px, then the label) is as wide as its longest label
  // and the chart as tall as the legend.
  const double height =
      std::max(kMinHeight, kTop + 12 + kLegendRow * static_cast<double>(lines.size()));
  const double x0 = kLeft, x1 = kWidth - std::max(kRight, widest(lines, 11) + 44),
               y0 = height - kBottom, y1 = kTop;
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  for (const Line& l : lines) {
    for (std::size_t i = 0; i < l.points.size(); ++i) {
      const auto [x, y] = l.points[i];
      xmin = std::min(xmin, x);
      xmax = std::max(xmax, x);
      ymin = std::min(ymin, y);
      ymax = std::max(ymax, y);
      if (i < l.errors.size()) {
        ymin = std::min(ymin, l.errors[i].first);
        ymax = std::max(ymax, l.errors[i].second);
      }
    }
  }
  if (xmin > xmax) xmin = xmax = 0;
  if (ymin > ymax) ymin = ymax = 1;
  Axis xa;
  if (!spec.x_categories.empty()) {
    xa.lo = -0.5;
    xa.hi = static_cast<double>(spec.x_categories.size()) - 0.5;
    for (std::size_t i = 0; i < spec.x_categories.size(); ++i) xa.ticks.push_back(static_cast<double>(i));
  } else if (!spec.x_ticks.empty()) {
    xa.ticks = spec.x_ticks;
    std::sort(xa.ticks.begin(), xa.ticks.end());
    xa.lo = xa.ticks.front();
    xa.hi = xa.ticks.back();
  } else {
    xa = linear_axis(xmin, xmax, false);
  }
  const Axis ya = spec.log_y ? log_axis(std::max(ymin, 1e-9), std::max(ymax, 1e-9))
                             : linear_axis(ymin, ymax, spec.y_from_zero);
  std::string s = open_svg(height, spec.title);
  s += y_grid(ya, x0, x1, y0, y1);
  for (std::size_t i = 0; i < xa.ticks.size(); ++i) {
    const double t = xa.ticks[i];
    const double x = xa.map(t, x0, x1);
    const std::string label = spec.x_categories.empty() ? tick_label(t) : html_escape(spec.x_categories[i]);
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
        x, y0, x, y0 + 4, kAxisColour, x, y0 + 16, kTextColour, label);
  }
  s += axes_frame(x0, x1, y0, y1, height, spec.x_label, spec.y_label);
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const Line& l = lines[li];
    const std::string dash = l.dashed ? " stroke-dasharray=\"6 3\"" : "";
    if (l.band && l.errors.size() == l.points.size() && !l.points.empty()) {
      std::string area;  // along the upper ends, back along the lower ones
      for (std::size_t i = 0; i < l.points.size(); ++i)
        area += fmt::format("{:.1f},{:.1f} ", xa.map(l.points[i].first, x0, x1), ya.map(l.errors[i].second, y0, y1));
      for (std::size_t i = l.points.size(); i-- > 0;)
        area += fmt::format("{:.1f},{:.1f} ", xa.map(l.points[i].first, x0, x1), ya.map(l.errors[i].first, y0, y1));
      s += fmt::format("<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>", area, l.colour);
    }
    std::string pts;
    for (const auto& [x, y] : l.points) pts += fmt::format("{:.1f},{:.1f} ", xa.map(x, x0, x1), ya.map(y, y0, y1));
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}><title>{}</title></polyline>",
                     pts, l.colour, dash, html_escape(l.label));
    const bool markers = l.points.size() <= 40;  // a dense time series reads better as a bare line
    for (std::size_t i = 0; i < l.points.size(); ++i) {
      const double x = xa.map(l.points[i].first, x0, x1), y = ya.map(l.points[i].second, y0, y1);
      if (!l.band && i < l.errors.size() && l.errors[i].second > l.errors[i].first) {
        const double ylo = ya.map(l.errors[i].first, y0, y1), yhi = ya.map(l.errors[i].second, y0, y1);
        s += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
                         x, ylo, x, yhi, l.colour);
      }
      if (markers)
        s += marker(l.marker, x, y, 4, fmt::format("fill=\"{}\"", l.colour),
                    l.label + ": " + fmt_num(l.points[i].second));
    }
    // Legend on the right.
    const double ly = kTop + 8 + kLegendRow * static_cast<double>(li);
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"3\"{}/>"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" fill=\"{}\">{}</text>",
        x1 + 12, ly, x1 + 32, ly, l.colour, dash, x1 + 38, ly + 4, kTextColour, html_escape(l.label));
    s += marker(l.marker, x1 + 22, ly, 4, fmt::format("fill=\"{}\"", l.colour));
  }
  return s + "</svg>";
}

std::string scatter_chart(const ScatterSpec& spec, const std::vector<Point>& points) {
  constexpr double kLeft = 60, kRight = 20, kTop = 32, kBottom = 42, kHeight = 340;
  const double x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  for (const Point& p : points) {
    xmin = std::min({xmin, p.x, p.x_lo});
    xmax = std::max({xmax, p.x, p.x_hi});
    ymin = std::min({ymin, p.y, p.y_lo});
    ymax = std::max({ymax, p.y, p.y_hi});
  }
  if (points.empty()) xmin = xmax = ymin = ymax = 0;
  // A little room around the extremes so markers and their labels stay inside the plot.
  const double xpad = std::max((xmax - xmin) * 0.08, std::fabs(xmax) * 0.02 + 1e-9);
  const double ypad = std::max((ymax - ymin) * 0.08, std::fabs(ymax) * 0.02 + 1e-9);
  const Axis xa = linear_axis(xmin - xpad, xmax + xpad, false), ya = linear_axis(ymin - ypad, ymax + ypad, false);
  std::string s = open_svg(kHeight, spec.title);
  s += y_grid(ya, x0, x1, y0, y1);
  for (double t : xa.ticks) {
    const double x = xa.map(t, x0, x1);
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"{}\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
        x, y1, x, y0, kGridColour, x, y0 + 16, kTextColour, tick_label(t));
  }
  s += axes_frame(x0, x1, y0, y1, kHeight, spec.x_label, spec.y_label);
  std::vector<const Point*> frontier;
  for (const Point& p : points)
    if (p.frontier) frontier.push_back(&p);
  std::sort(frontier.begin(), frontier.end(), [](const Point* a, const Point* b) { return a->x < b->x; });
  if (frontier.size() >= 2) {
    std::string pts;
    for (const Point* p : frontier) pts += fmt::format("{:.1f},{:.1f} ", xa.map(p->x, x0, x1), ya.map(p->y, y0, y1));
    s += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1.5\" "
                     "stroke-dasharray=\"5 3\"><title>{}</title></polyline>",
                     pts, html_escape(spec.frontier_label));
  }
  for (const Point& p : points) {
    const double x = xa.map(p.x, x0, x1), y = ya.map(p.y, y0, y1);
    const double xl = xa.map(p.x_lo, x0, x1), xh = xa.map(p.x_hi, x0, x1);
    const double yl = ya.map(p.y_lo, y0, y1), yh = ya.map(p.y_hi, y0, y1);
    s += fmt::format(
        "<g stroke=\"{}\" stroke-width=\"1.5\"><line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>"
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/></g>",
        p.colour, xl, y, xh, y, x, yl, x, yh);
    // Frontier points solid and ringed; dominated ones faint.
    s += marker(p.marker, x, y, p.frontier ? 9 : 7,
                fmt::format("fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\" stroke-width=\"2\"", p.colour,
                            p.frontier ? "1" : "0.45", p.frontier ? "#222222" : "none"),
                p.tooltip);
    const bool right = x < (x0 + x1) / 2;  // labels point into the plot
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"{}\" fill=\"{}\">{}</text>",
                     right ? x + 12 : x - 12, y - 8, right ? "start" : "end", kTextColour, html_escape(p.label));
  }
  return s + "</svg>";
}

}  // namespace alloclab::reports::svg
