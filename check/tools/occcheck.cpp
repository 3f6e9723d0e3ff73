// occcheck: the capture-time check exactly as an app runs it, linking OpenCV
// only (no LibTorch, no dlib): BlazeFace finds the face, it is aligned as in
// training, and the exported classifier (model.onnx) says what is covered.
// Parses options and calls CaptureCheck (faceocc/check/capture_check.hpp).
//
//   occcheck --model runs/occtrain-<time>/model.onnx selfie.jpg photos/
// It decides with the operating point stored in the model (--operating-point overrides
// it), and its answers equal occpredict's (the same run's best.pt through LibTorch).
// Exit: 0 every photo had a face; 4 some had none or could not be read;
// 2 bad arguments; 1 a model it cannot use.
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>
#include <opencv2/core/utility.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/capture_check.hpp"
#include "faceocc/check/photo_options.hpp"
#include "faceocc/cli_config.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  std::string model, config;
  PhotoOptions ph;
  int threads = 1;
  po::options_description desc("occcheck: the capture-time check with OpenCV only (ONNX classifier + ONNX BlazeFace)\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occcheck.ini"), "INI file of defaults (skipped if the default is absent)")
      ("model", po::value(&model), "the exported classifier: model.onnx, or an occtrain run folder holding one")
      ("threads", po::value(&threads)->default_value(1), "OpenCV threads (1: as on a phone's capture path; 0 = OpenCV's default)");
  po::positional_options_description pos;
  add_photo_options(desc, ph, pos);
  try {
    po::variables_map vm;
    parse_with_config(argc, argv, desc, vm, &pos);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (model.empty()) throw po::error("--model MODEL.onnx is required");
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024");
    if (ph.inputs.empty()) throw po::error("no photos given");
  } catch (const std::exception& e) {
    std::cerr << "occcheck: " << e.what() << "\n(see occcheck --help)\n";
    return 2;
  }
  cv::setNumThreads(threads == 1 ? 0 : threads);  // 0: OpenCV runs in the calling thread
  try {
    const fs::path file = fs::is_directory(model) ? fs::path(model) / "model.onnx" : fs::path(model);
    CaptureCheck check(file, ph.detector);
    try {
      check.set_operating_point(resolve_operating_point(ph.operating_point, check.stored_operating_point()));
    } catch (const std::invalid_argument& e) {
      std::cerr << "occcheck: " << e.what() << "\n";
      return 2;
    }
    std::cerr << "occcheck: deciding: " << describe(check.operating_point()) << "\n";
    const int missing = judge_photos(ph.inputs, ph.jsonl, ph.all_faces, "occcheck", [&](const cv::Mat& img) { return check.check(img); },
                                     std::cout, std::cerr);
    return missing ? 4 : 0;
  } catch (const std::exception& e) {
    std::cerr << "occcheck: " << e.what() << "\n";
    return 1;
  }
}
