// occeval: scores exported models (TorchScript, as occtrain writes them) on real
// labelled photos, and compares them. Parses options and calls evaluate()
// (evaluation.hpp).
//
//   occeval --model runs/A --real ../shared/data/dev --out eval/       # one model
//   occeval --model champion.pt --model challenger.pt --compare ...   # McNemar: promote B?
//   occeval --model BINARY_RUN --model REGION_RUN --cascade ...       # binary -> region vs region alone
//   occeval --predictions A.csv --predictions B.csv                   # McNemar on two earlier predictions_*.csv
//     (models scored by different builds or pipelines, e.g. old vs new face finder, on the same photos)
// Writes per model: predictions_<label>.csv, metrics_<label>.json, confusion_<label>.png,
// errors_<label>.png (the misclassified photos, by cell, most confident first);
// with --compare, compare.json ("promote": true|false); with --cascade, cascade.json.
// Exit: 0 done; 1 a model or data problem; 2 bad arguments.
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/eval/evaluation.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  EvaluateOptions o;
  std::vector<std::string> real, prediction_files;
  std::string out, cache, detector, config;
  bool compare = false, cascade = false;
  po::options_description desc("occeval: score occtrain models on real labelled photos and compare them\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occeval.ini"), "INI file of defaults (skipped if the default is absent)")
      ("model", po::value(&o.models)->multitoken(), "TorchScript model or occtrain run folder (repeatable)")
      ("predictions", po::value(&prediction_files)->multitoken(), "two earlier predictions_<label>.csv files: McNemar on their common photos (no model is run)")
      ("label", po::value(&o.labels)->multitoken(), "a name per model for file names and reports (default m1, m2, ...)")
      ("real", po::value(&real)->multitoken(), "real photos: ROOT/<class>/* folder or path,class CSV (repeatable)")
      ("out", po::value(&out)->default_value("out/occeval"), "output folder")
      ("compare", po::bool_switch(&compare), "two models, A then B: McNemar's exact test on the same photos; promote B if it wins at --alpha")
      ("alpha", po::value(&o.alpha)->default_value(0.05), "significance level for --compare")
      ("cascade", po::bool_switch(&cascade), "two models, a binary one then a 4-class one: the cascade against the 4-class model alone")
      ("gallery", po::value(&o.gallery)->default_value(24), "mistakes per (true -> predicted) cell in errors_<label>.png (0 = none)")
      ("threads", po::value(&o.threads)->default_value(0), "CPU threads (0 = all cores)")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  try {
    po::variables_map vm;
    parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (compare && cascade) throw po::error("--compare or --cascade, not both");
    o.mode = compare ? EvaluateOptions::Mode::Compare : cascade ? EvaluateOptions::Mode::Cascade : EvaluateOptions::Mode::Each;
    o.real = {real.begin(), real.end()}, o.out = out, o.cache = cache, o.detector = detector;
    if (!prediction_files.empty()) {
      if (prediction_files.size() != 2 || !o.models.empty()) throw po::error("--predictions takes exactly two files, and no --model");
    } else {
      check_evaluate_options(o);
    }
  } catch (const std::exception& e) {
    std::cerr << "occeval: " << e.what() << "\n(see occeval --help)\n";
    return 2;
  }
  try {
    if (!prediction_files.empty()) {
      std::cout << "occeval: " << compare_prediction_files(prediction_files[0], prediction_files[1]) << "\n";
      return 0;
    }
    tune_cpu({o.threads, true});
    std::cout << evaluate(o, [](const std::string& l) { std::cerr << "occeval: " << l << "\n"; }).report;
  } catch (const std::exception& e) {
    std::cerr << "occeval: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
