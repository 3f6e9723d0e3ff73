// Image decoding through the project's guards (image_read.hpp): never throws; an image
// comes back exactly when no problem is named, and never over the pixel limit.
#include <cstdlib>

#include "faceocc/image_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (int flags : {cv::IMREAD_COLOR, cv::IMREAD_GRAYSCALE, cv::IMREAD_UNCHANGED}) {
    const faceocc::ImageRead r = faceocc::decode_image(bytes, flags);
    if (r.image.empty() == r.problem.empty()) std::abort();
    if (!r.image.empty() && int64_t(r.image.total()) > faceocc::kMaxImagePixels) std::abort();
  }
  return 0;
}
