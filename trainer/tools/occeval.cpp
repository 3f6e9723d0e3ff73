// occeval: scores exported models (TorchScript, as occtrain writes them) on real
// labelled photos, and compares them.
//
//   occeval --model runs/A --real ../shared/data/dev --out eval/       # one model
//   occeval --model champion.pt --model challenger.pt --compare ...   # McNemar: promote B?
//   occeval --model BINARY_RUN --model REGION_RUN --cascade ...       # binary -> region vs region alone
//   occeval --predictions A.csv --predictions B.csv                   # McNemar on two earlier predictions_*.csv
//     (models scored by different builds or pipelines, e.g. old vs new face finder, on the same photos)
// Writes per model: predictions_<label>.csv, metrics_<label>.json, confusion_<label>.png;
// with --compare, compare.json ("promote": true|false); with --cascade, cascade.json.
// Exit: 0 done; 1 a model or data problem; 2 bad arguments.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <torch/script.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/progress.hpp"
#include "faceocc/train/cascade.hpp"
#include "faceocc/train/confusion_png.hpp"
#include "faceocc/train/cpu_tuning.hpp"
#include "faceocc/train/datasets.hpp"
#include "faceocc/train/metrics_json.hpp"
#include "faceocc/train/paired_test.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

static const std::vector<std::string> kRegion = {"0_0_0", "1_1_0", "1_0_1", "1_1_1"};
static const std::vector<std::string> kBinary = {"not_occluded", "occluded"};

// A run folder means its exported model.
static fs::path model_file(const std::string& m) {
  const fs::path p = fs::is_directory(m) ? fs::path(m) / "model.torchscript.pt" : fs::path(m);
  if (!fs::is_regular_file(p)) throw std::runtime_error(p.string() + ": no such model (occtrain writes model.torchscript.pt)");
  return p;
}

// Softmax outputs of a TorchScript model for every crop.
static std::vector<std::vector<float>> run_model(const fs::path& file, const ImageSet& set) {
  torch::jit::Module m;
  try {
    m = torch::jit::load(file.string());
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": not a TorchScript model (" + std::string(e.what()).substr(0, 200) + ")");
  }
  m.eval();
  torch::NoGradGuard ng;
  std::vector<std::vector<float>> out;
  ProgressMeter meter("scoring " + file.filename().string(), "photos", long(set.size()),
                      [](const std::string& l) { std::cerr << "occeval: " << l << "\n"; });
  for (int64_t i = 0; i < set.size(); i += 128) {
    const torch::Tensor p = m.forward({set.images.slice(0, i, std::min(set.size(), i + 128)).contiguous()}).toTensor().contiguous();
    for (int64_t k = 0; k < p.size(0); ++k) out.emplace_back(p[k].data_ptr<float>(), p[k].data_ptr<float>() + p.size(1));
    meter.update(long(out.size()));
  }
  if (!out.empty() && out[0].size() != 2 && out[0].size() != 4)
    throw std::runtime_error(file.string() + ": outputs " + std::to_string(out[0].size()) + " classes (expected 4, or 2 for binary)");
  return out;
}

// Paired comparison of two predictions_<label>.csv files (path,true,predicted,...) on their common photos.
static int compare_prediction_files(const std::string& a_file, const std::string& b_file) {
  auto read = [](const std::string& f) {
    std::ifstream in(f);
    if (!in) throw std::runtime_error(f + ": cannot open");
    std::map<std::string, bool> right;
    std::string line;
    std::getline(in, line);
    if (line.rfind("path,true,predicted", 0) != 0) throw std::runtime_error(f + ": not an occeval predictions CSV");
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::string path, truth, pred;
      if (std::getline(ss, path, ',') && std::getline(ss, truth, ',') && std::getline(ss, pred, ','))
        right[fs::absolute(path).lexically_normal().string()] = truth == pred;
    }
    return right;
  };
  const auto a = read(a_file), b = read(b_file);
  std::vector<bool> ra, rb;
  for (const auto& [path, ok] : a)
    if (auto it = b.find(path); it != b.end()) ra.push_back(ok), rb.push_back(it->second);
  if (ra.empty()) throw std::runtime_error("the two prediction files share no photo");
  const McNemarResult t = mcnemar_exact(ra, rb);
  long na = 0, nb = 0;
  for (size_t i = 0; i < ra.size(); ++i) na += ra[i], nb += rb[i];
  std::printf("occeval: %zu common photos (%zu in A, %zu in B): accuracy A %.4f, B %.4f; right only in A %ld, only in B %ld; "
              "McNemar exact p = %.3g\n", ra.size(), a.size(), b.size(), double(na) / double(ra.size()),
              double(nb) / double(ra.size()), t.a_only, t.b_only, t.p_value);
  return 0;
}

