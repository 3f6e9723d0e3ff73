// occrealism: how far synthetic occlusions are from real ones (see
// faceocc/train/eval/realism_meter.hpp): per family, the cross-validated AUC of a
// logistic regression telling real aligned crops from occgen's on the
// pretrained network's features. 0.5 = indistinguishable.
//
//   occrealism --real ../shared/data/dev --synthetic out/occgen --out out/realism
// Writes OUT/realism.md, OUT/realism.json and OUT/realism.png (run_realism,
// realism_run.hpp). Exit: 0 done; 1 data problem; 2 bad arguments.
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/eval/realism_run.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  std::vector<std::string> real, synth;
  std::string out, cache, detector, weights, config;
  RealismRunOptions o;
  po::options_description desc("occrealism: how far synthetic occlusions are from real ones, per family\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occrealism.ini"), "INI file of defaults (command line wins)")
      ("real", po::value(&real)->multitoken(), "real labelled photos: ROOT/<class>/* or path,class CSV (repeatable)")
      ("synthetic", po::value(&synth)->multitoken(), "occgen output folder(s) made with --aligned 112")
      ("out", po::value(&out)->default_value("out/realism"), "output folder")
      ("per-group", po::value(&o.meter.per_group)->default_value(300), "real and synthetic crops per row, each at most")
      ("folds", po::value(&o.meter.folds)->default_value(5), "cross-validation folds")
      ("seed", po::value(&o.meter.seed)->default_value(1), "sampling and fold seed")
      ("threads", po::value(&o.threads)->default_value(0), "CPU threads (0 = all cores)")
      ("weights", po::value(&weights)->default_value(default_weights_json().string()), "pretrained TF.js model.json")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  po::variables_map vm;
  try {
    parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (real.empty() || synth.empty()) throw po::error("--real and --synthetic are required");
    if (o.meter.per_group < 20 || o.meter.per_group > 100000) throw po::error("--per-group must be in 20..100000");
    if (o.meter.folds < 2 || o.meter.folds > 20) throw po::error("--folds must be in 2..20");
    if (o.threads < 0 || o.threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
  } catch (const po::error& e) {
    std::cerr << "occrealism: " << e.what() << " (see --help)\n";
    return 2;
  }
  try {
    tune_cpu({o.threads});
    o.real = {real.begin(), real.end()}, o.synthetic = {synth.begin(), synth.end()};
    o.out = out, o.weights = weights, o.cache = cache, o.detector = detector;
    std::cout << run_realism(o, [](const std::string& l) { std::cerr << "occrealism: " << l << "\n"; }).markdown
              << "occrealism: " << out << "/realism.md, realism.json, realism.png\n";
  } catch (const std::exception& e) {
    std::cerr << "occrealism: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
