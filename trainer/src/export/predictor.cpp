#include "faceocc/train/export/predictor.hpp"

#include <cmath>
#include <stdexcept>

#include "faceocc/face/find_and_align.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/run/run_dir.hpp"

namespace faceocc {

static OcclusionNet load_region_model(const RunDir& run, bool* verified) {
  OcclusionNet net = run.load_best(verified);
  fold_temperature(net, run.temperature());  // as the exported models do
  if (net->num_classes != kNumClasses)
    throw std::runtime_error(run.path().string() + " is a --task binary run: the capture check judges the 4 regions; score it with "
                             "occeval (--cascade pairs it with a region model) or export it with occpredict --export");
  return net;
}

Predictor::Predictor(const std::filesystem::path& run, const std::filesystem::path& detector_dir)
    : net_(load_region_model(RunDir(run), &verified_)), finder_(detector_dir), stored_(RunDir(run).operating_point()), op_(stored_) {}

FacePrediction Predictor::classify_crop(const cv::Mat& crop) const {
  torch::NoGradGuard ng;
  const torch::Tensor p = torch::softmax(net_->forward(preprocess_rgb_u8(to_rgb_batch({crop}))), 1)[0].contiguous();
  std::array<float, kNumClasses> probs{};
  for (int k = 0; k < kNumClasses; ++k) probs[size_t(k)] = p[k].item<float>();
  return decide(probs, op_);
}

std::vector<FacePrediction> Predictor::classify_photo(const cv::Mat& photo) const {
  std::vector<FacePrediction> out;
  for (const AlignedFace& a : find_and_align_all(photo, finder_, 112)) {
    FacePrediction f = classify_crop(a.crop);
    f.box = cv::Rect(int(std::lround(a.face.box.x)), int(std::lround(a.face.box.y)), int(std::lround(a.face.box.width)),
                     int(std::lround(a.face.box.height)));
    f.faces = a.faces;
    out.push_back(f);
  }
  return out;
}

}  // namespace faceocc
