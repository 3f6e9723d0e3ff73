// A model file handed to occcheck --model (what an app loads): the ONNX graph OpenCV's dnn
// reads and the check's probe classification. Refused by a std::runtime_error naming the
// file, or loaded; anything else escaping is a finding.
#include <cstdlib>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/capture_check.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = faceocc::fuzz::scratch("onnx");
  faceocc::fuzz::write(dir / "model.onnx", std::string(reinterpret_cast<const char*>(data), size));
  try {
    const faceocc::CaptureCheck check(dir / "model.onnx", faceocc::default_detector_dir());
    (void)check.classify_crop(cv::Mat(112, 112, CV_8UC3, cv::Scalar::all(100)));
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.find("model.onnx") == std::string::npos && what.find("classifier") == std::string::npos) std::abort();
  }
  return 0;
}
