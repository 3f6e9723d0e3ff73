// A run folder as occpredict, occeval and occtrain --resume read it: config.ini (which
// head, which task) and best.pt (the checkpoint's header: tap, classes, checksum; then
// the weights). Two parts of the input. Every refusal is a std::runtime_error that names
// the file; anything else escaping is a finding.
#include <cstdlib>

#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto p = faceocc::fuzz::parts(data, size, 2);
  const auto dir = faceocc::fuzz::scratch("run");
  faceocc::fuzz::write(dir / "config.ini", p[0]);
  faceocc::fuzz::write(dir / "best.pt", p[1]);
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
    (void)run.load_best();
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).find("best.pt") == std::string::npos && std::string(e.what()).find("config.ini") == std::string::npos)
      std::abort();
  }
  return 0;
}
