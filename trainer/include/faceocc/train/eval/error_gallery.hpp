// Pictures of single mistakes: a contact sheet of the misclassified photos,
// one row per (true -> predicted) cell in class order, the most confident
// mistakes first, each tile the aligned crop the model saw beside a thumbnail
// of the original photo, its file name and the class probabilities. Also the
// review sheet of likely label errors (same tiles, "given -> suggested").
//
// Thread safety: pure functions; the writers read the photos from disk.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace faceocc {

// One photo as scored: where it is, what it is, what the model said.
struct ScoredPhoto {
  std::string path;          // the original photo (for the thumbnail and the name)
  int truth = 0, predicted = 0;
  std::vector<float> probs;  // per class
  cv::Mat crop;              // the aligned BGR crop the model saw (may be empty: then the photo alone)
};

struct GalleryCell {
  int truth = 0, predicted = 0;
  long total = 0;               // mistakes in this cell
  std::vector<size_t> shown;    // indices into the photos, most confident first, at most per_cell
};

// The cells with at least one mistake, in (truth, predicted) order; within a
// cell, by the probability of the wrong class, highest first (ties: by path).
std::vector<GalleryCell> plan_error_gallery(const std::vector<ScoredPhoto>& photos, int classes, int per_cell);

// Draws the gallery (plan_error_gallery) as a PNG, written atomically. A sheet
// without mistakes says so. Throws std::runtime_error naming the file when it
// cannot be written.
void write_error_gallery(const std::vector<ScoredPhoto>& photos, const std::vector<std::string>& names, int per_cell,
                         const std::string& title, const std::filesystem::path& file);

// A sheet of the given photos in the given order, labelled "given -> suggested"
// (truth -> predicted): the review list's picture.
void write_photo_sheet(const std::vector<ScoredPhoto>& photos, const std::vector<size_t>& order, const std::vector<std::string>& names,
                       const std::string& title, const std::filesystem::path& file);

struct ImageSet;

// The photos of `set` as scored (aligned crops from the set, paths for the thumbnails).
// requires: one truth, prediction and probability row per sample.
std::vector<ScoredPhoto> scored_photos(const ImageSet& set, const std::vector<int>& truth, const std::vector<int>& predicted,
                                       const std::vector<std::vector<float>>& probs);

}  // namespace faceocc
