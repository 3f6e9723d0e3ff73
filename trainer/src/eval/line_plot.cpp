#include "faceocc/train/eval/line_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"

namespace faceocc {

bool write_line_plot(const std::vector<PlotSeries>& series, const PlotOptions& o, const std::filesystem::path& file) {
  const int W = 760, H = 440, L = 70, R = 190, T = 40, B = 60;
  const int pw = W - L - R, ph = H - T - B;
  cv::Mat img(H, W, CV_8UC3, cv::Scalar(255, 255, 255));
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  double x0 = 0, x1 = 1;
  bool any = false;
  for (const auto& s : series)
    for (double x : s.x) {
      if (!std::isfinite(x)) continue;
      x0 = any ? std::min(x0, x) : x;
      x1 = any ? std::max(x1, x) : x;
      any = true;
    }
  if (!o.x_ticks.empty()) { x0 = 0; x1 = double(o.x_ticks.size() - 1); }
  if (o.x_max > o.x_min) { x0 = o.x_min; x1 = o.x_max; }
  if (x1 <= x0) { x0 -= 0.5; x1 += 0.5; }
  const double pad = 0.04 * (x1 - x0);  // keep end points and their error bars off the frame
  x0 -= pad;
  x1 += pad;
  const double y0 = std::isfinite(o.y_min) ? o.y_min : 0;
  const double y1 = std::isfinite(o.y_max) && o.y_max > y0 ? o.y_max : y0 + 1;
  // A metric may be missing (NaN, e.g. a night without a score): such a point is not drawn, and
  // the line breaks there; int(NaN) would be undefined (UBSan found it in occreport).
  auto shown = [](double x, double y) { return std::isfinite(x) && std::isfinite(y); };
  auto px = [&](double x) { return L + int((std::clamp(x, x0, x1) - x0) / (x1 - x0) * pw); };
  auto py = [&](double y) { return T + ph - int((std::clamp(y, y0, y1) - y0) / (y1 - y0) * ph); };
  char b[64];
  cv::putText(img, o.title, {L, 18}, font, 0.55, {0, 0, 0}, 1, cv::LINE_AA);  // above the y axis' label
  std::vector<std::pair<double, std::string>> y_marks = o.y_marks;
  for (int k = 0; y_marks.size() < 6 && o.y_marks.empty(); ++k) {  // even horizontal grid
    std::snprintf(b, sizeof b, "%.2f", y0 + (y1 - y0) * k / 5.0);
    y_marks.emplace_back(y0 + (y1 - y0) * k / 5.0, b);
  }
  for (const auto& [y, label] : y_marks) {
    if (std::isnan(y)) continue;
    cv::line(img, {L, py(y)}, {L + pw, py(y)}, {225, 225, 225}, 1);
    cv::putText(img, label, {L - 45, py(y) + 4}, font, 0.4, {60, 60, 60}, 1, cv::LINE_AA);
  }
  if (!o.x_marks.empty()) {
    for (const auto& [x, label] : o.x_marks) {
      if (std::isnan(x)) continue;
      cv::line(img, {px(x), T}, {px(x), T + ph}, {225, 225, 225}, 1);
      cv::putText(img, label, {px(x) - 12, T + ph + 18}, font, 0.38, {60, 60, 60}, 1, cv::LINE_AA);
    }
  } else if (!o.x_ticks.empty()) {
    const size_t step = std::max<size_t>(1, o.x_ticks.size() / 8);
    for (size_t i = 0; i < o.x_ticks.size(); i += step)
      cv::putText(img, o.x_ticks[i], {px(double(i)) - 20, T + ph + 18}, font, 0.38, {60, 60, 60}, 1, cv::LINE_AA);
  } else {
    for (int k = 0; k <= 5; ++k) {
      const double x = (x0 + pad) + (x1 - x0 - 2 * pad) * k / 5.0;
      std::snprintf(b, sizeof b, "%.2g", x);
      cv::putText(img, b, {px(x) - 10, T + ph + 18}, font, 0.4, {60, 60, 60}, 1, cv::LINE_AA);
    }
  }
  cv::rectangle(img, {L, T}, {L + pw, T + ph}, {0, 0, 0}, 1);
  cv::putText(img, o.x_label, {L + pw / 2 - 40, H - 18}, font, 0.45, {0, 0, 0}, 1, cv::LINE_AA);
  cv::putText(img, o.y_label, {8, T - 5}, font, 0.45, {0, 0, 0}, 1, cv::LINE_AA);
  static const cv::Scalar colours[] = {{180, 119, 31}, {14, 127, 255}, {44, 160, 44}, {40, 39, 214}, {189, 103, 148}, {75, 86, 140}};
  for (size_t s = 0; s < series.size(); ++s) {
    const cv::Scalar c = colours[s % 6];
    const auto& S = series[s];
    for (size_t i = 0; i < S.x.size() && i < S.y.size(); ++i) {
      if (!shown(S.x[i], S.y[i])) continue;
      const cv::Point p(px(S.x[i]), py(S.y[i]));
      if (i > 0 && shown(S.x[i - 1], S.y[i - 1])) cv::line(img, {px(S.x[i - 1]), py(S.y[i - 1])}, p, c, 2, cv::LINE_AA);
      cv::circle(img, p, 4, c, cv::FILLED, cv::LINE_AA);
      if (i < S.err.size() && S.err[i] > 0) {
        cv::line(img, {p.x, py(S.y[i] - S.err[i])}, {p.x, py(S.y[i] + S.err[i])}, c, 1, cv::LINE_AA);
        cv::line(img, {p.x - 5, py(S.y[i] - S.err[i])}, {p.x + 5, py(S.y[i] - S.err[i])}, c, 1, cv::LINE_AA);
        cv::line(img, {p.x - 5, py(S.y[i] + S.err[i])}, {p.x + 5, py(S.y[i] + S.err[i])}, c, 1, cv::LINE_AA);
      }
    }
    cv::line(img, {L + pw + 15, T + 12 + int(s) * 22}, {L + pw + 40, T + 12 + int(s) * 22}, c, 2, cv::LINE_AA);
    cv::putText(img, S.name, {L + pw + 46, T + 16 + int(s) * 22}, font, 0.42, {0, 0, 0}, 1, cv::LINE_AA);
  }
  std::vector<uchar> png;
  return cv::imencode(".png", img, png) && write_file_atomic(file, png.data(), png.size());
}

}  // namespace faceocc