static std::vector<int> argmax(const std::vector<std::vector<float>>& probs) {
  std::vector<int> a;
  for (const auto& p : probs) a.push_back(int(std::max_element(p.begin(), p.end()) - p.begin()));
  return a;
}

int main(int argc, char** argv) {
  std::vector<std::string> models, labels, real, prediction_files;
  std::string out, cache, detector;
  bool compare = false, cascade = false;
  double alpha = 0.05;
  int threads = 0;
  po::options_description desc("occeval: score occtrain models on real labelled photos and compare them\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("model", po::value(&models)->multitoken(), "TorchScript model or occtrain run folder (repeatable)")
      ("predictions", po::value(&prediction_files)->multitoken(), "two earlier predictions_<label>.csv files: McNemar on their common photos (no model is run)")
      ("label", po::value(&labels)->multitoken(), "a name per model for file names and reports (default m1, m2, ...)")
      ("real", po::value(&real)->multitoken(), "real photos: ROOT/<class>/* folder or path,class CSV (repeatable)")
      ("out", po::value(&out)->default_value("out/occeval"), "output folder")
      ("compare", po::bool_switch(&compare), "two models, A then B: McNemar's exact test on the same photos; promote B if it wins at --alpha")
      ("alpha", po::value(&alpha)->default_value(0.05), "significance level for --compare")
      ("cascade", po::bool_switch(&cascade), "two models, a binary one then a 4-class one: the cascade against the 4-class model alone")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    if (!prediction_files.empty()) {
      if (prediction_files.size() != 2 || !models.empty()) throw po::error("--predictions takes exactly two files, and no --model");
    } else if (models.empty()) {
      throw po::error("--model is required");
    }
    if (real.empty() && prediction_files.empty()) throw po::error("--real is required (labelled real photos)");
    if ((compare || cascade) && models.size() != 2) throw po::error("--compare and --cascade take exactly two models");
    if (compare && cascade) throw po::error("--compare or --cascade, not both");
    if (!labels.empty() && labels.size() != models.size()) throw po::error("--label needs one name per --model");
    if (alpha <= 0 || alpha >= 1) throw po::error("--alpha must be in (0, 1)");
  } catch (const std::exception& e) {
    std::cerr << "occeval: " << e.what() << "\n(see occeval --help)\n";
    return 2;
  }
  if (!prediction_files.empty()) {
    try {
      return compare_prediction_files(prediction_files[0], prediction_files[1]);
    } catch (const std::exception& e) {
      std::cerr << "occeval: " << e.what() << "\n";
      return 1;
    }
  }
  if (labels.empty()) for (size_t i = 0; i < models.size(); ++i) labels.push_back("m" + std::to_string(i + 1));
  tune_cpu({threads, true});
  try {
    std::vector<fs::path> files;
    for (const auto& m : models) files.push_back(model_file(m));  // a wrong path fails before any photo is loaded
    fs::create_directories(out);
    LoadReport rep;
    const ImageSet set = load_real(std::vector<fs::path>(real.begin(), real.end()),
                                   RealLoadOptions{cache, detector, threads, [](const std::string& l) { std::cerr << "occeval: " << l << "\n"; }}, rep);
    for (const auto& [f, why] : rep.problems) std::cerr << "occeval: left out " << f << ": " << why << "\n";
    if (set.size() == 0) throw std::runtime_error("no usable real photos in --real");
    long fb = 0;
    for (long f : rep.fallback) fb += f;
    std::cerr << "occeval: " << set.size() << " real photos (" << fb << " without a detected face: centre crop)\n";

    std::vector<std::vector<std::vector<float>>> probs;
    std::vector<std::vector<int>> preds;
    std::vector<std::vector<int>> truths;
    for (size_t k = 0; k < models.size(); ++k) {
      probs.push_back(run_model(files[k], set));
      preds.push_back(argmax(probs.back()));
      const bool binary = probs.back()[0].size() == 2;
      std::vector<int> truth = set.labels;
      if (binary) for (int& t : truth) t = t > 0;
      truths.push_back(truth);
      const auto& names = binary ? kBinary : kRegion;
      const Metrics m = compute_metrics(truth, preds.back(), int(names.size()));
      std::ostringstream csv;
      csv << "path,true,predicted";
      for (const auto& n : names) csv << ",p_" << n;
      csv << "\n";
      for (int64_t i = 0; i < set.size(); ++i) {
        csv << set.paths[size_t(i)] << "," << names[size_t(truth[size_t(i)])] << "," << names[size_t(preds.back()[size_t(i)])];
        for (float p : probs.back()[size_t(i)]) csv << "," << p;
        csv << "\n";
      }
      write_text_or_throw(fs::path(out) / ("predictions_" + labels[k] + ".csv"), csv.str());
      nlohmann::ordered_json j = metrics_json(m, names);
      j["model"] = models[k];
      write_text_or_throw(fs::path(out) / ("metrics_" + labels[k] + ".json"), j.dump(1) + "\n");
      write_confusion_png(m, names, labels[k] + " on " + std::to_string(set.size()) + " real photos",
                          fs::path(out) / ("confusion_" + labels[k] + ".png"));
      std::cout << "occeval: " << labels[k] << " (" << models[k] << "): accuracy " << m.accuracy << ", macro-F1 " << m.macro_f1 << "\n"
                << format_confusion(m, names);
    }

    if (compare) {
      if (probs[0][0].size() != probs[1][0].size()) throw std::runtime_error("--compare: the models predict different class sets");
      std::vector<bool> a, b;
      for (int64_t i = 0; i < set.size(); ++i) {
        a.push_back(preds[0][size_t(i)] == truths[0][size_t(i)]);
        b.push_back(preds[1][size_t(i)] == truths[1][size_t(i)]);
      }
      const McNemarResult t = mcnemar_exact(a, b);
      const bool promote = t.b_only > t.a_only && t.p_value < alpha;
      const auto& names = probs[0][0].size() == 2 ? kBinary : kRegion;
      nlohmann::ordered_json j;
      j["test"] = "McNemar exact (two-sided binomial on the photos exactly one model gets right)";
      j["n"] = set.size();
      j["alpha"] = alpha;
      j["a_only_right"] = t.a_only;
      j["b_only_right"] = t.b_only;
      j["p_value"] = t.p_value;
      j["promote"] = promote;
      j["a"] = metrics_json(compute_metrics(truths[0], preds[0], int(names.size())), names);
      j["a"]["label"] = labels[0];
      j["b"] = metrics_json(compute_metrics(truths[1], preds[1], int(names.size())), names);
      j["b"]["label"] = labels[1];
      write_text_or_throw(fs::path(out) / "compare.json", j.dump(1) + "\n");
      std::cout << "occeval: " << labels[1] << " vs " << labels[0] << ": right where the other is wrong " << t.b_only << " vs "
                << t.a_only << ", McNemar exact p = " << t.p_value << " -> " << (promote ? "promote " : "keep ")
                << (promote ? labels[1] : labels[0]) << "\n";
    }
    if (cascade) {
      if (probs[0][0].size() != 2 || probs[1][0].size() != 4)
        throw std::runtime_error("--cascade: the first model must be binary (occtrain --task binary), the second 4-class");
      const std::vector<int> c = cascade_predict(probs[0], probs[1]);
      const Metrics mc = compute_metrics(set.labels, c, 4), ms = compute_metrics(set.labels, preds[1], 4);
      std::vector<bool> a, b;
      for (int64_t i = 0; i < set.size(); ++i) {
        a.push_back(preds[1][size_t(i)] == set.labels[size_t(i)]);
        b.push_back(c[size_t(i)] == set.labels[size_t(i)]);
      }
      const McNemarResult t = mcnemar_exact(a, b);
      nlohmann::ordered_json j;
      j["single"] = metrics_json(ms, kRegion);
      j["cascade"] = metrics_json(mc, kRegion);
      j["mcnemar"] = {{"single_only_right", t.a_only}, {"cascade_only_right", t.b_only}, {"p_value", t.p_value}};
      write_text_or_throw(fs::path(out) / "cascade.json", j.dump(1) + "\n");
      write_confusion_png(mc, kRegion, "cascade " + labels[0] + " -> " + labels[1], fs::path(out) / "confusion_cascade.png");
      std::printf("occeval: cascade vs single 4-class model on the same %lld photos\n", (long long)set.size());
      std::printf("| model | accuracy | macro-F1 | recall none | recall upper | recall lower | recall both |\n|---|---|---|---|---|---|---|\n");
      for (const auto& [name, m] : {std::pair<std::string, Metrics>{"single 4-class", ms}, {"cascade binary -> 4-class", mc}})
        std::printf("| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n", name.c_str(), m.accuracy, m.macro_f1, m.per_class[0].recall,
                    m.per_class[1].recall, m.per_class[2].recall, m.per_class[3].recall);
      std::printf("McNemar exact: single-only right %ld, cascade-only right %ld, p = %.4g\n", t.a_only, t.b_only, t.p_value);
      std::cout << format_confusion(mc, kRegion);
    }
  } catch (const std::exception& e) {
    std::cerr << "occeval: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
