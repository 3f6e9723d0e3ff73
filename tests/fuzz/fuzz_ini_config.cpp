// The INI files the CLIs read (--config, configs/*.ini) through parse_with_config, with
// every kind of option the CLIs declare; and a run folder's config.ini through read_ini.
// A bad file is a boost::program_options error (the CLIs exit 2 with it), nothing else.
#include <cstdlib>

#include "faceocc/cli_config.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace po = boost::program_options;
  const auto dir = faceocc::fuzz::scratch("ini");
  const std::string file = (dir / "config.ini").string();
  faceocc::fuzz::write(file, std::string(reinterpret_cast<const char*>(data), size));
  int64_t count;
  uint64_t seed;
  int threads;
  double mix;
  float covered;
  std::string out;
  std::vector<std::string> more;
  bool resume;
  po::options_description desc;
  desc.add_options()("config", po::value<std::string>()->default_value(file), "")("count", po::value(&count), "")(
      "seed", po::value(&seed), "")("threads", po::value(&threads), "")("mix", po::value(&mix), "")(
      "covered", po::value(&covered), "")("out", po::value(&out), "")("more-occluders", po::value(&more)->multitoken(), "")(
      "resume", po::bool_switch(&resume), "");
  char arg0[] = "fuzz";
  char* argv[] = {arg0, nullptr};
  po::variables_map vm;
  try {
    faceocc::parse_with_config(1, argv, desc, vm);
    (void)faceocc::settings_lines(vm);
  } catch (const po::error&) {
  }
  for (const auto& [k, v] : faceocc::read_ini(file))
    if (k.empty() && v.size() > size) std::abort();
  return 0;
}
