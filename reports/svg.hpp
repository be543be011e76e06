// reports/svg.hpp — the few chart kinds the HTML report draws, as inline SVG strings.
//
// Glossary
//   Axis      a value range mapped to a pixel range, linear or log10, with "nice" tick values.
//   Bar       one horizontal bar: a value, an optional error interval and the raw points.
//   Line      one polyline series with markers (its allocator's shape, palette.hpp), optional error interval per point, drawn as
//             bars or as a translucent band.
//   Point     one marker of a scatter chart with error bars in x and y; frontier points are
//             ringed and linked in x order, the others drawn faint.
// Every chart is a fixed-size viewBox the page scales to its column width; text uses the page's
// font. No script: tooltips are SVG <title> elements.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/palette.hpp"

namespace alloclab::reports::svg {

// One marker of shape m centred at (x, y), r its half-size; `attrs` are added to the element
// (fill, stroke, ...), `title` becomes its tooltip when not empty.
std::string marker(Marker m, double x, double y, double r, std::string_view attrs, std::string_view title = {});

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
  Marker shape = Marker::kCircle;  // drawn beside the label: colours repeat, shapes tell apart
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
  Marker marker = Marker::kCircle;
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
  Marker marker = Marker::kCircle;
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
