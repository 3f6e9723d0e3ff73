#include "faceocc/gen/shortcut_probe.hpp"

#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/classes.hpp"
#include "faceocc/gen/rng.hpp"

namespace faceocc {

namespace fs = std::filesystem;

namespace {

struct Item {
  std::string id, cls;
};

// Statistics of the visible pixels (mask 255) of a BGR image.
std::vector<double> visible_stats(const cv::Mat& bgr, const cv::Mat& visible) {
  cv::Mat grey, hsv, lap, f;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
  grey.convertTo(f, CV_32F);
  cv::Laplacian(f, lap, CV_32F);
  cv::Mat inner;  // pixels whose 3x3 neighbourhood is visible too (the Laplacian of a blank edge is no cue)
  cv::erode(visible, inner, cv::Mat(), cv::Point(-1, -1), 2);
  cv::Scalar m, sd, lm, lsd;
  cv::meanStdDev(f, m, sd, inner);
  cv::meanStdDev(lap, lm, lsd, inner);
  std::vector<float> a;
  for (int y = 0; y < lap.rows; ++y)
    for (int x = 0; x < lap.cols; ++x)
      if (inner.at<uchar>(y, x)) a.push_back(std::abs(lap.at<float>(y, x)));
  double mad = 0;
  if (!a.empty()) {
    std::nth_element(a.begin(), a.begin() + long(a.size() / 2), a.end());
    mad = a[a.size() / 2];
  }
  // JPEG blocking: mean step across 8-px block boundaries over the mean step inside blocks.
  double across = 0, within = 0;
  long na = 0, nw = 0;
  for (int y = 0; y < f.rows; ++y)
    for (int x = 0; x + 1 < f.cols; ++x) {
      if (!inner.at<uchar>(y, x) || !inner.at<uchar>(y, x + 1)) continue;
      const double d = std::abs(f.at<float>(y, x + 1) - f.at<float>(y, x));
      if (x % 8 == 7) across += d, ++na; else within += d, ++nw;
    }
  const cv::Scalar hm = cv::mean(hsv, inner), bm = cv::mean(bgr, inner);
  return {m[0], sd[0], hm[1], std::log1p(lsd[0] * lsd[0]), std::log1p(mad),
          na && nw ? (across / na) / (within / nw + 1e-6) : 1.0, bm[2] - bm[0]};
}

// L2-regularised logistic regression by gradient descent on standardised features.
std::vector<double> fit_logistic(const std::vector<std::vector<double>>& x, const std::vector<int>& y) {
  const size_t d = x[0].size();
  std::vector<double> w(d + 1, 0.0);
  for (int it = 0; it < 500; ++it) {
    std::vector<double> g(d + 1, 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      double z = w[d];
      for (size_t k = 0; k < d; ++k) z += w[k] * x[i][k];
      const double e = 1.0 / (1.0 + std::exp(-z)) - y[i];
      for (size_t k = 0; k < d; ++k) g[k] += e * x[i][k];
      g[d] += e;
    }
    for (size_t k = 0; k <= d; ++k) w[k] -= 0.5 * (g[k] / double(x.size()) + (k < d ? 1e-3 * w[k] : 0.0));
  }
  return w;
}

int predict(const std::vector<double>& w, const std::vector<double>& x) {
  double z = w.back();
  for (size_t k = 0; k < x.size(); ++k) z += w[k] * x[k];
  return z > 0;
}

}  // namespace

ShortcutProbeReport probe_shortcuts(const fs::path& dir, const ShortcutProbeOptions& opt) {
  std::ifstream in(dir / "manifest.csv");
  if (!in) throw std::runtime_error((dir / "manifest.csv").string() + ": cannot open (not an occgen output folder?)");
  std::vector<Item> clean, occluded;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("id,", 0) == 0 || line.size() < 14) continue;
    Item it{line.substr(0, 8), line.substr(9, 5)};
    (it.cls == class_folder(OccClass::None) ? clean : occluded).push_back(it);
  }
  if (clean.size() < 10 || occluded.size() < 10)
    throw std::runtime_error(dir.string() + ": needs at least 10 clean and 10 occluded samples");
  // A seeded, even pick of each group.
  auto pick = [&](std::vector<Item> v) {
    Rng r(opt.seed, 17);
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[size_t(r.below(int(i)))]);
    v.resize(std::min(v.size(), size_t(opt.per_group)));
    return v;
  };
  clean = pick(clean);
  occluded = pick(occluded);
  auto load_mask = [&](const Item& it) {
    cv::Mat m = cv::imread((dir / "masks" / (it.id + ".png")).string(), cv::IMREAD_GRAYSCALE);
    if (m.empty()) throw std::runtime_error((dir / "masks" / (it.id + ".png")).string() + ": missing (occgen without --no-masks)");
    cv::threshold(m, m, 0, 255, cv::THRESH_BINARY);
    cv::dilate(m, m, cv::getStructuringElement(cv::MORPH_ELLIPSE, {9, 9}));
    return m;
  };
  std::vector<std::vector<double>> x;
  std::vector<int> y;
  Rng r(opt.seed, 29);
  for (int group = 0; group < 2; ++group) {
    const auto& mine = group ? occluded : clean;
    const auto& other = group ? clean : occluded;
    for (const auto& it : mine) {
      const cv::Mat img = cv::imread((dir / it.cls / (it.id + ".jpg")).string(), cv::IMREAD_COLOR);
      if (img.empty()) throw std::runtime_error((dir / it.cls / (it.id + ".jpg")).string() + ": missing or unreadable");
      cv::Mat blank = load_mask(it), partner = load_mask(other[size_t(r.below(int(other.size())))]);
      if (partner.size() != blank.size()) cv::resize(partner, partner, blank.size(), 0, 0, cv::INTER_NEAREST);
      cv::Mat visible = ~(blank | partner);
      if (cv::countNonZero(visible) < 100) continue;
      x.push_back(visible_stats(img, visible));
      y.push_back(group);
    }
  }
  ShortcutProbeReport rep;
  rep.features = {"mean luminance", "luminance sd", "saturation", "log Laplacian variance (sharpness)",
                  "log Laplacian MAD (noise)", "JPEG blocking ratio", "colour cast (R-B)"};
  rep.clean = int(std::count(y.begin(), y.end(), 0));
  rep.occluded = int(y.size()) - rep.clean;
  // Standardise.
  const size_t d = x[0].size();
  for (size_t k = 0; k < d; ++k) {
    double m = 0, s = 0;
    for (auto& v : x) m += v[k];
    m /= double(x.size());
    for (auto& v : x) s += (v[k] - m) * (v[k] - m);
    s = std::sqrt(s / double(x.size())) + 1e-9;
    for (auto& v : x) v[k] = (v[k] - m) / s;
  }
  // K-fold cross-validation over a seeded permutation.
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[size_t(r.below(int(i)))]);
  std::vector<double> acc;
  for (int f = 0; f < opt.folds; ++f) {
    std::vector<std::vector<double>> tx, vx;
    std::vector<int> ty, vy;
    for (size_t i = 0; i < order.size(); ++i) {
      const bool val = int(i % size_t(opt.folds)) == f;
      (val ? vx : tx).push_back(x[order[i]]);
      (val ? vy : ty).push_back(y[order[i]]);
    }
    const auto w = fit_logistic(tx, ty);
    int right = 0;
    for (size_t i = 0; i < vx.size(); ++i) right += predict(w, vx[i]) == vy[i];
    acc.push_back(double(right) / double(vx.size()));
  }
  rep.accuracy = std::accumulate(acc.begin(), acc.end(), 0.0) / double(acc.size());
  double s = 0;
  for (double a : acc) s += (a - rep.accuracy) * (a - rep.accuracy);
  rep.accuracy_sd = std::sqrt(s / double(acc.size()));
  rep.weights = fit_logistic(x, y);
  return rep;
}

}  // namespace faceocc
