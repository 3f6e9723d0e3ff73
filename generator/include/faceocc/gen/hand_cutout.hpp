// A hand cut out of a photograph with a plain backdrop, and the measurements
// that decide whether it is usable as an occluder.
//
// Green screen: alpha from how far green leads red and blue, relative to the
// backdrop's own lead (measured on the frame), then the green spill on the
// skin's edges removed (green capped at the mean of red and blue).
// Plain wall: the wall's colour from the frame, a seed mask from the colour
// distance to it (chroma weighs more than brightness: walls shade), refined
// by GrabCut.
// Either way: the largest piece kept, holes filled, the wrist found where the
// hand leaves the frame, the fingertip as the hand's point farthest from it.
//
// Thread safety: pure function.
#pragma once
#include <string>

#include <opencv2/core.hpp>

namespace faceocc {

enum class HandBackdrop { GreenScreen, PlainWall };

struct HandCutoutOptions {
  double min_area = 0.06, max_area = 0.60;  // hand's share of the photo
  double min_main_piece = 0.97;             // largest connected piece / all the alpha
  double max_other_sides = 0.04;            // share of any frame side but the wrist's the hand may touch
  double min_skin = 0.80;                   // share of the hand with skin chroma (sleeves, keying failures)
  double min_sharpness = 6.0;               // Laplacian standard deviation inside the hand (motion blur)
  int grabcut_iterations = 3;
};

struct HandCutout {
  cv::Mat bgra;              // the hand, cropped to its alpha (+ 2 px), spill-free colours, soft alpha
  cv::Point2f wrist, tip;    // in `bgra` pixels: where the arm leaves the photo, the farthest point from it
  cv::Point2f centre;        // centroid of the hand beyond 35 % of the wrist-to-tip length (palm and fingers)
  float palm_width = 0;      // median width across the wrist-tip axis between 30 % and 70 % of it, px
  double area = 0;           // alpha share of the photo
  double main_piece = 0;     // largest piece's share of the alpha (before the rest is dropped)
  double other_sides = 0;    // the most any frame side but the wrist's is touched (share of that side)
  double skin = 0;           // share of opaque hand pixels with skin chroma (YCrCb)
  double sharpness = 0;      // Laplacian standard deviation inside the hand
  double solidity = 0;       // hand area / its convex hull's: ~0.9 a flat hand or fist, lower spread fingers
  int wrist_side = -1;       // 0 top, 1 right, 2 bottom, 3 left
  std::string rejected;      // "" when usable, else the first failed criterion with its value
};

// requires: photo is BGR 8-bit, at least 32 x 32.
// ensures: measurements always filled; bgra, wrist, tip, centre, palm_width only when the
// alpha has a piece at all; rejected names the first criterion of `opt` that failed.
HandCutout cut_out_hand(const cv::Mat& photo, HandBackdrop backdrop, const HandCutoutOptions& opt = {});

}  // namespace faceocc
