#include "faceocc/gen/canonical_face.hpp"

namespace faceocc {

const Landmarks68& canonical_face_68() {
  static const Landmarks68 pts = {{
      {19.7f, 53.1f}, {19.5f, 63.4f}, {20.4f, 73.8f}, {22.9f, 84.0f}, {27.3f, 93.5f}, {33.4f, 101.9f}, {40.4f, 109.2f},
      {47.9f, 115.4f}, {56.8f, 117.4f}, {66.4f, 115.8f}, {75.8f, 110.2f}, {84.5f, 103.2f}, {92.1f, 94.8f}, {97.3f, 85.0f},
      {100.1f, 74.0f}, {101.3f, 62.8f}, {101.5f, 51.6f}, {25.4f, 42.4f}, {30.2f, 39.3f}, {36.2f, 38.9f}, {42.4f, 40.4f},
      {48.1f, 43.4f}, {62.0f, 43.0f}, {68.7f, 40.0f}, {76.0f, 38.9f}, {83.3f, 39.9f}, {89.4f, 43.4f}, {55.0f, 52.5f},
      {54.6f, 59.7f}, {54.1f, 66.8f}, {53.6f, 74.0f}, {47.0f, 78.6f}, {50.6f, 80.3f}, {54.6f, 81.7f}, {58.9f, 80.4f},
      {63.1f, 78.9f}, {32.1f, 52.4f}, {36.3f, 50.1f}, {41.6f, 50.5f}, {46.1f, 54.2f}, {41.1f, 55.0f}, {35.9f, 54.7f},
      {66.4f, 54.4f}, {71.0f, 50.7f}, {76.5f, 50.5f}, {81.4f, 52.9f}, {77.0f, 55.1f}, {71.5f, 55.3f}, {40.6f, 89.8f},
      {45.7f, 88.1f}, {51.2f, 87.2f}, {55.1f, 88.3f}, {59.3f, 87.3f}, {66.0f, 88.3f}, {73.2f, 89.7f}, {66.4f, 96.8f},
      {59.9f, 100.0f}, {55.4f, 100.5f}, {51.0f, 99.8f}, {45.7f, 96.6f}, {42.8f, 90.5f}, {51.2f, 90.8f}, {55.2f, 91.3f},
      {59.4f, 90.8f}, {70.5f, 90.4f}, {59.7f, 94.3f}, {55.4f, 94.8f}, {51.4f, 94.1f},
  }};
  return pts;
}

const std::vector<int>& upper_anchor_landmarks() {
  static const std::vector<int> v = [] {
    std::vector<int> r{0, 16};
    for (int i = 17; i <= 30; ++i) r.push_back(i);
    for (int i = 36; i <= 47; ++i) r.push_back(i);
    return r;
  }();
  return v;
}

const std::vector<int>& lower_anchor_landmarks() {
  static const std::vector<int> v = [] {
    std::vector<int> r;
    for (int i = 1; i <= 15; ++i) r.push_back(i);
    for (int i = 27; i <= 35; ++i) r.push_back(i);
    for (int i = 48; i <= 67; ++i) r.push_back(i);
    return r;
  }();
  return v;
}

}  // namespace faceocc
