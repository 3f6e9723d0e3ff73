// A user's image file, decoded through the project's guards:
//   1. its header's width x height is read and checked before a pixel is allocated (a
//      100 KB PNG can claim 30 000 x 30 000 px: 2.7 GB once decoded; OpenCV's own limit
//      lets 1 Gpx through);
//   2. it is decoded (EXIF orientation honoured);
//   3. it is checked whole (image_check.hpp: OpenCV fills a truncated JPEG with grey).
// Every tool that reads photos or occluder images from a user reads them here.
//
// Thread safety: pure functions.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace faceocc {

// 120 megapixels: above any phone camera's 108 MP sensor; the classifier needs 112 px faces.
constexpr int64_t kMaxImagePixels = 120'000'000;

struct ImageRead {
  cv::Mat image;        // empty when `problem` says why
  std::string problem;  // "" when the image is whole and within the size limit
};

// The size a JPEG, PNG, WebP or BMP header claims; nullopt for any other bytes or a
// header too short to say.
std::optional<cv::Size> header_size(const std::string& bytes);

// requires: flags one of cv::IMREAD_COLOR, IMREAD_GRAYSCALE, IMREAD_UNCHANGED.
// ensures: image decoded, or a one-line problem ("not a JPEG, PNG, WebP or BMP image",
// "over the 120 MP limit: its header claims 30000 x 30000 px (900 MP); ...", "truncated JPEG ...", ...).
ImageRead decode_image(const std::string& bytes, int flags = cv::IMREAD_COLOR);

// decode_image of the file's bytes; "cannot read file" when it cannot be read.
ImageRead read_image(const std::filesystem::path& file, int flags = cv::IMREAD_COLOR);

}  // namespace faceocc
