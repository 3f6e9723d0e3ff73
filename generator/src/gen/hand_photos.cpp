#include "faceocc/gen/hand_photos.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/gen/canonical_face.hpp"
#include "faceocc/gen/rgba_resize.hpp"
#include "faceocc/gen/rng.hpp"
#include "faceocc/image_read.hpp"

namespace faceocc {

namespace fs = std::filesystem;

const char* hand_pose_name(HandPose p) {
  switch (p) {
    case HandPose::Eyes: return "eyes";
    case HandPose::OneEye: return "one_eye";
    case HandPose::Mouth: return "mouth";
    case HandPose::OverChin: return "over_chin";
    case HandPose::CheekTouch: return "cheek";
    case HandPose::ChinRest: return "chin_rest";
    case HandPose::Forehead: return "forehead";
    case HandPose::Temple: return "temple";
  }
  return "?";
}

const char* hand_pose_covers(HandPose p) {
  switch (p) {
    case HandPose::Eyes:
    case HandPose::OneEye: return "upper";
    case HandPose::Mouth:
    case HandPose::OverChin: return "lower";
    default: return "touch";
  }
}

namespace {

// Where a pose puts the hand on the canonical face (112 x 112, InsightFace frame):
// the palm-and-fingers centre, the wrist-to-fingertip direction (degrees, image
// axes: 0 = fingers to the right, -90 = up) and the palm's width, each with a range.
struct PoseGeometry {
  cv::Point2f at, at_range;
  float angle, angle_range;
  float palm;  // palm width / the canonical face's width (jaw 0 to 16)
};

PoseGeometry pose_geometry(HandPose p) {
  const Landmarks68& c = canonical_face_68();
  const cv::Point2f left_eye = (c[36] + c[39]) * 0.5f, eyes = (left_eye + (c[42] + c[45]) * 0.5f) * 0.5f;
  const cv::Point2f mouth = (c[48] + c[54] + c[51] + c[57]) * 0.25f, brows = (c[19] + c[24]) * 0.5f;
  const float fw = float(cv::norm(c[16] - c[0]));  // the face's width
  // A palm is about 0.6 of a face's width (8.5 cm against 14 cm); a fist's front a little less.
  switch (p) {
    case HandPose::Eyes: return {eyes + cv::Point2f(0, -2), {0.05f * fw, 0.04f * fw}, 180, 15, 0.62f};
    case HandPose::OneEye:  // fingers up and in, the wrist below and outside the face
      return {left_eye + cv::Point2f(-0.04f * fw, -0.02f * fw), {0.04f * fw, 0.04f * fw}, -60, 15, 0.62f};
    case HandPose::Mouth: return {mouth + cv::Point2f(0, 0.02f * fw), {0.05f * fw, 0.04f * fw}, 180, 15, 0.62f};
    case HandPose::OverChin: return {c[8] + cv::Point2f(0, -0.08f * fw), {0.05f * fw, 0.04f * fw}, -90, 25, 0.55f};
    case HandPose::CheekTouch:  // palm flat on the cheek, fingers up towards the temple
      return {cv::Point2f(c[2].x - 0.18f * fw, c[29].y + 0.02f * fw), {0.04f * fw, 0.06f * fw}, -95, 15, 0.62f};
    case HandPose::ChinRest: return {c[8] + cv::Point2f(0, 0.30f * fw), {0.05f * fw, 0.03f * fw}, -90, 20, 0.55f};
    case HandPose::Forehead: return {cv::Point2f(eyes.x, brows.y - 0.40f * fw), {0.06f * fw, 0.03f * fw}, 180, 10, 0.62f};
    case HandPose::Temple: return {cv::Point2f(c[0].x - 0.12f * fw, brows.y - 0.05f * fw), {0.03f * fw, 0.05f * fw}, -80, 15, 0.62f};
  }
  return {eyes, {0, 0}, 180, 0, 0.62f};
}

uint64_t name_hash(const std::string& s) {  // FNV-1a: the same order on every machine
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
  return splitmix64(h);
}

// The reason without its measured value ("kind (value)"), for counts per reason.
std::string reason_kind(const std::string& why) { return why.substr(0, why.find(" (")); }

}  // namespace

std::vector<Anchor> hand_pose_anchors(const HandCutout& hand, HandPose pose, const double jitter[4]) {
  const PoseGeometry g = pose_geometry(pose);
  const Landmarks68& c = canonical_face_68();
  const float fw = float(cv::norm(c[16] - c[0]));
  const cv::Point2f axis = hand.tip - hand.wrist;
  const float phi = float(std::atan2(axis.y, axis.x));
  const float theta = float((g.angle + (2 * jitter[0] - 1) * g.angle_range) * CV_PI / 180.0);
  const cv::Point2f at = g.at + cv::Point2f(float(2 * jitter[1] - 1) * g.at_range.x, float(2 * jitter[2] - 1) * g.at_range.y);
  const float palm = g.palm * fw * float(0.9 + 0.2 * jitter[3]);
  const float s = palm / std::max(1.0f, hand.palm_width);  // canonical px per photo px
  // photo -> canonical: at + s R(theta - phi) (p - centre); so canonical -> photo: centre + R(phi - theta) (q - at) / s.
  const float r = phi - theta, cr = std::cos(r), sr = std::sin(r);
  std::vector<Anchor> out;
  for (int k : {0, 4, 8, 12, 16, 19, 24, 27, 30, 36, 45, 48, 54}) {
    const cv::Point2f q = (c[k] - at) * (1.0f / s);
    out.push_back({k, hand.centre + cv::Point2f(cr * q.x - sr * q.y, sr * q.x + cr * q.y)});
  }
  return out;
}

std::vector<HandPhotoSet> shipped_hand_sets(const fs::path& hands_root) {
  using P = HandPose;
  auto read = [&](const fs::path& f) {
    std::ifstream in(hands_root / f);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  HandPhotoSet rps;
  rps.name = "rps";
  rps.backdrop = HandBackdrop::GreenScreen;
  rps.folders = {{"rock_paper_scissors/paper", {{P::Eyes, 14}, {P::OneEye, 6}, {P::Mouth, 14}, {P::CheekTouch, 6}, {P::Forehead, 4}, {P::Temple, 4}}},
                 {"rock_paper_scissors/rock", {{P::OverChin, 8}, {P::ChinRest, 8}}},
                 {"rock_paper_scissors/scissors", {{P::Eyes, 5}, {P::Mouth, 5}}}};
  rps.origin = "Rock-Paper-Scissors images by Julien de la Bruere-Terreault (DrGFreeman/rps-cv), ";
  rps.licence = "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/): an adaptation (cut out, recoloured and "
                "placed by faceocc) of a photo by Julien de la Bruere-Terreault; share adaptations under the same licence "
                "(NOTICE.rock_paper_scissors.txt beside this file)";
  rps.notice_file = "NOTICE.rock_paper_scissors.txt";
  rps.notice =
      "Hands cut out of the Rock-Paper-Scissors images by Julien de la Bruere-Terreault (drgfreeman), made for his\n"
      "DrGFreeman/rps-cv project; licence CC BY-SA 4.0, https://creativecommons.org/licenses/by-sa/4.0/.\n"
      "The author's own text (\"AUTHOR: Julien de la Bruere-Terreault ... LICENSE: CC-BY-SA 4.0\") is kept in the\n"
      "GitHub repository Djack1010/tami at commit 20196c69, DATASETS/dataset_test_hands/README_rpc-cv-images.txt.\n"
      "Changes made by faceocc's occassets: keyed off the green screen (spill removed), cropped, downscaled; occgen\n"
      "recolours, scales and places them on faces. Each PNG here is an adaptation under CC BY-SA 4.0 with this credit;\n"
      "so is an image occgen makes with one of them (occgen's summary.json lists the licences a run used).\n";
  HandPhotoSet sld;
  sld.name = "sld";
  sld.backdrop = HandBackdrop::PlainWall;
  sld.folders = {{"sign_language_digits/0", {{P::OverChin, 3}, {P::ChinRest, 2}}},
                 {"sign_language_digits/1", {{P::Eyes, 1}, {P::Mouth, 1}, {P::CheekTouch, 1}, {P::Forehead, 2}}},
                 {"sign_language_digits/2", {{P::Eyes, 2}, {P::Mouth, 2}, {P::ChinRest, 2}}},
                 {"sign_language_digits/3", {{P::Eyes, 2}, {P::Mouth, 2}, {P::CheekTouch, 2}, {P::Temple, 2}}},
                 {"sign_language_digits/4", {{P::Eyes, 3}, {P::Mouth, 3}, {P::OneEye, 3}, {P::CheekTouch, 2}, {P::Temple, 2}}},
                 {"sign_language_digits/5", {{P::Eyes, 4}, {P::Mouth, 4}, {P::OneEye, 3}, {P::CheekTouch, 3}, {P::Forehead, 2}}},
                 {"sign_language_digits/6", {{P::Eyes, 1}, {P::CheekTouch, 1}}},
                 {"sign_language_digits/7", {{P::Eyes, 1}, {P::CheekTouch, 1}}},
                 {"sign_language_digits/8", {{P::Mouth, 1}, {P::CheekTouch, 1}}},
                 {"sign_language_digits/9", {{P::Mouth, 1}, {P::CheekTouch, 1}}}};
  sld.origin = "Sign Language Digits Dataset (ardamavi/Sign-Language-Digits-Dataset, commit 4b09433e), students of Ayranci "
               "Anadolu High School, Ankara; ";
  sld.licence = "Apache-2.0 (LICENSE.sign_language_digits.txt beside this file); cut out, recoloured and placed by faceocc";
  sld.notice_file = "LICENSE.sign_language_digits.txt";
  sld.notice = read(fs::path("sign_language_digits") / "LICENSE");
  return {rps, sld};
}

ImportedHands import_hand_photos(const fs::path& hands_root, const HandPhotoSet& set, int max_side) {
  ImportedHands out;
  out.set = set.name;
  for (const auto& [folder, quotas] : set.folders) {
    const fs::path dir = hands_root / folder;
    if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + ": hand photo folder not found");
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string ext = e.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
      if (e.is_regular_file() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::pair<uint64_t, std::pair<fs::path, HandCutout>>> usable;
    for (const fs::path& f : files) {
      ++out.photos;
      const ImageRead img = read_image(f);
      if (!img.problem.empty()) { ++out.rejected["unreadable: " + img.problem]; continue; }
      if (img.image.cols < 32 || img.image.rows < 32) { ++out.rejected["under 32 px"]; continue; }
      HandCutout h = cut_out_hand(img.image, set.backdrop);
      if (!h.rejected.empty()) { ++out.rejected[reason_kind(h.rejected)]; continue; }
      ++out.usable;
      usable.push_back({name_hash(f.filename().string()), {f, std::move(h)}});
    }
    std::sort(usable.begin(), usable.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    int need = 0;
    for (const auto& q : quotas) need += q.second;
    if (int(usable.size()) < need)
      throw std::runtime_error(dir.string() + ": " + std::to_string(usable.size()) + " usable hands, " +
                               std::to_string(need) + " needed");
    size_t next = 0;
    for (const auto& [pose, count] : quotas)
      for (int k = 0; k < count; ++k) {
        const auto& [file, cut] = usable[next++].second;
        HandCutout h = cut;
        const double s = std::min(1.0, double(max_side) / std::max(h.bgra.cols, h.bgra.rows));
        if (s < 1.0) {
          h.bgra = resize_rgba(h.bgra, s);  // premultiplied: no dark fringe from the keyed-out backdrop
          h.wrist *= float(s);
          h.tip *= float(s);
          h.centre *= float(s);
          h.palm_width *= float(s);
        }
        {  // The arm goes on where the photo cut it: its last pixels drawn on, so no pose ends in a straight cut on the face.
          const int ext = int(std::lround(0.8 * h.palm_width)), side = cut.wrist_side;
          cv::copyMakeBorder(h.bgra, h.bgra, side == 0 ? ext : 0, side == 2 ? ext : 0, side == 3 ? ext : 0, side == 1 ? ext : 0,
                             cv::BORDER_REPLICATE);
          // Replicated pixels are streaks along the arm: soften them across it, the alpha's edge kept.
          const cv::Rect strip = side == 0 ? cv::Rect(0, 0, h.bgra.cols, ext) : side == 2 ? cv::Rect(0, h.bgra.rows - ext, h.bgra.cols, ext)
                                 : side == 3 ? cv::Rect(0, 0, ext, h.bgra.rows) : cv::Rect(h.bgra.cols - ext, 0, ext, h.bgra.rows);
          if (ext > 0) {
            std::vector<cv::Mat> ch;
            cv::split(h.bgra(strip), ch);
            const cv::Size k = (side == 0 || side == 2) ? cv::Size(7, 1) : cv::Size(1, 7);
            for (int i = 0; i < 3; ++i) cv::GaussianBlur(ch[i], ch[i], k, 0);
            cv::Mat soft;
            cv::merge(ch, soft);
            soft.copyTo(h.bgra(strip));
          }
          const cv::Point2f shift(side == 3 ? float(ext) : 0.0f, side == 0 ? float(ext) : 0.0f);
          h.wrist += shift;
          h.tip += shift;
          h.centre += shift;
        }
        Rng rng(name_hash(file.filename().string()), uint64_t(pose), 0);
        const double jitter[4] = {rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()};
        OccluderAsset a;
        std::ostringstream id;
        id << "hand_photo_" << set.name << "_" << hand_pose_name(pose) << "_" << std::setw(2) << std::setfill('0') << k;
        // Names stay unique across folders of one set: the folder's last part joins the id.
        a.id = id.str() + "_" + fs::path(folder).filename().string();
        a.category = std::string(hand_pose_covers(pose)) == "touch" ? "hand_touch" : "hand_photo";
        a.covers = hand_pose_covers(pose);
        a.bgra = h.bgra;
        a.anchors = hand_pose_anchors(h, pose, jitter);
        a.scale_min = 0.92f;
        a.scale_max = 1.08f;
        a.rotation_deg = 8.0f;
        a.shift = 0.04f;
        a.recolor = Recolor::SkinTone;
        a.combine = false;  // as the drawn hands: paired with a mask, a hand near it taught "both" (assets/occluders/README.md)
        a.origin = set.origin + folder.substr(folder.find('/') + 1) + "/" + file.filename().string() + ", pose " +
                   hand_pose_name(pose) + "; keyed and measured by occassets (area " + std::to_string(h.area).substr(0, 5) +
                   ", skin " + std::to_string(h.skin).substr(0, 5) + ", sharpness " + std::to_string(h.sharpness).substr(0, 5) + ")";
        a.licence = set.licence;
        out.assets.push_back(std::move(a));
      }
  }
  std::sort(out.assets.begin(), out.assets.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

void save_imported_hands(const ImportedHands& h, const HandPhotoSet& set, const fs::path& dir) {
  const fs::path d = dir / ("hands_" + set.name);
  fs::create_directories(d);
  for (const OccluderAsset& a : h.assets) save_occluder(a, d);
  write_text_or_throw(d / set.notice_file, set.notice);
}

}  // namespace faceocc
