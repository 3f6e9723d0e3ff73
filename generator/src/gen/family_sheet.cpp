#include "faceocc/gen/family_sheet.hpp"

#include <algorithm>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/gen/composite.hpp"
#include "faceocc/gen/sample.hpp"

namespace faceocc {

const FamilyRows& default_family_rows() {
  static const FamilyRows rows = {
      {"masks (photographed)", {"mask_photo_"}}, {"sunglasses", {"sunglasses"}}, {"hair", {"hair"}},
      {"hands: eyes", {"hand_photo_rps_eyes", "hand_photo_sld_eyes", "hand_photo_rps_one_eye", "hand_photo_sld_one_eye"}},
      {"hands: mouth, chin", {"hand_photo_rps_mouth", "hand_photo_sld_mouth", "hand_photo_rps_over_chin", "hand_photo_sld_over_chin"}},
      {"hand decoys (touch)", {"hand_photo_rps_cheek", "hand_photo_sld_cheek", "hand_photo_rps_chin_rest", "hand_photo_sld_chin_rest",
                                  "hand_photo_rps_forehead", "hand_photo_sld_forehead", "hand_photo_rps_temple", "hand_photo_sld_temple"}},
      {"hands (drawn)", {"hand_eyes", "hand_mouth"}},    {"scarves in fabric (opt-in)", {"scarf_fabric"}},
      {"chin covers", {"hand_chin", "scarf", "turtleneck"}},
      {"objects (opt-in)", {"object_"}},
      {"eyeglasses (no occlusion)", {"eyeglasses"}}, {"harvested: eyes", {"harvest_upper_"}},
      {"harvested: mouth, chin", {"harvest_lower_"}}};
  return rows;
}

int write_family_sheet(const OccluderLibrary& lib, const std::vector<FaceSource>& faces, const FamilyRows& rows,
                       const std::filesystem::path& file, int per_row, int tile) {
  CV_Assert(!faces.empty() && per_row > 0 && tile > 16);
  const int label_w = 190;
  std::vector<cv::Mat> lines;
  const OccluderPools pools(lib);
  // Each asset's row: the first with a prefix of its id (one tile per family of views: the frontal one).
  std::vector<std::vector<int>> members_of(rows.size());
  for (int i = 0; i < int(lib.assets.size()); ++i) {
    const OccluderAsset& a = lib.assets[i];
    if (a.view != View::Any && a.view != View::Frontal) continue;
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) {
      return std::any_of(r.second.begin(), r.second.end(), [&](const std::string& p) { return a.id.rfind(p, 0) == 0; });
    });
    if (row != rows.end()) members_of[size_t(row - rows.begin())].push_back(i);
  }
  for (size_t row = 0; row < rows.size(); ++row) {
    const std::string& label = rows[row].first;
    const std::vector<int>& members = members_of[row];
    if (members.empty()) continue;
    cv::Mat line(tile, label_w + per_row * tile, CV_8UC3, cv::Scalar(38, 38, 38));
    cv::putText(line, label, {8, tile / 2 + 5}, cv::FONT_HERSHEY_SIMPLEX, 0.45, {235, 235, 235}, 1, cv::LINE_AA);
    const int n = std::min(per_row, int(members.size()));
    for (int k = 0; k < n; ++k) {
      const int idx = members[size_t(k) * members.size() / size_t(n)];  // spread over the family
      const FaceSource& f = faces[size_t(k) % faces.size()];
      OccluderAsset a = lib.assets[size_t(pools.view_of(lib, idx, face_view(f.points)))];
      a.scale_min = a.scale_max = 1.0f;
      a.rotation_deg = a.shift = 0.0f;
      cv::Mat img = f.crop.clone(), mask(img.size(), CV_8UC1, cv::Scalar(0));
      Rng rng(uint64_t(k) + 1);
      place_occluder(img, mask, a, f, f.points, rng, 0.0f, false);
      cv::resize(img, img, {tile, tile}, 0, 0, cv::INTER_AREA);
      img.copyTo(line(cv::Rect(label_w + k * tile, 0, tile, tile)));
    }
    lines.push_back(line);
  }
  if (lines.empty()) return 0;
  cv::Mat sheet;
  cv::vconcat(lines, sheet);
  std::vector<uchar> png;
  cv::imencode(".png", sheet, png, {cv::IMWRITE_PNG_COMPRESSION, 9});  // a README figure: smallest file
  if (!write_file_atomic(file, png.data(), png.size())) throw std::runtime_error(file.string() + ": cannot write");
  return int(lines.size());
}

}  // namespace faceocc
