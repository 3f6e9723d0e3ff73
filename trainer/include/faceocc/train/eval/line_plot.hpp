// A small line chart (with optional error bars) as a PNG, for the nightly
// report and the mix comparison: one panel, x = night or mix ratio, y = a metric.
//
// Thread safety: pure apart from the file it writes (atomically); safe from several threads for different files.
#pragma once
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace faceocc {

struct PlotSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> err;  // +- error bar per point (empty = none)
};

struct PlotOptions {
  std::string title, x_label, y_label;
  std::vector<std::string> x_ticks;  // labels at x = 0, 1, ... (empty: numeric ticks from the data)
  double y_min = 0, y_max = 1;
  double x_min = 0, x_max = 0;       // x_max > x_min: this x range, points outside drawn at its edge
  // Ticks at chosen positions with their own labels, and grid lines through them (empty: even
  // ticks). For transformed axes, e.g. a DET curve's normal-deviate scale labelled in %.
  std::vector<std::pair<double, std::string>> x_marks, y_marks;
};

// Writes via a temporary name; returns false if the file cannot be written.
bool write_line_plot(const std::vector<PlotSeries>& series, const PlotOptions& opt, const std::filesystem::path& file);

}  // namespace faceocc
