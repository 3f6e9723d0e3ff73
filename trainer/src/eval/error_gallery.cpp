#include "faceocc/train/eval/error_gallery.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/train/learn/train_loop.hpp"

namespace faceocc {

namespace fs = std::filesystem;

std::vector<GalleryCell> plan_error_gallery(const std::vector<ScoredPhoto>& photos, int classes, int per_cell) {
  std::map<std::pair<int, int>, std::vector<size_t>> cells;
  for (size_t i = 0; i < photos.size(); ++i)
    if (photos[i].truth != photos[i].predicted) cells[{photos[i].truth, photos[i].predicted}].push_back(i);
  std::vector<GalleryCell> out;
  for (auto& [key, idx] : cells) {
    if (key.first >= classes || key.second >= classes) continue;
    const size_t called = size_t(key.second);  // a structured binding cannot be captured (clang 14, the fuzz build)
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      const float pa = photos[a].probs.at(called), pb = photos[b].probs.at(called);
      return pa != pb ? pa > pb : photos[a].path < photos[b].path;
    });
    GalleryCell c{key.first, key.second, long(idx.size()), {}};
    c.shown.assign(idx.begin(), idx.begin() + std::min<size_t>(idx.size(), size_t(std::max(0, per_cell))));
    out.push_back(c);
  }
  return out;
}

namespace {

constexpr int kTileW = 180, kTileH = 150, kCrop = 112, kThumb = 64;
const int kFont = cv::FONT_HERSHEY_SIMPLEX;

void text(cv::Mat& img, const std::string& s, cv::Point at, double scale, cv::Scalar colour = {0, 0, 0}) {
  cv::putText(img, s, at, kFont, scale, colour, 1, cv::LINE_AA);
}

// The crop, a thumbnail of the original photo beside it, the name and the probabilities.
void draw_tile(cv::Mat& sheet, cv::Point at, const ScoredPhoto& p, const std::vector<std::string>& names) {
  cv::rectangle(sheet, cv::Rect(at.x, at.y, kTileW - 4, kTileH - 4), {235, 235, 235}, cv::FILLED);
  if (!p.crop.empty()) {
    cv::Mat c;
    cv::resize(p.crop, c, {kCrop, kCrop});
    if (c.channels() == 1) cv::cvtColor(c, c, cv::COLOR_GRAY2BGR);
    c.copyTo(sheet(cv::Rect(at.x, at.y, kCrop, kCrop)));
  }
  const cv::Mat photo = read_image(p.path).image;
  if (!photo.empty()) {
    const double s = double(kThumb) / std::max(photo.cols, photo.rows);
    cv::Mat t;
    cv::resize(photo, t, {std::max(1, int(photo.cols * s)), std::max(1, int(photo.rows * s))}, 0, 0, cv::INTER_AREA);
    t.copyTo(sheet(cv::Rect(at.x + kCrop + 2, at.y, t.cols, t.rows)));
  }
  std::string name = fs::path(p.path).filename().string();
  if (name.size() > 28) name = name.substr(0, 12) + ".." + name.substr(name.size() - 14);
  text(sheet, name, {at.x + 2, at.y + kCrop + 14}, 0.36);
  std::string probs;
  for (size_t k = 0; k < p.probs.size() && k < names.size(); ++k) {
    char b[32];
    std::snprintf(b, sizeof b, "%s%.2f", k ? " " : "", p.probs[k]);
    probs += b;
  }
  text(sheet, probs, {at.x + 2, at.y + kCrop + 30}, 0.36, {60, 60, 60});
}

void save_png(const cv::Mat& img, const fs::path& file) {
  std::vector<uchar> png;
  if (!cv::imencode(".png", img, png) || !write_file_atomic(file, png.data(), png.size()))
    throw std::runtime_error(file.string() + ": cannot write");
}

std::string probs_legend(const std::vector<std::string>& names) {
  std::string s = "probabilities:";
  for (const auto& n : names) s += " " + n;
  return s;
}

}  // namespace

