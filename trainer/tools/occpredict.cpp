// occpredict: what an app team runs on a photo. Finds and aligns the face,
// classifies what is covered, and says what the user should uncover.
//
//   occpredict --run runs/occtrain-20261127-210000 selfie.jpg more_photos/
//   occpredict --run RUN --export model.torchscript.pt      # for the app
// The face is found by BlazeFace (masks and sunglasses do not hide it) and
// aligned exactly as in training; with several faces the largest is judged
// (--all-faces: each). Exit: 0 all photos had a face; 4 some had no face or
// could not be read; 2 bad arguments; 1 a run folder it cannot trust (no
// config.ini, a damaged checkpoint, a --task binary run given photos).
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
#include "faceocc/face/find_and_align.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/checkpoint.hpp"
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

// What the run's config.ini says the checkpoint is: its head's tap and its task.
// A run folder without them is refused by name (guessing a head loads garbage).
struct RunModel {
  FeatureTap tap;
  int classes;
};
static RunModel run_model(const fs::path& run) {
  std::ifstream in(run / "config.ini");
  if (!in) throw std::runtime_error((run / "config.ini").string() + ": not found (it says which head best.pt has)");
  std::string tap, task = "region";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("tap = ", 0) == 0) tap = line.substr(6);
    if (line.rfind("task = ", 0) == 0) task = line.substr(7);
  }
  if (tap.empty()) throw std::runtime_error((run / "config.ini").string() + ": no 'tap = ' line");
  if (task != "region" && task != "binary") throw std::runtime_error((run / "config.ini").string() + ": unknown task '" + task + "'");
  return {parse_tap(tap), task == "binary" ? 2 : 4};
}

int main(int argc, char** argv) {
  std::string run, detector, exp;
  std::vector<std::string> inputs;
  bool jsonl = false, all_faces = false;
  int threads = 0;
  po::options_description desc("occpredict: classify which part of the face is covered, and say what to uncover\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("run", po::value(&run), "occtrain run folder (uses its best.pt and config.ini)")
      ("jsonl", po::bool_switch(&jsonl), "one JSON object per photo instead of text")
      ("all-faces", po::bool_switch(&all_faces), "judge every face found (default: the largest, and say how many there are)")
      ("export", po::value(&exp), "write the model as TorchScript (uint8 [N,112,112,3] RGB -> probabilities) and exit")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models")
      ("input", po::value(&inputs), "photos or folders");
  po::positional_options_description pos;
  pos.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    if (run.empty()) throw po::error("--run RUN_FOLDER is required");
    if (!fs::is_regular_file(fs::path(run) / "best.pt")) throw po::error(run + "/best.pt not found (an occtrain run folder?)");
    if (exp.empty() && inputs.empty()) throw po::error("no photos given");
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n(see occpredict --help)\n";
    return 2;
  }
  tune_cpu({threads, true});
  try {
    const RunModel rm = run_model(run);
    OcclusionNet net(rm.tap, rm.classes);
    if (!load_checkpoint(net, fs::path(run) / "best.pt"))
      std::cerr << "occpredict: " << run << "/best.pt has no checksum (written by an older occtrain): not verified\n";
    net->eval();
    if (!exp.empty()) {
      export_torchscript(net, exp);
      std::cout << "occpredict: wrote TorchScript model " << exp << " (" << rm.classes << " classes)\n";
      return 0;
    }
    if (rm.classes != 4)
      throw std::runtime_error(run + " is a --task binary run: occpredict judges the 4 regions; score it with occeval "
                               "(--cascade pairs it with a region model) or export it with --export");
    std::vector<fs::path> files;
    int missing = 0;  // photos without a judged face, unreadable entries included
    for (const auto& in : inputs) {
      if (!fs::is_directory(in)) { files.push_back(in); continue; }
      std::vector<std::string> unreadable;
      for (auto& f : list_images(in, &unreadable)) files.push_back(f);
      for (const auto& u : unreadable) std::cerr << "occpredict: skipped " << u << "\n";
      missing += int(unreadable.size());
    }
    const BlazeFace finder(detector);
    torch::NoGradGuard ng;
    // One line (or JSON object) per judged face; the largest face first.
    auto judge = [&](const AlignedFace& a, int index, nlohmann::ordered_json j) {
      const torch::Tensor p = torch::softmax(net->forward(preprocess_rgb_u8(to_rgb_batch({a.crop}))), 1)[0];
      const int c = int(p.argmax().item<int64_t>());
      j["faces"] = a.faces;
      if (all_faces) j["face"] = index;
      j["box"] = {std::lround(a.face.box.x), std::lround(a.face.box.y), std::lround(a.face.box.width), std::lround(a.face.box.height)};
      j["class"] = kClass[c];
      j["name"] = kName[c];
      for (int k = 0; k < 4; ++k) j["probabilities"][kName[k]] = std::round(p[k].item<double>() * 1e4) / 1e4;
      j["message"] = kAdvice[c];
      if (jsonl) { std::cout << j.dump() << "\n"; return; }
      std::string where = j["file"].get<std::string>();
      if (all_faces) where += " face " + std::to_string(index + 1) + "/" + std::to_string(a.faces);
      else if (a.faces > 1) where += " (largest of " + std::to_string(a.faces) + " faces)";
      std::printf("%s: %s (%s)  none %.2f  upper %.2f  lower %.2f  both %.2f  -> %s\n", where.c_str(),
                  kName[c], kClass[c], p[0].item<double>(), p[1].item<double>(), p[2].item<double>(),
                  p[3].item<double>(), kAdvice[c]);
    };
    for (const auto& f : files) {
      const cv::Mat img = cv::imread(f.string(), cv::IMREAD_COLOR);
      nlohmann::ordered_json j;
      j["file"] = f.string();
      std::vector<AlignedFace> faces;
      if (img.empty()) j["error"] = "cannot read image";
      else if (faces = find_and_align_all(img, finder, 112); faces.empty()) j["error"] = "no face found";
      if (j.contains("error")) {
        ++missing;
        if (jsonl) std::cout << j.dump() << "\n";
        else std::cout << f.string() << ": " << j["error"].get<std::string>() << "\n";
        continue;
      }
      for (size_t k = 0; k < (all_faces ? faces.size() : 1); ++k) judge(faces[k], int(k), j);
    }
    return missing ? 4 : 0;
  } catch (const std::exception& e) {
    std::cerr << "occpredict: " << e.what() << "\n";
    return 1;
  }
}
