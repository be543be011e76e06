// reports/svg.hpp — the few chart kinds the HTML report draws, as inline SVG strings.
//
// Glossary
//   Axis      a value range mapped to a pixel range, linear or log10, with "nice" tick values.
//   Bar       one horizontal bar: a value, an optional error interval and the raw points.
//   Line      one polyline series with markers, optional error interval per point, drawn as
//             bars or as a translucent band.
//   Point     one marker of a scatter chart with error bars in x and y; frontier points are
//             ringed and linked in x order, the others drawn faint.
// Every chart is a fixed-size viewBox the page scales to its column width; text uses the page's
// font. No script: tooltips are SVG <title> elements.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alloclab::reports::svg {

// Series colours, assigned to allocators in first-appearance order. Chosen to stay apart from
// each other and from the greys of axes and text (a browser test looks for them on screen).
inline constexpr std::array<std::string_view, 10> kPalette = {
    "#3366cc", "#e8741e", "#2e9e5b", "#c0392b", "#8e6bbf",
    "#8c6d31", "#d45fa6", "#17a2b8", "#b7b51f", "#5d6d7e"};
inline std::string_view colour(std::size_t i) { return kPalette[i % kPalette.size()]; }

struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  std::vector<double> ticks;
  // Maps v into [px0, px1].
  double map(double v, double px0, double px1) const;
};
// pre: lo <= hi. include_zero extends the range down (or up) to 0.
Axis linear_axis(double lo, double hi, bool include_zero);
// pre: 0 < lo <= hi
Axis log_axis(double lo, double hi);

struct Bar {
  std::string label;
  std::string_view colour;
  bool has_value = false;   // false: only `note` is shown (a row that did not run)
  double value = 0;
  double lo = 0, hi = 0;    // error interval; drawn when hi > lo
  bool dashed_error = false;  // the interval is a fallback (min–max), not a proper CI
  double marker = -1;         // a tick drawn across the bar at this value when >= 0
  std::vector<double> points;  // raw repetitions
  std::string value_text;      // printed right of the bar
  std::string note;            // printed instead of a bar
};
std::string bar_chart(std::string_view title, std::string_view axis_label, const std::vector<Bar>& bars);

struct Line {
  std::string label;
  std::string_view colour;
  bool dashed = false;
  std::vector<std::pair<double, double>> points;
  std::vector<std::pair<double, double>> errors;  // (lo, hi) per point, or empty
  bool band = false;  // errors as a translucent band between lo and hi instead of bars
};
struct LineChartSpec {
  std::string title, x_label, y_label;
  bool log_y = false;
  bool y_from_zero = true;
  std::vector<std::string> x_categories;  // when set, x values are indices into it
  std::vector<double> x_ticks;            // when set, the x ticks (e.g. the thread counts run)
};
std::string line_chart(const LineChartSpec& spec, const std::vector<Line>& lines);

struct Point {
  std::string label;
  std::string_view colour;
  double x = 0, x_lo = 0, x_hi = 0;
  double y = 0, y_lo = 0, y_hi = 0;
  bool frontier = false;
  std::string tooltip;
};
struct ScatterSpec {
  std::string title, x_label, y_label, frontier_label;
};
std::string scatter_chart(const ScatterSpec& spec, const std::vector<Point>& points);

}  // namespace alloclab::reports::svg