void write_error_gallery(const std::vector<ScoredPhoto>& photos, const std::vector<std::string>& names, int per_cell,
                         const std::string& title, const fs::path& file) {
  const std::vector<GalleryCell> cells = plan_error_gallery(photos, int(names.size()), per_cell);
  const int label_w = 150, per_row = 8, head = 46;
  int rows = 0;
  for (const auto& c : cells) rows += std::max<int>(1, int((c.shown.size() + per_row - 1) / per_row));
  cv::Mat sheet(head + std::max(1, rows) * kTileH + 10, label_w + per_row * kTileW, CV_8UC3, cv::Scalar::all(255));
  long mistakes = 0;
  for (const auto& c : cells) mistakes += c.total;
  text(sheet, title + ": " + std::to_string(mistakes) + " of " + std::to_string(photos.size()) + " photos wrong", {10, 20}, 0.55);
  text(sheet, "per cell (true -> predicted) the most confident mistakes first; " + probs_legend(names), {10, 38}, 0.42, {80, 80, 80});
  if (cells.empty()) text(sheet, "no mistakes", {10, head + 30}, 0.6);
  int y = head;
  for (const auto& c : cells) {
    char b[96];
    std::snprintf(b, sizeof b, "%s -> %s", names[size_t(c.truth)].c_str(), names[size_t(c.predicted)].c_str());
    text(sheet, b, {8, y + 30}, 0.5);
    std::snprintf(b, sizeof b, "%ld wrong", c.total);
    text(sheet, b, {8, y + 52}, 0.45, {0, 0, 160});
    if (long(c.shown.size()) < c.total) text(sheet, "(" + std::to_string(c.shown.size()) + " shown)", {8, y + 72}, 0.4, {80, 80, 80});
    for (size_t k = 0; k < c.shown.size(); ++k)
      draw_tile(sheet, {label_w + int(k % per_row) * kTileW, y + int(k / per_row) * kTileH}, photos[c.shown[k]], names);
    y += std::max<int>(1, int((c.shown.size() + per_row - 1) / per_row)) * kTileH;
    cv::line(sheet, {0, y - 3}, {sheet.cols, y - 3}, {200, 200, 200});
  }
  save_png(sheet, file);
}

void write_photo_sheet(const std::vector<ScoredPhoto>& photos, const std::vector<size_t>& order, const std::vector<std::string>& names,
                       const std::string& title, const fs::path& file) {
  const int per_row = 8, head = 46, label_h = 18;
  const int rows = std::max(1, int((order.size() + per_row - 1) / per_row));
  cv::Mat sheet(head + rows * (kTileH + label_h) + 10, per_row * kTileW, CV_8UC3, cv::Scalar::all(255));
  text(sheet, title, {10, 20}, 0.55);
  text(sheet, "given -> suggested, most suspicious first; " + probs_legend(names), {10, 38}, 0.42, {80, 80, 80});
  if (order.empty()) text(sheet, "nothing to review", {10, head + 30}, 0.6);
  for (size_t k = 0; k < order.size(); ++k) {
    const ScoredPhoto& p = photos[order[k]];
    const cv::Point at{int(k % per_row) * kTileW, head + int(k / per_row) * (kTileH + label_h)};
    text(sheet, std::to_string(k + 1) + ". " + names[size_t(p.truth)] + " -> " + names[size_t(p.predicted)], {at.x + 2, at.y + 13}, 0.42,
         {0, 0, 160});
    draw_tile(sheet, {at.x, at.y + label_h}, p, names);
  }
  save_png(sheet, file);
}

std::vector<ScoredPhoto> scored_photos(const ImageSet& set, const std::vector<int>& truth, const std::vector<int>& predicted,
                                       const std::vector<std::vector<float>>& probs) {
  std::vector<ScoredPhoto> out;
  for (int64_t i = 0; i < set.size(); ++i) {
    ScoredPhoto p;
    p.path = set.paths[size_t(i)];
    p.truth = truth.at(size_t(i)), p.predicted = predicted.at(size_t(i)), p.probs = probs.at(size_t(i));
    const torch::Tensor t = set.images[i].contiguous();  // uint8 [112,112,3] RGB
    cv::Mat rgb(int(t.size(0)), int(t.size(1)), CV_8UC3, t.data_ptr());
    cv::cvtColor(rgb, p.crop, cv::COLOR_RGB2BGR);  // a copy: the tensor may go
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace faceocc
