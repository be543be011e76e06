// Summary statistics of repetitions, shared by the aggregate rows, the terminal table and the
// harness-cost figure so all three agree on what "median" and "cv" mean.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace alloclab {

// The middle value (the mean of the two middle ones for an even count). pre: !v.empty().
inline double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// pre: !v.empty().
inline double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// Sample standard deviation (n - 1); 0 for fewer than two values.
inline double stddev_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double mu = mean_of(v);
  double s = 0;
  for (double x : v) s += (x - mu) * (x - mu);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}

}  // namespace alloclab
