// occembed: finds every face in a folder of photos, aligns it onto the
// InsightFace 112x112 template and embeds it with the pretrained MobileFaceNet.
// Until occgen/occtrain land this is faceocc's main job: it exercises
// detection, landmarks, alignment, the weight import and the network end to end.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/face/align.hpp"
#include "faceocc/face/landmarks.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/gen/face_source.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/model/pretrained.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;

int main(int argc, char** argv) {
  std::string faces_dir, weights, predictor, out_dir, config;
  int upsample = 1, threads = 0;
  bool show_summary = false;
  po::options_description desc("occembed: detect, align and embed every face in a folder of photos");
  desc.add_options()
      ("help,h", "show this help")
      ("config", po::value(&config), "INI file of defaults (e.g. configs/occembed.ini); the command line wins")
      ("faces", po::value(&faces_dir)->default_value(faceocc::default_faces_dir().string()), "folder of photos (recursive)")
      ("weights", po::value(&weights)->default_value(faceocc::default_weights_json().string()), "TF.js model.json of MobileFaceNet")
      ("shape-predictor", po::value(&predictor)->default_value(faceocc::default_shape_predictor().string()), "dlib 68-point model")
      ("upsample", po::value(&upsample)->default_value(1), "times to double the photo before detection (finds smaller faces)")
      ("out", po::value(&out_dir), "write the 112x112 aligned crops here")
      ("threads", po::value(&threads)->default_value(0), "LibTorch threads (0 = all cores)")
      ("summary", po::bool_switch(&show_summary), "print the network's layer list");
  po::variables_map vm;
  try {
    faceocc::parse_with_config(argc, argv, desc, vm);
  } catch (const po::error& e) {
    std::cerr << "occembed: " << e.what() << "\n" << desc;
    return 2;
  }
  if (vm.count("help")) { std::cout << desc; return 0; }
  if (!fs::is_directory(faces_dir)) {
    std::cerr << "occembed: " << faces_dir << ": not a folder (run scripts/setup.sh for the default faces)\n";
    return 2;
  }
  faceocc::tune_cpu({threads, true});

  try {
    std::string how;
    faceocc::MobileFaceNet net = faceocc::load_pretrained(weights, &how);
    std::cout << "model: " << how << "\n";
    if (show_summary) std::cout << faceocc::summary(net);
    const faceocc::FaceFinder finder(predictor);

    const std::vector<fs::path> files = faceocc::list_images(faces_dir);
    if (!out_dir.empty()) fs::create_directories(out_dir);

    std::vector<cv::Mat> crops;
    std::vector<std::string> names;
    int unreadable = 0, no_face = 0;
    for (const fs::path& f : files) {
      const faceocc::ImageRead read = faceocc::read_image(f);  // honours EXIF orientation
      if (!read.problem.empty()) { std::cerr << "occembed: " << f.string() << ": " << read.problem << ", skipped\n"; ++unreadable; continue; }
      const cv::Mat& img = read.image;
      const auto found = finder.find(img, upsample);
      if (found.empty()) { std::cerr << "occembed: " << f.string() << ": no face found\n"; ++no_face; continue; }
      for (size_t i = 0; i < found.size(); ++i) {
        crops.push_back(faceocc::align_face(img, faceocc::five_points(found[i].points)));
        names.push_back(fs::relative(f, faces_dir).string() + "#" + std::to_string(i));
        if (!out_dir.empty()) {
          const fs::path dst = fs::path(out_dir) / (f.stem().string() + "_" + std::to_string(i) + ".png");
          std::vector<uchar> png;
          if (!cv::imencode(".png", crops.back(), png) || !faceocc::write_file_atomic(dst, png.data(), png.size()))
            std::cerr << "occembed: " << dst.string() << ": cannot write\n";
        }
      }
    }
    std::cout << "photos: " << files.size() << ", faces: " << crops.size() << ", no face: " << no_face
              << ", unreadable: " << unreadable << "\n";
    if (crops.empty()) { std::cerr << "occembed: no face found in " << faces_dir << "\n"; return 1; }

    torch::NoGradGuard no_grad;
    const torch::Tensor emb = net->forward(faceocc::preprocess_rgb_u8(faceocc::to_rgb_batch(crops)));
    const torch::Tensor unit = torch::nn::functional::normalize(emb, torch::nn::functional::NormalizeFuncOptions().dim(1));
    const torch::Tensor cos = unit.matmul(unit.t()).fill_diagonal_(-1.0);
    std::printf("%-28s %8s  %-28s %8s\n", "face", "|emb|", "most similar other face", "cosine");
    for (int64_t i = 0; i < emb.size(0); ++i) {
      const int64_t j = cos[i].argmax().item<int64_t>();
      std::printf("%-28s %8.2f  %-28s %8.3f\n", names[i].c_str(), emb[i].norm().item<double>(),
                  crops.size() > 1 ? names[j].c_str() : "-", crops.size() > 1 ? cos[i][j].item<double>() : 0.0);
    }
  } catch (const std::exception& e) {
    std::cerr << "occembed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
