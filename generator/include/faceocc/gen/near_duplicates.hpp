// Duplicate checks for a generated set: a difference hash per image (64 bits:
// is each of 8x8 cells brighter than its right neighbour, on a 9x8 grey
// thumbnail), and a count of images that have a near-duplicate among the
// earlier ones. Pure functions: thread-safe.
#pragma once
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

// requires: a non-empty 8-bit image (grey, BGR or BGRA).
uint64_t dhash(const cv::Mat& image);

// Number of hashes with an earlier one at Hamming distance <= max_distance
// (requires max_distance <= 3: candidates are found through 4 exact 16-bit
// blocks, one of which two hashes within distance 3 must share).
long count_near_duplicates(const std::vector<uint64_t>& hashes, int max_distance = 3);

}  // namespace faceocc
