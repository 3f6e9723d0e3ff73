// occpredict: what an app team runs on a photo. Finds and aligns the face,
// classifies what is covered, and says what the user should uncover. Parses
// options and calls the Predictor (predictor.hpp), which is what an app embeds.
//
//   occpredict --run runs/occtrain-20261127-210000 selfie.jpg more_photos/
//   occpredict --run RUN --export model.onnx                # for the app (ONNX; .pt: TorchScript)
//   occpredict --run RUN --operating-point 1% selfie.jpg    # another stored threshold
// A face is "retake" when 1 - p(none) reaches the run's operating point (occtrain
// --max-false-reject; covered_threshold.hpp). With several faces the largest is
// judged (--all-faces: each). Exit: 0 all photos had a face; 4 some had no face
// or could not be read; 2 bad arguments (an --operating-point the run has no threshold for);
// 1 a run folder it cannot trust (no config.ini, a damaged checkpoint, a
// --task binary run given photos).
#include <iostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/check/photo_options.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/export/onnx_export.hpp"
#include "faceocc/train/export/predictor.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "faceocc/train/export/torchscript_export.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  std::string run, exp, config;
  PhotoOptions ph;
  int threads = 0;
  po::options_description desc("occpredict: classify which part of the face is covered, and say what to uncover\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occpredict.ini"), "INI file of defaults (skipped if the default is absent)")
      ("run", po::value(&run), "occtrain run folder (uses its best.pt and config.ini)")
      ("export", po::value(&exp), "write the model and exit: FILE.onnx as ONNX (float [N,112,112,3] RGB 0..255 -> probabilities), "
                                  "any other name as TorchScript (uint8 [N,112,112,3] RGB -> probabilities)")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)");
  po::positional_options_description pos;
  add_photo_options(desc, ph, pos);
  try {
    po::variables_map vm;
    parse_with_config(argc, argv, desc, vm, &pos);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    if (run.empty()) throw po::error("--run RUN_FOLDER is required");
    if (!fs::is_regular_file(RunDir(run).best_model())) throw po::error(run + "/best.pt not found (an occtrain run folder?)");
    if (exp.empty() && ph.inputs.empty()) throw po::error("no photos given");
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n(see occpredict --help)\n";
    return 2;
  }
  tune_cpu({threads, true});
  try {
    if (!exp.empty()) {  // as occtrain exports: calibrated, and the ONNX file carries the operating point
      const RunDir rd(run);
      OcclusionNet net = rd.load_best();
      const double temperature = rd.temperature();
      fold_temperature(net, temperature);
      auto op = resolve_operating_point(ph.operating_point, rd.operating_point());
      if (op) op->temperature = temperature;  // what the exported weights fold in
      const bool onnx = fs::path(exp).extension() == ".onnx";
      if (onnx) export_onnx(net, exp, model_metadata(op, temperature));
      else export_torchscript(net, exp);
      std::cout << "occpredict: wrote " << (onnx ? "ONNX" : "TorchScript") << " model " << exp << " (" << net->num_classes << " classes"
                << (onnx ? "; " + describe(op) : std::string()) << ")\n";
      return 0;
    }
    Predictor predictor(run, ph.detector);
    if (!predictor.verified()) std::cerr << "occpredict: " << run << "/best.pt has no checksum (written by an older occtrain): not verified\n";
    predictor.set_operating_point(resolve_operating_point(ph.operating_point, predictor.stored_operating_point()));
    std::cerr << "occpredict: deciding: " << describe(predictor.operating_point()) << "\n";
    const int missing = judge_photos(ph.inputs, ph.jsonl, ph.all_faces, "occpredict",
                                     [&](const cv::Mat& img) { return predictor.classify_photo(img); }, std::cout, std::cerr);
    return missing ? 4 : 0;
  } catch (const std::invalid_argument& e) {  // --operating-point the run cannot answer
    std::cerr << "occpredict: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n";
    return 1;
  }
}
