#include "faceocc/train/eval/confusion_png.hpp"

#include <cstdio>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"

namespace faceocc {

bool write_confusion_png(const Metrics& m, const std::vector<std::string>& names, const std::string& title,
                         const std::filesystem::path& file) {
  const int n = int(m.confusion.size()), cell = 90, left = 110, top = 70;
  cv::Mat img(top + n * cell + 40, left + n * cell + 20, CV_8UC3, cv::Scalar(255, 255, 255));
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  cv::putText(img, title, {10, 22}, font, 0.55, {0, 0, 0}, 1, cv::LINE_AA);
  cv::putText(img, "predicted ->", {left, 48}, font, 0.45, {80, 80, 80}, 1, cv::LINE_AA);
  for (int r = 0; r < n; ++r) {
    long row = 0;
    for (long v : m.confusion[size_t(r)]) row += v;
    cv::putText(img, names[size_t(r)], {8, top + r * cell + cell / 2 + 5}, font, 0.5, {0, 0, 0}, 1, cv::LINE_AA);
    cv::putText(img, names[size_t(r)], {left + r * cell + 14, top - 6}, font, 0.5, {0, 0, 0}, 1, cv::LINE_AA);
    for (int c = 0; c < n; ++c) {
      const long v = m.confusion[size_t(r)][size_t(c)];
      const double share = row ? double(v) / double(row) : 0.0;
      const cv::Scalar colour = r == c ? cv::Scalar(255 - 150 * share, 255 - 60 * share, 255 - 150 * share)   // green
                                       : cv::Scalar(255 - 160 * share, 255 - 160 * share, 255);                  // red
      const cv::Rect box(left + c * cell, top + r * cell, cell - 2, cell - 2);
      cv::rectangle(img, box, colour, cv::FILLED);
      char b[48];
      std::snprintf(b, sizeof b, "%ld", v);
      cv::putText(img, b, {box.x + 10, box.y + 38}, font, 0.65, {0, 0, 0}, 1, cv::LINE_AA);
      std::snprintf(b, sizeof b, "%.0f%%", 100 * share);
      cv::putText(img, b, {box.x + 10, box.y + 66}, font, 0.45, {60, 60, 60}, 1, cv::LINE_AA);
    }
  }
  char b[96];
  std::snprintf(b, sizeof b, "accuracy %.3f   macro-F1 %.3f   n=%ld", m.accuracy, m.macro_f1, m.total);
  cv::putText(img, b, {10, top + n * cell + 26}, font, 0.5, {0, 0, 0}, 1, cv::LINE_AA);
  std::vector<uchar> png;
  return cv::imencode(".png", img, png) && write_file_atomic(file, png.data(), png.size());
}

}  // namespace faceocc
