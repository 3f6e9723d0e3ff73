// occpredict: what an app team runs on a photo. Finds and aligns the face,
// classifies what is covered, and says what the user should uncover.
//
//   occpredict --run runs/occtrain-20261127-210000 selfie.jpg more_photos/
//   occpredict --run RUN --export model.torchscript.pt      # for the app
// Exit: 0 all photos had a face; 4 some had no face or could not be read; 2 bad arguments.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/cpu_tuning.hpp"
#include "faceocc/train/datasets.hpp"
#include "faceocc/train/image_batch.hpp"
#include "faceocc/train/torchscript_export.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

static const char* kClass[] = {"0_0_0", "1_1_0", "1_0_1", "1_1_1"};
static const char* kName[] = {"none", "upper", "lower", "both"};
static const char* kAdvice[] = {
    "face fully visible: OK",
    "your eyes look covered: move hair away from your eyes or take off sunglasses",
    "your mouth or chin looks covered: remove the mask, scarf or hand",
    "your eyes and mouth look covered: uncover your whole face"};

// The head's tap is recorded in the run's config.ini ("tap = ...").
static FeatureTap run_tap(const fs::path& run) {
  std::ifstream in(run / "config.ini");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("tap = ", 0) == 0) return parse_tap(line.substr(6));
  return FeatureTap::GDConv;
}

int main(int argc, char** argv) {
  std::string run, predictor, exp;
  std::vector<std::string> inputs;
  bool jsonl = false;
  int threads = 0;
  po::options_description desc("occpredict: classify which part of the face is covered, and say what to uncover\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("run", po::value(&run), "occtrain run folder (uses its best.pt and config.ini)")
      ("jsonl", po::bool_switch(&jsonl), "one JSON object per photo instead of text")
      ("export", po::value(&exp), "write the model as TorchScript (uint8 [N,112,112,3] RGB -> probabilities) and exit")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)")
      ("shape-predictor", po::value(&predictor)->default_value(default_shape_predictor().string()), "dlib 68-point model")
      ("input", po::value(&inputs), "photos or folders");
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (run.empty()) throw po::error("--run RUN_FOLDER is required");
    if (!fs::is_regular_file(fs::path(run) / "best.pt")) throw po::error(run + "/best.pt not found (an occtrain run folder?)");
    if (exp.empty() && inputs.empty()) throw po::error("no photos given");
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n(see occpredict --help)\n";
    return 2;
  }
  tune_cpu({threads, true});
  try {
    OcclusionNet net(run_tap(run), 4);
    torch::load(net, (fs::path(run) / "best.pt").string());
    net->eval();
    if (!exp.empty()) {
      export_torchscript(net, exp);
      std::cout << "occpredict: wrote TorchScript model " << exp << "\n";
      return 0;
    }
    std::vector<fs::path> files;
    for (const auto& in : inputs) {
      if (fs::is_directory(in)) for (auto& f : list_images(in)) files.push_back(f);
      else files.push_back(in);
    }
    const FaceFinder finder(predictor);
    int missing = 0;
    torch::NoGradGuard ng;
    for (const auto& f : files) {
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      nlohmann::ordered_json j;
      j["file"] = f.string();
      if (img.empty()) {
        ++missing;
        j["error"] = "cannot read image";
      } else {
        const AlignedPhoto a = align_photo(img, finder);
        if (!a.face_found) {
          ++missing;
          j["error"] = "no face found";
        } else {
          const torch::Tensor p = torch::softmax(net->forward(preprocess_rgb_u8(to_rgb_batch({a.crop}))), 1)[0];
          const int c = int(p.argmax().item<int64_t>());
          j["class"] = kClass[c];
          j["name"] = kName[c];
          for (int k = 0; k < 4; ++k) j["probabilities"][kName[k]] = std::round(p[k].item<double>() * 1e4) / 1e4;
          j["message"] = kAdvice[c];
        }
      }
      if (jsonl) {
        std::cout << j.dump() << "\n";
      } else if (j.contains("error")) {
        std::cout << f.string() << ": " << j["error"].get<std::string>() << "\n";
      } else {
        std::printf("%s: %s (%s)  none %.2f  upper %.2f  lower %.2f  both %.2f  -> %s\n", f.string().c_str(),
                    j["name"].get<std::string>().c_str(), j["class"].get<std::string>().c_str(),
                    j["probabilities"]["none"].get<double>(), j["probabilities"]["upper"].get<double>(),
                    j["probabilities"]["lower"].get<double>(), j["probabilities"]["both"].get<double>(),
                    j["message"].get<std::string>().c_str());
      }
    }
    return missing ? 4 : 0;
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n";
    return 1;
  }
}
