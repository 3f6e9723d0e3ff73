#include "faceocc/gen/sample.hpp"

#include <algorithm>

namespace faceocc {

void OccluderPool::add(int index, const std::string& category, int weight) {
  auto it = std::lower_bound(categories_.begin(), categories_.end(), category);
  const size_t c = size_t(it - categories_.begin());
  if (it == categories_.end() || *it != category) {
    categories_.insert(it, category);
    by_category.insert(by_category.begin() + long(c), std::vector<int>{});
  }
  for (int k = 0; k < weight; ++k) {
    all.push_back(index);
    by_category[c].push_back(index);
  }
}

int OccluderPool::draw(Rng& rng) const {
  const auto& c = by_category[size_t(rng.below(int(by_category.size())))];
  return c[size_t(rng.below(int(c.size())))];
}

OccluderPools::OccluderPools(const OccluderLibrary& lib) {
  for (int i = 0; i < int(lib.assets.size()); ++i) {
    const OccluderAsset& a = lib.assets[i];
    if (!a.family.empty()) {
      auto [it, fresh] = families.try_emplace(a.family, std::array<int, 4>{-1, -1, -1, -1});
      it->second[int(a.view)] = i;
      if (!fresh) continue;  // the family is in its pool already
    }
    const std::string& c = a.covers;
    if (c == "upper") {
      upper.add(i, a.category, a.weight);
      if (a.combine) upper_to_combine.add(i, a.category, a.weight);
    } else if (c == "lower") {
      lower.add(i, a.category, a.weight);
      if (a.combine) lower_to_combine.add(i, a.category, a.weight);
    } else if (c == "both") {
      both.add(i, a.category, a.weight);
    } else if (c == "none") {
      none.add(i, a.category, a.weight);
    } else if (c == "touch") {
      touch.add(i, a.category, a.weight);
    }
  }
}

int OccluderPools::view_of(const OccluderLibrary& lib, int index, View view) const {
  const OccluderAsset& a = lib.assets[index];
  if (a.family.empty()) return index;
  const auto& v = families.at(a.family);
  for (View w : {view, View::Frontal, View::Any, View::Left, View::Right})
    if (v[int(w)] >= 0) return v[int(w)];
  return index;
}

View face_view(const Landmarks68& pts) {
  const cv::Point2f axis = pts[16] - pts[0];
  const float len2 = axis.dot(axis);
  if (len2 < 1e-6f) return View::Frontal;
  const float r = (pts[30] - pts[0]).dot(axis) / len2;
  // A mask photographed turned shows one cheek; below 0.40 or above 0.60 the
  // face shows one cheek clearly.
  return r < 0.40f ? View::Left : r > 0.60f ? View::Right : View::Frontal;
}

std::optional<Sample> generate_sample(uint64_t seed, int64_t index, OccClass target,
                                      const std::vector<FaceSource>& faces, const OccluderLibrary& lib,
                                      const OccluderPools& pools, const SampleOptions& opt) {
  if (faces.empty()) return std::nullopt;
  for (int attempt = 0; attempt < opt.max_attempts; ++attempt) {
    Rng rng(seed, uint64_t(index), uint64_t(attempt));
    Sample s;
    s.seed = splitmix64(seed ^ splitmix64(uint64_t(index)) ^ uint64_t(attempt));
    s.attempts = attempt + 1;
    s.source = rng.below(int(faces.size()));
    const FaceSource& src = faces[s.source];
    s.image = src.crop.clone();
    s.mask = cv::Mat(s.image.size(), CV_8UC1, cv::Scalar(0));
    const bool flip = rng.chance(0.5);  // mirror the face: doubles the variety of poses
    s.flipped = flip;
    Landmarks68 pts = src.points;
    cv::Mat inside = src.inside.empty() ? cv::Mat() : src.inside.clone();
    if (flip) {
      cv::flip(s.image, s.image, 1);
      if (!inside.empty()) cv::flip(inside, inside, 1);
      // Mirror coordinates and swap left/right landmark indices (dlib 68 layout).
      static const int mirror[68] = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 26, 25, 24, 23, 22,
                                     21, 20, 19, 18, 17, 27, 28, 29, 30, 35, 34, 33, 32, 31, 45, 44, 43, 42, 47, 46,
                                     39, 38, 37, 36, 41, 40, 54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55, 64, 63,
                                     62, 61, 60, 67, 66, 65};
      Landmarks68 m;
      for (int i = 0; i < 68; ++i) m[i] = cv::Point2f(float(s.image.cols - 1) - pts[mirror[i]].x, pts[mirror[i]].y);
      pts = m;
    }
    jitter_face(s.image, pts, rng, opt.camera, &inside);  // every class: the face is never the same crop twice

    const View view = face_view(pts);
    auto pick = [&](const OccluderPool& pool) -> const OccluderAsset* {
      return pool.empty() ? nullptr : &lib.assets[pools.view_of(lib, pool.draw(rng), view)];
    };
    std::vector<std::pair<const OccluderAsset*, float>> plan;  // asset, vertical offset
    // Clear glasses first (worn under everything else), on any class.
    if (rng.chance(opt.eyeglasses) && !pools.none.empty()) plan.push_back({pick(pools.none), 0.0f});
    const bool want_upper = target == OccClass::Upper || target == OccClass::Both;
    const bool want_lower = target == OccClass::Lower || target == OccClass::Both;
    if (target == OccClass::Both && !pools.both.empty() && rng.chance(0.3)) {
      plan.push_back({pick(pools.both), 0.0f});
    } else {
      const bool pair = want_upper && want_lower;  // "both" from two occluders: only those meant to combine
      if (want_upper) plan.push_back({pick(pair ? pools.upper_to_combine : pools.upper), 0.0f});
      if (want_lower) plan.push_back({pick(pair ? pools.lower_to_combine : pools.lower), 0.0f});
    }
    // Near misses: hair on the forehead (down to the brows when only the eyes
    // count, as on many real masked faces), a collar under the chin.
    if (rng.chance(opt.decoy)) {
      const double reach = opt.rule.eyes_only ? 0.15 : 0.35;
      if (!want_upper && rng.chance(0.5)) plan.push_back({pick(pools.upper), -float(rng.uniform(reach, 0.6))});
      else if (!want_lower) plan.push_back({pick(pools.lower), float(rng.uniform(0.3, 0.55))});
    }
    // A hand that touches the face without covering eyes or mouth, on any class: the class stays
    // what coverage measures, so a hand alone stops meaning "covered".
    if (!pools.touch.empty() && rng.chance(opt.touch)) plan.push_back({pick(pools.touch), 0.0f});
    bool missing = false;
    for (const auto& [asset, offset] : plan) {
      if (!asset) { missing = true; continue; }
      s.occluders.push_back(place_occluder(s.image, s.mask, *asset, src, pts, rng, offset, true, opt.poisson));
    }
    if (missing && target != OccClass::None) return std::nullopt;  // no asset can make this class
    const Camera camera = draw_camera(rng, opt.camera);  // drawn every attempt: the stream never depends on the outcome
    s.points = pts;
    const bool cut = !inside.empty();  // the photo ends inside the crop (face_index leaves `inside` empty otherwise)
    if (cut) s.mask.setTo(0, inside == 0);  // an occluder beyond the photo's edge is not in the photo
    s.coverage = measure_coverage(s.mask, pts);
    const auto cls = label_from_coverage(s.coverage, opt.rule);
    if (cls && *cls == target) {
      s.cls = *cls;
      photograph(s.image, camera);  // every class, after the occluders: one camera for the whole image
      // Beyond a tightly cropped photo's edge: black, as the classifier sees a real such photo once aligned.
      if (cut) s.image.setTo(cv::Scalar::all(0), inside == 0);
      s.jpeg_quality = camera.jpeg_quality;
      if (!opt.accept || opt.accept(s)) return s;
    }
  }
  return std::nullopt;
}

}  // namespace faceocc
