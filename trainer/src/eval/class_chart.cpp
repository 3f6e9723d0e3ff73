#include "faceocc/train/eval/class_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"

namespace faceocc {

void write_class_chart(const ClassCounts& c, const std::string& title, const std::filesystem::path& file) {
  const size_t n = c.names.size();
  const int W = 760, H = 420, top = 60, bottom = 330, left = 60, panel = 330, gap = 40;
  cv::Mat img(H, W, CV_8UC3, cv::Scalar::all(255));
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  auto txt = [&](const std::string& s, cv::Point p, double sc, cv::Scalar col = {0, 0, 0}) {
    cv::putText(img, s, p, font, sc, col, 1, cv::LINE_AA);
  };
  txt(title, {10, 22}, 0.55);
  const cv::Scalar train_col{180, 120, 60}, val_col{90, 170, 90}, syn_col{60, 140, 230};
  // Left panel: samples available per class (three bars each).
  long top_count = 1;
  for (size_t k = 0; k < n; ++k) top_count = std::max({top_count, c.real_train[k], c.real_validation[k], c.synthetic[k]});
  txt("samples available (square-root scale)", {left, top - 12}, 0.45, {60, 60, 60});
  const int group = panel / int(std::max<size_t>(1, n)), bar = std::max(6, group / 4);
  for (size_t k = 0; k < n; ++k) {
    const int x0 = left + int(k) * group + 6;
    const long v[3] = {c.real_train[k], c.real_validation[k], c.synthetic[k]};
    const cv::Scalar col[3] = {train_col, val_col, syn_col};
    for (int b = 0; b < 3; ++b) {
      // Square root: a class with 13 real photos stays visible beside 4 000 synthetic ones.
      const int h = int(std::sqrt(double(v[b]) / double(top_count)) * (bottom - top));
      cv::rectangle(img, cv::Rect(x0 + b * bar, bottom - h, bar - 2, h), col[b], cv::FILLED);
      char s[24];
      std::snprintf(s, sizeof s, "%ld", v[b]);
      cv::putText(img, s, {x0 + b * bar, bottom - h - 4}, font, 0.3, {40, 40, 40}, 1, cv::LINE_AA);
    }
    txt(c.names[k], {x0, bottom + 18}, 0.42);
  }
  // Right panel: each class's share of one epoch, real part + synthetic part stacked.
  const int l2 = left + panel + gap;
  long epoch = 0;
  for (size_t k = 0; k < n; ++k) epoch += c.epoch_real[k] + c.epoch_synthetic[k];
  txt("share of one epoch (oversampled, mixed)", {l2, top - 12}, 0.45, {60, 60, 60});
  const int group2 = (W - l2 - 20) / int(std::max<size_t>(1, n));
  for (size_t k = 0; k < n; ++k) {
    const int x0 = l2 + int(k) * group2 + 10, w = group2 - 24;
    const double r = epoch ? double(c.epoch_real[k]) / double(epoch) : 0, s = epoch ? double(c.epoch_synthetic[k]) / double(epoch) : 0;
    const int hr = int(r * (bottom - top)), hs = int(s * (bottom - top));
    cv::rectangle(img, cv::Rect(x0, bottom - hr, w, hr), train_col, cv::FILLED);
    cv::rectangle(img, cv::Rect(x0, bottom - hr - hs, w, hs), syn_col, cv::FILLED);
    char b[32];
    std::snprintf(b, sizeof b, "%.0f%%", 100 * (r + s));
    txt(b, {x0, bottom - hr - hs - 4}, 0.4);
    txt(c.names[k], {x0, bottom + 18}, 0.42);
  }
  cv::line(img, {left - 4, bottom}, {left + panel, bottom}, {120, 120, 120});
  cv::line(img, {l2 - 4, bottom}, {W - 20, bottom}, {120, 120, 120});
  // Legend.
  const std::pair<const char*, cv::Scalar> legend[] = {{"real train", train_col}, {"real validation", val_col}, {"synthetic", syn_col}};
  int x = left;
  for (const auto& [name, col] : legend) {
    cv::rectangle(img, cv::Rect(x, H - 40, 14, 14), col, cv::FILLED);
    txt(name, {x + 20, H - 28}, 0.45);
    x += 170;
  }
  char b[64];
  std::snprintf(b, sizeof b, "epoch: %ld samples", epoch);
  txt(b, {x + 10, H - 28}, 0.45, {60, 60, 60});
  std::vector<uchar> png;
  if (!cv::imencode(".png", img, png) || !write_file_atomic(file, png.data(), png.size()))
    throw std::runtime_error(file.string() + ": cannot write");
}

}  // namespace faceocc
