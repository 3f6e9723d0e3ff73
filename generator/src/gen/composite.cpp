#include "faceocc/gen/composite.hpp"

#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "faceocc/gen/face_light.hpp"
#include "faceocc/gen/least_squares.hpp"
#include "faceocc/gen/piecewise_warp.hpp"

namespace faceocc {

namespace {

// Natural hair colours (BGR): black, browns, auburn, blondes, grey, white.
const cv::Vec3f kHair[] = {{20, 20, 22},   {30, 38, 50},   {35, 55, 80},   {40, 70, 110},  {50, 60, 120},
                           {70, 110, 160}, {110, 160, 200}, {150, 190, 220}, {140, 140, 145}, {200, 200, 205}};

// `from_photo` is set when the colour was sampled from the photo itself, so it
// already carries the photo's light and must not be re-lit.
cv::Vec3f tint_for(Recolor rc, const FaceSource& src, Rng& rng, bool& from_photo) {
  from_photo = false;
  switch (rc) {
    case Recolor::Hair: {
      const int k = rng.below(int(std::size(kHair)) + 10);  // half: the subject's own hair (its texture where visible)
      if (k >= int(std::size(kHair))) { from_photo = true; return src.hair * float(rng.uniform(0.85, 1.1)); }
      return kHair[k] * float(rng.uniform(0.85, 1.15));
    }
    case Recolor::Skin:
    case Recolor::SkinTone: from_photo = true; return src.skin * float(rng.uniform(0.92, 1.08));
    case Recolor::Cloth: {
      cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(rng.below(180), 40 + rng.below(200), 40 + rng.below(200))), bgr;
      cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
      const cv::Vec3b b = bgr.at<cv::Vec3b>(0, 0);
      return {float(b[0]), float(b[1]), float(b[2])};
    }
    default: return {128, 128, 128};  // colour images keep their colours
  }
}

// The asset's own luminance relative to its mean (folds, seams, shadows),
// capped so a white highlight stays a highlight.
cv::Mat own_shade(const cv::Mat& bgra) {
  std::vector<cv::Mat> ch;
  cv::split(bgra, ch);
  cv::Mat bgr, grey, shade;
  cv::merge(std::vector<cv::Mat>{ch[0], ch[1], ch[2]}, bgr);
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  const double mean = std::max(4.0, cv::mean(grey, ch[3] > 128)[0]);
  grey.convertTo(shade, CV_32F, 1.0 / mean);
  cv::min(shade, 1.8, shade);
  return shade;
}

// `colours` (BGR, the asset's size) times the asset's own shade; alpha kept.
cv::Mat redress(const cv::Mat& bgra, const cv::Mat& colours) {
  const cv::Mat shade = own_shade(bgra);
  cv::Mat cf, s3, bgr;
  colours.convertTo(cf, CV_32FC3);
  cv::merge(std::vector<cv::Mat>{shade, shade, shade}, s3);
  cv::Mat(cf.mul(s3)).convertTo(bgr, CV_8UC3);
  std::vector<cv::Mat> ch, out(4);
  cv::split(bgra, ch);
  cv::split(bgr, out.data());
  out[3] = ch[3];
  cv::Mat r;
  cv::merge(out, r);
  return r;
}

// A photographed hand in the subject's skin tone: each channel scaled so the
// hand's mean moves `strength` of the way (in log terms) toward `skin`; its own
// shading, veins and knuckles stay.
cv::Mat skin_toned(const cv::Mat& bgra, const cv::Vec3f& skin, double strength) {
  std::vector<cv::Mat> ch;
  cv::split(bgra, ch);
  const cv::Mat opaque = ch[3] > 128;
  if (cv::countNonZero(opaque) == 0) return bgra.clone();
  const cv::Scalar own = cv::mean(bgra, opaque);
  for (int k = 0; k < 3; ++k)
    ch[k].convertTo(ch[k], CV_8U, std::pow(std::max(4.0f, skin[k]) / std::max(4.0, own[k]), strength));
  cv::Mat r;
  cv::merge(ch, r);
  return r;
}

// A fabric on the asset: a tiled texture at a random scale and phase.
cv::Mat dress_in_texture(const cv::Mat& bgra, const cv::Mat& texture, Rng& rng) {
  const double scale = rng.uniform(0.25, 0.6) * bgra.cols / std::max(1, texture.cols);  // 2..4 repeats across
  const int ox = rng.below(std::max(1, texture.cols)), oy = rng.below(std::max(1, texture.rows));
  cv::Mat t;
  cv::resize(texture, t, cv::Size(), scale, scale, cv::INTER_AREA);
  if (t.cols < 2 || t.rows < 2) return bgra.clone();
  cv::Mat tiled(bgra.size(), CV_8UC3);
  for (int y = 0; y < tiled.rows; ++y)
    for (int x = 0; x < tiled.cols; ++x) tiled.at<cv::Vec3b>(y, x) = t.at<cv::Vec3b>((y + oy) % t.rows, (x + ox) % t.cols);
  return redress(bgra, tiled);
}

// The subject's own hair as a texture: a patch above the brows (where the
// fringe would hang from), stretched along the strands and tiled across the
// asset. Empty when that patch does not look like hair (skin of a high
// forehead or a bald head, background, the black beyond a tight photo's edge).
cv::Mat own_hair_texture(const cv::Mat& image, const Landmarks68& pts, const FaceSource& src, cv::Size asset) {
  const cv::Point2f brows = (pts[19] + pts[24]) * 0.5f, up = brows - pts[30];
  const float len = float(cv::norm(up)), width = float(cv::norm(pts[26] - pts[17]));
  if (len < 4 || width < 8) return {};
  const cv::Point2f c = brows + up * 1.25f;
  const cv::Rect patch = cv::Rect(cv::Point(cvRound(c.x - 0.35f * width), cvRound(c.y - 0.2f * len)),
                                  cv::Size(cvRound(0.7f * width), cvRound(0.4f * len))) &
                         cv::Rect(0, 0, image.cols, image.rows);
  if (patch.width < 6 || patch.height < 4) return {};
  cv::Mat p = image(patch).clone();
  cv::Scalar mean, sd;
  cv::meanStdDev(p, mean, sd);
  const cv::Vec3f skin = src.skin;
  const double dist = cv::norm(cv::Vec3d(mean[0] - skin[0], mean[1] - skin[1], mean[2] - skin[2]));
  // Hair: unlike the skin, not black padding, not flat, and not brighter than the skin (a wall, a
  // window or a white cap behind the head usually is; so is platinum hair, which the palette covers).
  const double luma = 0.114 * mean[0] + 0.587 * mean[1] + 0.299 * mean[2], skin_luma = 0.114 * skin[0] + 0.587 * skin[1] + 0.299 * skin[2];
  if (dist < 45 || luma < 8 || luma > skin_luma + 10 || (sd[0] + sd[1] + sd[2]) < 6) return {};
  // Strands run down the fringe: the patch stretched tall, mirrored side by side.
  cv::Mat tall, flipped, row;
  cv::resize(p, tall, cv::Size(std::max(4, asset.width / 3), asset.height), 0, 0, cv::INTER_LINEAR);
  cv::flip(tall, flipped, 1);
  std::vector<cv::Mat> tiles;
  for (int x = 0; x < asset.width; x += tall.cols) tiles.push_back((tiles.size() % 2) ? flipped : tall);
  cv::hconcat(tiles, row);
  return row(cv::Rect(0, 0, asset.width, asset.height)).clone();
}

// Mask colours (BGR) and how often each is drawn: black and dark grey lead, as
// on the street.
cv::Scalar mask_dye(Rng& rng) {
  static const std::pair<cv::Scalar, int> kDyes[] = {
      {{22, 22, 24}, 40}, {{55, 55, 58}, 14}, {{125, 125, 128}, 8}, {{225, 228, 230}, 10}, {{80, 48, 30}, 8},
      {{215, 190, 150}, 8}, {{190, 180, 235}, 5}, {{150, 175, 195}, 4}, {{60, 90, 60}, 3}};
  int total = 0;
  for (const auto& d : kDyes) total += d.second;
  int k = rng.below(total);
  for (const auto& [c, w] : kDyes) {
    if (k < w) return c * rng.uniform(0.9, 1.1);
    k -= w;
  }
  return kDyes[0].first;
}

// Poisson (gradient-domain) blending of the occluder's colours into the photo
// under it: the occluder keeps its gradients, its level follows the photo at
// its border. Returns the new colours (float BGR, roi size); the feathered
// alpha blend still makes the edge. Falls back to `col` when OpenCV refuses.
cv::Mat poisson_colours(const cv::Mat& col, const cv::Mat& under, const cv::Mat& alpha) {
  cv::Mat m8 = alpha > 0.5f;
  cv::erode(m8, m8, cv::Mat());
  if (cv::countNonZero(m8) < 50) return col;
  const int pad = 4;
  cv::Mat src8, dst8, srcp, dstp, mp, out;
  col.convertTo(src8, CV_8UC3, 255.0);
  under.convertTo(dst8, CV_8UC3, 255.0);
  cv::copyMakeBorder(src8, srcp, pad, pad, pad, pad, cv::BORDER_REFLECT);
  cv::copyMakeBorder(dst8, dstp, pad, pad, pad, pad, cv::BORDER_REFLECT);
  cv::copyMakeBorder(m8, mp, pad, pad, pad, pad, cv::BORDER_CONSTANT, 0);
  const cv::Rect box = cv::boundingRect(mp);
  try {
    cv::seamlessClone(srcp, dstp, mp, cv::Point(box.x + box.width / 2, box.y + box.height / 2), out, cv::NORMAL_CLONE);
  } catch (const cv::Exception&) {
    return col;
  }
  cv::Mat f;
  out(cv::Rect(pad, pad, col.cols, col.rows)).convertTo(f, CV_32FC3, 1.0 / 255.0);
  return f;
}

}  // namespace

