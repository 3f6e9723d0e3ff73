#include "faceocc/face/blazeface.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

namespace faceocc {

namespace fs = std::filesystem;

std::vector<cv::Point2f> ssd_anchors(int input_size, const std::vector<int>& strides) {
  std::vector<cv::Point2f> anchors;
  for (size_t i = 0; i < strides.size();) {
    size_t j = i;
    while (j < strides.size() && strides[j] == strides[i]) ++j;
    const int per_cell = int(2 * (j - i));  // two anchors per layer sharing this stride
    const int cells = (input_size + strides[i] - 1) / strides[i];
    for (int y = 0; y < cells; ++y)
      for (int x = 0; x < cells; ++x)
        for (int a = 0; a < per_cell; ++a) anchors.emplace_back((x + 0.5f) / cells, (y + 0.5f) / cells);
    i = j;
  }
  return anchors;
}

std::vector<FaceDetection> decode_blazeface(const float* scores, const float* boxes,
                                            const std::vector<cv::Point2f>& anchors, int input_size,
                                            float min_score) {
  // The network clips its logits to +-100 in MediaPipe's graph; sigmoid saturates anyway.
  const float min_logit = std::log(min_score / (1 - min_score));
  const float inv = 1.0f / float(input_size);
  std::vector<FaceDetection> out;
  for (size_t i = 0; i < anchors.size(); ++i) {
    if (!(scores[i] >= min_logit)) continue;
    const float* r = boxes + 16 * i;
    const cv::Point2f c = anchors[i] + cv::Point2f(r[0], r[1]) * inv;
    const float w = r[2] * inv, h = r[3] * inv;
    FaceDetection d;
    d.score = 1.0f / (1.0f + std::exp(-std::clamp(scores[i], -100.0f, 100.0f)));
    d.box = cv::Rect2f(c.x - w / 2, c.y - h / 2, w, h);
    for (int k = 0; k < 6; ++k) d.keypoints[size_t(k)] = anchors[i] + cv::Point2f(r[4 + 2 * k], r[5 + 2 * k]) * inv;
    out.push_back(d);
  }
  return out;
}

static float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float inter = (a & b).area();
  const float uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

std::vector<FaceDetection> weighted_nms(std::vector<FaceDetection> dets, float iou_threshold) {
  std::stable_sort(dets.begin(), dets.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  std::vector<FaceDetection> out;
  std::vector<bool> used(dets.size(), false);
  for (size_t i = 0; i < dets.size(); ++i) {
    if (used[i]) continue;
    // The best box of a cluster keeps its score; its geometry becomes the
    // score-weighted mean of every box that overlaps it.
    FaceDetection m = dets[i];
    double wsum = 0, x = 0, y = 0, w = 0, h = 0;
    std::array<cv::Point2d, 6> kp{};
    for (size_t j = i; j < dets.size(); ++j) {
      if (used[j] || iou(dets[i].box, dets[j].box) <= iou_threshold) continue;
      used[j] = true;
      const double s = dets[j].score;
      wsum += s;
      x += s * dets[j].box.x, y += s * dets[j].box.y, w += s * dets[j].box.width, h += s * dets[j].box.height;
      for (size_t k = 0; k < 6; ++k) kp[k] += s * cv::Point2d(dets[j].keypoints[k]);
    }
    m.box = cv::Rect2f(float(x / wsum), float(y / wsum), float(w / wsum), float(h / wsum));
    for (size_t k = 0; k < 6; ++k) m.keypoints[k] = cv::Point2f(kp[k] * (1.0 / wsum));
    out.push_back(m);
  }
  return out;
}

std::string implausible_keypoints(const FaceDetection& d) {
  const cv::Point2f le = d.keypoints[kRightEye], re = d.keypoints[kLeftEye], mouth = d.keypoints[kMouthCentre];
  const float iod = float(cv::norm(re - le));
  if (!(d.box.width > 0) || iod < 0.25f * d.box.width || iod > 0.65f * d.box.width) return "eye distance vs box";
  const cv::Point2f up = (le + re) * 0.5f - mouth;  // mouth to eyes
  const float h = float(cv::norm(up));
  if (h < 0.7f * iod || h > 1.7f * iod) return "eye-mouth distance";
  const cv::Point2f axis = (re - le) * (1.0f / iod);
  if (std::abs(up.dot(axis)) > 0.8f * h) return "mouth not below the eyes";
  const float t = (d.keypoints[kNoseTip] - mouth).dot(up) / (h * h);
  if (t < -0.1f || t > 1.0f) return "nose not between eyes and mouth";
  return "";
}

namespace {

struct Model {
  int input = 0;
  std::vector<cv::Point2f> anchors;
  std::vector<uchar> bytes;
  mutable cv::dnn::Net net;
  std::vector<std::string> outputs;  // scores of group 1, 2, boxes of group 1, 2 (by shape)
};

std::vector<uchar> read_bytes(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  if (!in) throw std::runtime_error(f.string() + ": BlazeFace model not found (scripts/setup.sh fetches it)");
  return std::vector<uchar>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void load_net(Model& m, const std::string& name) {
  // Reading a graph and its first forward pass (where OpenCV sets the network
  // up) happen one network at a time: threads cloning detectors side by side
  // must not meet in OpenCV's set-up code. After this the network is only run.
  static std::mutex setup;
  std::lock_guard<std::mutex> lock(setup);
  try {
    m.net = cv::dnn::readNetFromONNX(m.bytes);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(name + ": not a readable ONNX model (" + e.err + ")");
  }
  m.net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  m.net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  // Outputs in a fixed order whatever the graph's: Identity:0 / Identity_1:0 are the
  // scores of the fine and coarse anchor grids, Identity_2:0 / Identity_3:0 their boxes.
  m.outputs = {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"};
  const auto names = m.net.getUnconnectedOutLayersNames();
  for (const auto& o : m.outputs)
    if (std::find(names.begin(), names.end(), o) == names.end())
      throw std::runtime_error(name + ": no output '" + o + "' (not the BlazeFace model faceocc expects)");
  const int dims[] = {1, m.input, m.input, 3};
  try {
    m.net.setInput(cv::Mat(4, dims, CV_32F, cv::Scalar(0)));
    std::vector<cv::Mat> outs;
    m.net.forward(outs, m.outputs);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(name + ": does not run on a " + std::to_string(m.input) + " px input (" + e.err + ")");
  }
}

Model make_model(const fs::path& file, int input, const std::vector<int>& strides) {
  Model m;
  m.input = input;
  m.anchors = ssd_anchors(input, strides);
  m.bytes = read_bytes(file);
  load_net(m, file.string());
  return m;
}

}  // namespace

struct BlazeFace::Impl {
  BlazeFaceOptions opt;
  fs::path dir;
  Model front, back;
};

static const char* kFront = "face_detection_front_128x128_barracuda.onnx";
static const char* kBack = "face_detection_back_256x256_barracuda.onnx";

BlazeFace::BlazeFace(const fs::path& dir, BlazeFaceOptions opt) : impl_(std::make_unique<Impl>()) {
  impl_->opt = opt;
  impl_->dir = dir;
  impl_->front = make_model(dir / kFront, 128, {8, 16, 16, 16});
  impl_->back = make_model(dir / kBack, 256, {16, 32, 32, 32});
}

BlazeFace BlazeFace::clone() const {
  BlazeFace b;
  b.impl_ = std::make_unique<Impl>();
  b.impl_->opt = impl_->opt;
  b.impl_->dir = impl_->dir;
  for (auto [src, dst, name] : {std::tuple{&impl_->front, &b.impl_->front, kFront},
                                std::tuple{&impl_->back, &b.impl_->back, kBack}}) {
    dst->input = src->input;
    dst->anchors = src->anchors;
    dst->bytes = src->bytes;
    load_net(*dst, (impl_->dir / name).string());
  }
  return b;
}

BlazeFace::~BlazeFace() = default;
BlazeFace::BlazeFace(BlazeFace&&) noexcept = default;
BlazeFace& BlazeFace::operator=(BlazeFace&&) noexcept = default;
const BlazeFaceOptions& BlazeFace::options() const { return impl_->opt; }

namespace {

// Runs `m` on the square `region` of the image (it may reach past the image's
// edges: that part is grey), returning detections in image coordinates.
std::vector<FaceDetection> detect_in(const cv::Mat& image, const Model& m, cv::Point2d origin, double side,
                                     const BlazeFaceOptions& opt, float min_score, bool full_range) {
  if (image.empty() || image.depth() != CV_8U) throw std::invalid_argument("BlazeFace: needs a non-empty 8-bit image");
  const int n = m.input;
  const double s = n / side;
  const cv::Rect inside = cv::Rect(int(std::floor(origin.x)), int(std::floor(origin.y)), int(std::ceil(side)),
                                   int(std::ceil(side))) & cv::Rect(0, 0, image.cols, image.rows);
  cv::Mat square(n, n, CV_8UC3, cv::Scalar::all(128));
  int dx = 0, dy = 0, w = 0, h = 0;
  if (!inside.empty()) {
    dx = std::clamp(int(std::lround((inside.x - origin.x) * s)), 0, n - 1);
    dy = std::clamp(int(std::lround((inside.y - origin.y) * s)), 0, n - 1);
    w = std::clamp(int(std::lround(inside.width * s)), 1, n - dx);
    h = std::clamp(int(std::lround(inside.height * s)), 1, n - dy);
    cv::Mat rgb, small;
    const cv::Mat part = image(inside);
    if (part.channels() == 1) cv::cvtColor(part, rgb, cv::COLOR_GRAY2RGB);
    else if (part.channels() == 4) cv::cvtColor(part, rgb, cv::COLOR_BGRA2RGB);
    else cv::cvtColor(part, rgb, cv::COLOR_BGR2RGB);
    cv::resize(rgb, square(cv::Rect(dx, dy, w, h)), cv::Size(w, h), 0, 0, s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  // NHWC float in [-1, 1]: the layout the converted graph takes.
  const int dims[] = {1, n, n, 3};
  cv::Mat blob(4, dims, CV_32F);
  square.convertTo(cv::Mat(n, n, CV_32FC3, blob.ptr<float>()), CV_32F, 1.0 / 127.5, -1.0);
  m.net.setInput(blob);
  std::vector<cv::Mat> outs;
  m.net.forward(outs, m.outputs);
  const size_t fine = outs[0].total();
  if (fine + outs[1].total() != m.anchors.size() || outs[2].total() != 16 * fine ||
      outs[3].total() != 16 * outs[1].total())
    throw std::runtime_error("BlazeFace: unexpected output shapes (not the model faceocc expects)");
  std::vector<float> scores(m.anchors.size()), boxes(16 * m.anchors.size());
  std::copy_n(outs[0].ptr<float>(), fine, scores.begin());
  std::copy_n(outs[1].ptr<float>(), outs[1].total(), scores.begin() + long(fine));
  std::copy_n(outs[2].ptr<float>(), outs[2].total(), boxes.begin());
  std::copy_n(outs[3].ptr<float>(), outs[3].total(), boxes.begin() + long(16 * fine));
  auto dets = weighted_nms(decode_blazeface(scores.data(), boxes.data(), m.anchors, n, min_score), opt.nms_iou);
  // Back to image coordinates (pixel centres at integers, as dlib and OpenCV's warps use).
  const double sx = w > 0 ? double(inside.width) / w : 1 / s, sy = h > 0 ? double(inside.height) / h : 1 / s;
  const double ox = inside.empty() ? origin.x : inside.x, oy = inside.empty() ? origin.y : inside.y;
  auto back = [&](cv::Point2f p) {
    return cv::Point2f(float(ox + (p.x * n - dx) * sx - 0.5), float(oy + (p.y * n - dy) * sy - 0.5));
  };
  for (auto& d : dets) {
    d.box = cv::Rect2f(back(d.box.tl()), back(d.box.br()));
    for (auto& k : d.keypoints) k = back(k);
    d.full_range = full_range;
  }
  dets.erase(std::remove_if(dets.begin(), dets.end(), [](const auto& d) { return !implausible_keypoints(d).empty(); }),
             dets.end());
  std::stable_sort(dets.begin(), dets.end(), [](const auto& a, const auto& b) { return a.box.area() > b.box.area(); });
  return dets;
}

}  // namespace

std::vector<FaceDetection> BlazeFace::detect_once(const cv::Mat& image, bool full_range, float border) const {
  // Letterbox: the image centred on a grey square whose side is the image's
  // longer side plus `border` of it on each side.
  const double side = std::max(image.cols, image.rows) * (1.0 + 2.0 * border);
  const cv::Point2d origin((image.cols - side) / 2, (image.rows - side) / 2);
  const float min_score = full_range || border > 0 ? impl_->opt.fallback_min_score : impl_->opt.min_score;
  return detect_in(image, full_range ? impl_->back : impl_->front, origin, side, impl_->opt, min_score, full_range);
}

std::optional<FaceDetection> BlazeFace::refine(const cv::Mat& image, const FaceDetection& d) const {
  const cv::Point2f c(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2);
  const double side = impl_->opt.refine_context * std::max(d.box.width, d.box.height);
  if (!(side >= 8)) return std::nullopt;
  const auto dets = detect_in(image, impl_->front, cv::Point2d(c.x - side / 2, c.y - side / 2), side, impl_->opt,
                              impl_->opt.min_score, false);
  // The same face: the refined centre must lie inside the first box.
  for (const auto& r : dets) {
    const cv::Point2f rc(r.box.x + r.box.width / 2, r.box.y + r.box.height / 2);
    if (d.box.contains(rc)) {
      FaceDetection out = r;
      out.full_range = d.full_range;
      return out;
    }
  }
  return std::nullopt;
}

std::vector<FaceDetection> BlazeFace::detect(const cv::Mat& image) const {
  const BlazeFaceOptions& o = impl_->opt;
  auto dets = detect_once(image, false, 0.0f);
  if (dets.empty() && o.border > 0) dets = detect_once(image, false, o.border);
  if (dets.empty() && o.full_range_fallback) dets = detect_once(image, true, o.border);
  if (dets.empty() && o.full_range_fallback) dets = detect_once(image, true, 0.0f);
  if (o.refine_context > 0) {
    for (auto& d : dets)
      if (auto r = refine(image, d)) d = *r;
  }
  std::stable_sort(dets.begin(), dets.end(), [](const auto& a, const auto& b) { return a.box.area() > b.box.area(); });
  return dets;
}

}  // namespace faceocc
