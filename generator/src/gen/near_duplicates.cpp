#include "faceocc/gen/near_duplicates.hpp"

#include <bitset>
#include <stdexcept>
#include <unordered_map>

#include <opencv2/imgproc.hpp>

namespace faceocc {

uint64_t dhash(const cv::Mat& image) {
  cv::Mat g = image, small;
  if (image.channels() == 3) cv::cvtColor(image, g, cv::COLOR_BGR2GRAY);
  else if (image.channels() == 4) cv::cvtColor(image, g, cv::COLOR_BGRA2GRAY);
  cv::resize(g, small, cv::Size(9, 8), 0, 0, cv::INTER_AREA);
  uint64_t h = 0;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) h = (h << 1) | uint64_t(small.at<uchar>(y, x) > small.at<uchar>(y, x + 1));
  return h;
}

long count_near_duplicates(const std::vector<uint64_t>& hashes, int max_distance) {
  if (max_distance < 0 || max_distance > 3) throw std::invalid_argument("count_near_duplicates: max_distance must be 0..3");
  std::unordered_map<uint64_t, std::vector<size_t>> blocks;  // (block index, 16-bit value) -> earlier images
  long count = 0;
  for (size_t j = 0; j < hashes.size(); ++j) {
    bool dup = false;
    for (int b = 0; b < 4 && !dup; ++b) {
      const uint64_t key = (uint64_t(b) << 16) | ((hashes[j] >> (16 * b)) & 0xffff);
      auto it = blocks.find(key);
      if (it == blocks.end()) continue;
      for (size_t i : it->second)
        if (int(std::bitset<64>(hashes[i] ^ hashes[j]).count()) <= max_distance) { dup = true; break; }
    }
    count += dup;
    for (int b = 0; b < 4; ++b) blocks[(uint64_t(b) << 16) | ((hashes[j] >> (16 * b)) & 0xffff)].push_back(j);
  }
  return count;
}

}  // namespace faceocc