Placement place_occluder(cv::Mat& image, cv::Mat& mask, const OccluderAsset& asset, const FaceSource& src,
                         const Landmarks68& pts, Rng& rng, float offset, bool allow_shadow, bool poisson) {
  Placement pl;
  pl.asset_id = asset.id;
  std::vector<cv::Point2f> from, to;
  for (const Anchor& a : asset.anchors) {
    from.push_back(a.at);
    to.push_back(pts[a.landmark]);
  }

  // Face frame for jitter: size = eyes-to-chin distance, "down" = towards the chin.
  const cv::Point2f eyes = (pts[36] + pts[45]) * 0.5f, chin = pts[8];
  const float face = std::max(1.0f, float(cv::norm(chin - eyes)));
  const cv::Point2f down = (chin - eyes) * (1.0f / face);
  cv::Point2f centre{0, 0};
  for (auto p : to) centre += p;
  centre *= 1.0f / float(to.size());

  pl.scale = float(rng.uniform(asset.scale_min, asset.scale_max));
  pl.rotation_deg = float(rng.uniform(-asset.rotation_deg, asset.rotation_deg));
  pl.dx = float(rng.uniform(-asset.shift, asset.shift));
  pl.dy = float(rng.uniform(-asset.shift, asset.shift)) + offset;
  const cv::Point2f right(-down.y, down.x);
  const cv::Point2f move = (right * pl.dx + down * pl.dy) * face;
  cv::Mat J = cv::getRotationMatrix2D(centre, pl.rotation_deg, pl.scale);  // 2x3 CV_64F
  J.at<double>(0, 2) += move.x;
  J.at<double>(1, 2) += move.y;
  std::optional<PiecewiseWarp> mesh;
  cv::Mat M;  // the affine placement (affine assets only)
  cv::Rect roi;
  if (asset.warp == Warp::Piecewise) {  // every anchor onto its (jittered) landmark
    std::vector<cv::Point2f> to_j;
    cv::transform(to, to_j, J);
    mesh.emplace(from, to_j, asset.bgra.size());
    roi = (mesh->bounds() + cv::Size(2, 2)) & cv::Rect(0, 0, image.cols, image.rows);
  } else {
    cv::Mat M3 = cv::Mat::eye(3, 3, CV_64F), J3 = cv::Mat::eye(3, 3, CV_64F);
    fit_affine(from, to).copyTo(M3.rowRange(0, 2));
    J.copyTo(J3.rowRange(0, 2));
    const cv::Mat JM = J3 * M3;
    M = JM.rowRange(0, 2).clone();
    // Footprint of the warped asset, clipped to the image.
    std::vector<cv::Point2f> corners{{0, 0}, {float(asset.bgra.cols), 0}, {0, float(asset.bgra.rows)},
                                     {float(asset.bgra.cols), float(asset.bgra.rows)}}, warped;
    cv::transform(corners, warped, M);
    roi = (cv::boundingRect(warped) + cv::Size(2, 2)) & cv::Rect(0, 0, image.cols, image.rows);
  }
  // Draw the randomness below unconditionally so the stream never depends on geometry.
  bool tint_from_photo = false;
  const cv::Vec3f tint = tint_for(asset.recolor, src, rng, tint_from_photo);
  const double blur = rng.uniform(0.8, 1.25) * src.softness;  // the face's own sharpness, not a fixed one
  const uint64_t noise_seed = rng.next();
  pl.shadow = allow_shadow && rng.chance(0.5);
  const float shadow_strength = float(rng.uniform(0.2, 0.45));
  const double light_strength = rng.uniform(0.6, 1.0);
  const cv::Point2f shadow_shift = (down * float(rng.uniform(0.02, 0.05)) + right * float(rng.uniform(-0.03, 0.03))) * face;
  cv::Mat look = asset.bgra;  // the asset as it is worn this time
  bool dressed = false;       // coloured here, from a photo or fabric: no tint below
  if (asset.recolor == Recolor::Hair && tint_from_photo)
    if (const cv::Mat hair = own_hair_texture(image, pts, src, asset.bgra.size()); !hair.empty()) {
      look = redress(asset.bgra, hair);  // real hair texture in the drawn strands' alpha and shading
      dressed = true;
    }
  if (asset.recolor == Recolor::Texture && asset.fabrics && !asset.fabrics->empty())
    look = dress_in_texture(asset.bgra, (*asset.fabrics)[size_t(rng.below(int(asset.fabrics->size())))], rng);
  if (asset.recolor == Recolor::Dye && rng.chance(0.5))
    look = redress(asset.bgra, cv::Mat(asset.bgra.size(), CV_8UC3, mask_dye(rng)));
  if (asset.recolor == Recolor::SkinTone) {  // the sampled skin already carries the photo's light
    look = skin_toned(asset.bgra, tint, rng.uniform(0.6, 1.0));
    dressed = true;
  }
  if (roi.area() == 0) return pl;

  cv::Mat w;
  if (mesh) {
    mesh->render(look, roi, w);
  } else {
    cv::Mat Mroi = M.clone();
    Mroi.at<double>(0, 2) -= roi.x;
    Mroi.at<double>(1, 2) -= roi.y;
    cv::warpAffine(look, w, Mroi, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  }
  cv::Mat wf;
  w.convertTo(wf, CV_32F, 1.0 / 255.0);
  std::vector<cv::Mat> ch;
  cv::split(wf, ch);
  cv::Mat alpha = ch[3];
  cv::Mat col;
  ch.pop_back();

  // Colour: tinted shade (recolourable assets are grey, 0.5 = the tint itself).
  if (!dressed && (asset.recolor == Recolor::Hair || asset.recolor == Recolor::Skin || asset.recolor == Recolor::Cloth))
    for (int k = 0; k < 3; ++k) ch[k] *= tint[k] / 0.5f / 255.0f;
  // Illumination and colour cast of the photo around the occluder (half strength:
  // the surroundings are not a grey card).
  if (!tint_from_photo) {
    const cv::Scalar m = cv::mean(image(roi));
    const double luma = std::max(8.0, 0.114 * m[0] + 0.587 * m[1] + 0.299 * m[2]);
    const double light = std::pow(luma / 128.0, 0.5);
    for (int k = 0; k < 3; ++k) ch[k] *= float(light * std::pow(std::max(8.0, m[k]) / luma, 0.5));
  }
  // The face's light across the occluder (side light, a darker jaw), always:
  // a colour sampled from the photo carries the mean light, not its gradient.
  const cv::Mat shading = relative_light(image, mask, pts, roi, light_strength);
  for (int k = 0; k < 3; ++k) ch[k] = ch[k].mul(shading);
  cv::merge(ch, col);

  // Optics: the photo's own blur (which also feathers the alpha edge) and its noise.
  cv::GaussianBlur(col, col, cv::Size(0, 0), blur);
  cv::GaussianBlur(alpha, alpha, cv::Size(0, 0), blur);
  if (src.noise_sigma > 0.3f) {
    cv::Mat noise(col.size(), CV_32FC3);
    cv::RNG cvrng(noise_seed);
    cvrng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0.0), cv::Scalar::all(src.noise_sigma / 255.0));
    col += noise;
  }

  cv::Mat img_f;
  image(roi).convertTo(img_f, CV_32F, 1.0 / 255.0);
  if (pl.shadow) {  // soft contact shadow on the face, offset towards the chin
    cv::Mat sh;
    const cv::Matx23f T(1, 0, shadow_shift.x, 0, 1, shadow_shift.y);
    cv::warpAffine(alpha, sh, T, alpha.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    cv::GaussianBlur(sh, sh, cv::Size(0, 0), 0.03 * face + 0.5);
    cv::Mat shade = 1.0f - sh * shadow_strength;
    cv::Mat shade3;
    cv::merge(std::vector<cv::Mat>{shade, shade, shade}, shade3);
    img_f = img_f.mul(shade3);
  }
  cv::Mat a3;
  cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
  const bool photographed = asset.recolor == Recolor::None || asset.recolor == Recolor::Dye ||
                            asset.recolor == Recolor::Texture || asset.recolor == Recolor::SkinTone;
  if (poisson && photographed) col = poisson_colours(col, img_f, alpha);
  img_f = img_f.mul(cv::Scalar::all(1.0) - a3) + col.mul(a3);  // Scalar::all: a bare 1.0 is (1,0,0,0)
  img_f.convertTo(image(roi), CV_8U, 255.0);

  cv::Mat a8;
  alpha.convertTo(a8, CV_8U, 255.0);
  cv::Mat mroi = mask(roi);
  if (asset.covers != "none") cv::max(mroi, a8, mroi);  // clear glasses are worn, not an occlusion
  return pl;
}

}  // namespace faceocc
