// occgen's landmark cache (landmark_cache.hpp), a file a crash, a disk or a hand may have
// damaged: read it, then take the faces it lists from a photo as index_faces does
// (add_faces). A bad file is a miss (detect again); a bad face is skipped with a reason;
// every face kept is a crop of the asked size with its landmarks near it.
#include <cmath>
#include <cstdlib>

#include "faceocc/gen/face_source.hpp"
#include "faceocc/gen/landmark_cache.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cv::Mat photo = [] {
    cv::Mat img(160, 120, CV_8UC3);
    cv::randu(img, 0, 255);
    return img;
  }();
  const auto dir = faceocc::fuzz::scratch("cache");
  faceocc::fuzz::write(dir / "key.txt", std::string(reinterpret_cast<const char*>(data), size));
  const auto found = faceocc::read_landmark_cache(dir / "key.txt");
  if (!found) return 0;
  faceocc::FaceIndexOptions o;
  o.size = 96;
  std::vector<faceocc::FaceSource> faces;
  std::vector<faceocc::SkippedInput> skipped;
  faceocc::add_faces(photo, "p.png", *found, o, faces, skipped);
  if (faces.size() + skipped.size() < std::max<size_t>(1, found->size())) std::abort();
  for (const auto& f : faces) {
    if (f.crop.size() != cv::Size(96, 96) || !std::isfinite(f.noise_sigma)) std::abort();
    for (const auto& q : f.points)
      if (!(q.x > -96 && q.x < 192 && q.y > -96 && q.y < 192)) std::abort();
  }
  return 0;
}
