// The metadata of a model file handed to occcheck or an app (onnx_metadata.hpp): the
// protobuf walk, then the operating point read from it (covered_threshold.hpp).
// Every refusal is a std::runtime_error that names the file; anything else escaping,
// or an operating point outside its ranges, is a finding.
#include <cstdlib>

#include "faceocc/check/covered_threshold.hpp"
#include "faceocc/check/onnx_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto meta = faceocc::parse_onnx_metadata(bytes, "model.onnx");
    const auto t = faceocc::threshold_from_metadata(meta, "model.onnx");
    if (t && (!(t->threshold >= 0 && t->threshold <= 1) || !(t->temperature > 0))) std::abort();
    if (t)
      for (const char* v : {"", "argmax", "1%", "0.5"}) {
        try {
          (void)faceocc::resolve_operating_point(v, t);
        } catch (const std::invalid_argument&) {
        }
      }
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find("model.onnx") == std::string::npos) std::abort();
  }
  return 0;
}
