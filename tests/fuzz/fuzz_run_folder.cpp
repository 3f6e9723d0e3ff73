// A run folder as occpredict, occeval and occtrain --resume read it: config.ini (which
// head, which task), best.pt (the checkpoint's header: tap, classes, checksum; then
// the weights), operating_point.json and calibration_val.json (occpredict's threshold and
// temperature). Up to four parts of the input; an empty part leaves its file out. Every refusal is a std::runtime_error that names
// the file; anything else escaping is a finding.
#include <cstdlib>

#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto p = faceocc::fuzz::parts(data, size, 4);
  const auto dir = faceocc::fuzz::scratch("run");
  faceocc::fuzz::write(dir / "config.ini", p[0]);
  faceocc::fuzz::write(dir / "best.pt", p[1]);
  if (!p[2].empty()) faceocc::fuzz::write(dir / "operating_point.json", p[2]);
  if (!p[3].empty()) faceocc::fuzz::write(dir / "calibration_val.json", p[3]);
  const faceocc::RunDir run(dir);
  auto named = [](const std::runtime_error& e, const char* file) {
    if (std::string(e.what()).find(file) == std::string::npos) std::abort();
  };
  try {
    (void)run.tap();
    (void)run.task();
  } catch (const std::runtime_error& e) {
    named(e, "config.ini");
  }
  try {
    (void)faceocc::checkpoint_model(run.best_model());
  } catch (const std::runtime_error& e) {
    named(e, "best.pt");
  }
  try {
    if (const auto t = run.operating_point(); t && !(t->threshold >= 0 && t->threshold <= 1)) std::abort();
  } catch (const std::runtime_error& e) {
    named(e, "operating_point.json");
  }
  try {
    if (!(run.temperature() > 0)) std::abort();
  } catch (const std::runtime_error& e) {
    named(e, "calibration_val.json");
  }
  try {
    (void)run.load_best();
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find("best.pt") == std::string::npos && std::string(e.what()).find("config.ini") == std::string::npos)
      std::abort();
  }
  return 0;
}
