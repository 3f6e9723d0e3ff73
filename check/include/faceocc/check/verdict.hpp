// What the capture check says about one face, the two ways the tools print it
// (a line for people, a JSON object for programs), and their photo loop. Shared by the LibTorch
// Predictor (occpredict) and the OpenCV-only CaptureCheck (occcheck), so both
// answer in the same words. Header-only: OpenCV core and nlohmann-json.
//
// Thread safety: plain values and pure functions.
#pragma once
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/check/covered_threshold.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/face/image_list.hpp"
#include "faceocc/image_read.hpp"

namespace faceocc {

struct Verdict {
  OccClass cls = OccClass::None;
  std::array<float, kNumClasses> probabilities{};  // none, upper, lower, both
  const char* advice = "";                        // class_advice(cls)
  cv::Rect box;                                   // the face in the photo (empty for a crop)
  int faces = 0;                                  // faces found in the photo
  double threshold = -1;                          // the covered threshold decide() applied (< 0: the most probable class)
};

// The verdict on a face's class probabilities (covered_threshold.hpp): with a threshold, covered
// when 1 - p(none) reaches it, and then the most probable covered class says what to uncover;
// without one, the most probable class.
inline Verdict decide(const std::array<float, kNumClasses>& p, const std::optional<CoveredThreshold>& t) {
  Verdict v;
  v.probabilities = p;
  int best = 0;
  if (t) {
    if (1.0 - double(p[0]) >= t->threshold) {
      best = 1;
      for (int k = 2; k < kNumClasses; ++k)
        if (p[size_t(k)] > p[size_t(best)]) best = k;
    }
    v.threshold = t->threshold;
  } else {
    for (int k = 1; k < kNumClasses; ++k)
      if (p[size_t(k)] > p[size_t(best)]) best = k;
  }
  v.cls = OccClass(best);
  v.advice = class_advice(v.cls);
  return v;
}

// "photo.jpg: lower (1_0_1)  none 0.01  upper 0.02  lower 0.95  both 0.02  -> advice".
// `index` names the face when every face is judged (all_faces).
inline std::string verdict_text(const std::string& file, const Verdict& v, int index, bool all_faces) {
  std::string where = file;
  if (all_faces) where += " face " + std::to_string(index + 1) + "/" + std::to_string(v.faces);
  else if (v.faces > 1) where += " (largest of " + std::to_string(v.faces) + " faces)";
  const auto& p = v.probabilities;
  char b[512];
  std::snprintf(b, sizeof b, "%s: %s (%s)  none %.2f  upper %.2f  lower %.2f  both %.2f  -> %s", where.c_str(), class_name(v.cls),
                class_folder(v.cls), p[0], p[1], p[2], p[3], v.advice);
  std::string line = b;
  if (v.threshold >= 0) {
    std::snprintf(b, sizeof b, "  [covered %.2f %s threshold %.2f]", 1.0 - p[0], 1.0 - p[0] >= v.threshold ? ">=" : "<", v.threshold);
    line += b;
  }
  return line;
}

inline nlohmann::ordered_json verdict_json(const std::string& file, const Verdict& v, int index, bool all_faces) {
  nlohmann::ordered_json j;
  j["file"] = file, j["faces"] = v.faces;
  if (all_faces) j["face"] = index;
  j["box"] = {v.box.x, v.box.y, v.box.width, v.box.height};
  j["class"] = class_folder(v.cls), j["name"] = class_name(v.cls);
  for (int k = 0; k < kNumClasses; ++k) j["probabilities"][class_name(OccClass(k))] = std::round(v.probabilities[size_t(k)] * 1e4) / 1e4;
  j["covered"] = std::round((1.0 - v.probabilities[0]) * 1e4) / 1e4;  // the score the threshold is compared with
  j["threshold"] = v.threshold >= 0 ? nlohmann::ordered_json(v.threshold) : nlohmann::ordered_json(nullptr);  // null: most probable class
  j["message"] = v.advice;
  return j;
}

// The tools' photo loop: every photo named by `inputs` (files, or folders
// walked recursively) is read and judged by `judge(cv::Mat) -> std::vector<Verdict>`
// (largest face first), and printed to `out` (a line, or a JSON object with
// --jsonl), every face with all_faces. Unreadable entries are named on `err`.
// Returns how many photos had no judged face (unreadable ones included).
template <class Judge>
int judge_photos(const std::vector<std::string>& inputs, bool jsonl, bool all_faces, const std::string& tool, Judge judge,
                 std::ostream& out, std::ostream& err) {
  int missing = 0;
  for (const auto& in : inputs) {
    FileProblems unreadable;
    const std::vector<std::filesystem::path> files =
        std::filesystem::is_directory(in) ? list_images(in, &unreadable) : std::vector<std::filesystem::path>{in};
    for (const auto& [file, why] : unreadable) err << tool << ": skipped " << file << ": " << why << "\n";
    missing += int(unreadable.size());
    for (const auto& f : files) {
      const ImageRead img = read_image(f);
      const std::vector<Verdict> faces = img.image.empty() ? std::vector<Verdict>{} : judge(img.image);
      if (faces.empty()) {
        const std::string why = img.image.empty() ? img.problem : "no face found";
        ++missing;
        out << (jsonl ? nlohmann::ordered_json{{"file", f.string()}, {"error", why}}.dump() : f.string() + ": " + why) << "\n";
        continue;
      }
      for (size_t k = 0; k < (all_faces ? faces.size() : 1); ++k)
        out << (jsonl ? verdict_json(f.string(), faces[k], int(k), all_faces).dump() : verdict_text(f.string(), faces[k], int(k), all_faces))
            << "\n";
    }
  }
  return missing;
}

}  // namespace faceocc
