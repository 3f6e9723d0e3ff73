// occtrain: fine-tunes the pretrained MobileFaceNet into the 4-class occlusion
// classifier on real photos mixed with occgen output, and measures it on real
// photos only. Thin CLI over faceocc_trainer.
//
//   occtrain --mix 0.3
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/train/checkpoint.hpp"
#include "faceocc/train/confusion_png.hpp"
#include "faceocc/train/cpu_tuning.hpp"
#include "faceocc/train/datasets.hpp"
#include "faceocc/train/jpeg_augment.hpp"
#include "faceocc/train/metrics_json.hpp"
#include "faceocc/train/pretrained.hpp"
#include "faceocc/train/torchscript_export.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

static const std::vector<std::string> kRegionNames = {"0_0_0", "1_1_0", "1_0_1", "1_1_1"};
static const std::vector<std::string> kBinaryNames = {"not_occluded", "occluded"};
static std::vector<std::string> g_class_names = kRegionNames;  // the task's class names

// --task binary: every occluded class (1_*) becomes class 1.
static void to_binary(ImageSet& s) {
  for (int& l : s.labels) l = l > 0 ? 1 : 0;
}

static nlohmann::ordered_json metrics_json(const Metrics& m) { return faceocc::metrics_json(m, g_class_names); }

static std::string report(const LoadReport& r, const std::string& what) {
  std::ostringstream os;
  os << what << ":";
  for (int c = 0; c < 4; ++c) os << " " << kRegionNames[size_t(c)] << "=" << r.images[size_t(c)];
  long fb = 0;
  for (long f : r.fallback) fb += f;
  if (fb) {
    os << "; no face found, centre crop used for";
    for (int c = 0; c < 4; ++c) os << " " << kRegionNames[size_t(c)] << "=" << r.fallback[size_t(c)];
  }
  if (!r.problems.empty()) os << "; " << r.problems.size() << " left out (see data.json)";
  return os.str();
}

// The options as config.ini lines ("key = value"), in the variables map's order.
static std::string settings_ini(const po::variables_map& vm) {
  std::ostringstream cfg;
  for (const auto& [k, v] : vm) {
    cfg << k << " = ";
    const auto& a = v.value();
    if (auto s = boost::any_cast<std::string>(&a)) cfg << *s;
    else if (auto d = boost::any_cast<double>(&a)) cfg << *d;
    else if (auto i = boost::any_cast<int>(&a)) cfg << *i;
    else if (auto l = boost::any_cast<int64_t>(&a)) cfg << *l;
    else if (auto u = boost::any_cast<uint64_t>(&a)) cfg << *u;
    else if (auto b = boost::any_cast<bool>(&a)) cfg << (*b ? "true" : "false");
    else if (auto vs = boost::any_cast<std::vector<std::string>>(&a)) for (const auto& x : *vs) cfg << x << " ";
    cfg << "\n";
  }
  return cfg.str();
}

// --resume continues the same run or nothing: every setting that defines the run
// (all but where it runs and how it is called) must match the saved config.ini.
static std::string resume_mismatch(const fs::path& saved, const std::string& now) {
  auto parse = [](std::istream& in) {
    std::map<std::string, std::string> m;
    for (std::string line; std::getline(in, line);) {
      const auto eq = line.find(" = ");
      if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
      m[line.substr(0, eq)] = line.substr(eq + 3);
    }
    return m;
  };
  std::ifstream in(saved);
  if (!in) return saved.string() + " is missing";
  std::istringstream cur(now);
  const auto a = parse(in), b = parse(cur);
  static const std::set<std::string> free_keys = {"resume", "out", "threads", "device", "config", "eval", "cache", "detector"};
  for (const auto& [k, v] : b)
    if (!free_keys.count(k) && (!a.count(k) || a.at(k) != v))
      return "--" + k + " is '" + v + "' but the run was started with '" + (a.count(k) ? a.at(k) : std::string("(unset)")) + "'";
  for (const auto& [k, v] : a)
    if (!free_keys.count(k) && !b.count(k)) return "--" + k + " was '" + v + "' when the run was started";
  return "";
}

int main(int argc, char** argv) {
  std::vector<std::string> real, synth, evals;
  std::string out, weights, cache, detector, tap, alpha, config, device, task, init;
  TrainOptions o;
  JpegAugmentOptions jpeg;
  double val_split = 0.2;
  int folds = 1;
  int threads = 0;
  int64_t split_seed = -1;
  bool from_scratch = false, no_augment = false, resume = false, split_only = false;
  po::options_description desc(
      "occtrain: fine-tune the pretrained MobileFaceNet into the 4-class occlusion classifier\n"
      "(0_0_0 none, 1_1_0 upper, 1_0_1 lower, 1_1_1 both). Validation is always real photos only,\n"
      "split by source photo.\n\noptions");
  desc.add_options()
      ("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occtrain.ini"), "INI file of defaults (skipped if the default is absent)")
      ("real", po::value(&real)->multitoken(), "real data: ROOT/<class>/* folder or path,class CSV (repeatable; default ../shared/data/dev when present)")
      ("synthetic", po::value(&synth)->multitoken(), "occgen output folder with aligned112/ crops (repeatable; default out/occgen when it has them)")
      ("mix", po::value(&o.mix)->default_value(0.3), "fraction of each epoch's samples that are synthetic: 0 = real only, 1 = synthetic only")
      ("epochs", po::value(&o.epochs)->default_value(6), "epochs")
      ("epoch-size", po::value(&o.epoch_size)->default_value(0), "samples per epoch (0 = size of the real training set)")
      ("batch", po::value(&o.batch)->default_value(64), "batch size")
      ("lr", po::value(&o.lr)->default_value(1e-3), "head learning rate")
      ("backbone-lr-scale", po::value(&o.backbone_lr_scale)->default_value(0.1), "backbone lr = lr x this")
      ("weight-decay", po::value(&o.weight_decay)->default_value(5e-4), "weight decay")
      ("optimizer", po::value(&o.optimizer)->default_value("adamw"), "adamw | sgd")
      ("warmup", po::value(&o.warmup_epochs)->default_value(0.5), "warm-up epochs before the cosine schedule")
      ("freeze-epochs", po::value(&o.freeze_epochs)->default_value(1), "epochs with the backbone frozen")
      ("loss", po::value(&o.loss)->default_value("focal"), "focal | ce")
      ("gamma", po::value(&o.focal.gamma)->default_value(2.0), "focal loss gamma")
      ("alpha", po::value(&alpha)->default_value(""), "focal per-class alpha, 4 comma-separated weights (empty = 1)")
      ("label-smoothing", po::value(&o.focal.label_smoothing)->default_value(0.0), "label smoothing")
      ("oversample-power", po::value(&o.oversample_power)->default_value(0.5), "sampler weight freq^-power: 1 balanced, 0 none (0.5: see configs/occtrain.ini)")
      ("no-augment", po::bool_switch(&no_augment), "turn augmentation off")
      ("jpeg-aug", po::value(&jpeg.p)->default_value(0.3), "share of training samples re-encoded as JPEG (quality 30..90)")
      ("occ-region-aug", po::value(&o.occlusion_region_p)->default_value(0.0),
       "probability of the occlusion-region augmentation (region task): upper/lower-only samples keep the occluded half, the other is blurred away")
      ("task", po::value(&task)->default_value("region"), "region (4 classes) | binary (occluded or not; for the cascade)")
      ("init", po::value(&init)->default_value(""), "start from this occtrain checkpoint (e.g. the champion's model.pt) instead of the pretrained backbone")
      ("tap", po::value(&tap)->default_value("map7"), "feature tap for the head: map7 (7x7x512 map) | gdconv (512-d) | embedding (192-d identity)")
      ("from-scratch", po::bool_switch(&from_scratch), "random backbone instead of the pretrained weights (ablation)")
      ("val-split", po::value(&val_split)->default_value(0.2), "fraction of real photos held out for validation (by source photo)")
      ("resume", po::bool_switch(&resume), "continue the interrupted run in --out from its last finished epoch (same options)")
      ("split-only", po::bool_switch(&split_only), "write OUT/train.csv and OUT/validation.csv (the split of --real) and stop")
      ("folds", po::value(&folds)->default_value(1), "K-fold cross-validation by source photo (K > 1): mean +- std over folds")
      ("eval", po::value(&evals)->multitoken(), "extra held-out real set(s) to evaluate the best model on")
      ("seed", po::value(&o.seed)->default_value(1), "seed")
      ("split-seed", po::value(&split_seed)->default_value(-1), "seed of the train/validation split (-1 = --seed); fix it to keep one validation set across seeds")
      ("device", po::value(&device)->default_value("auto"), "auto | cpu | cuda")
      ("threads", po::value(&threads)->default_value(0), "CPU threads (0 = all cores)")
      ("out", po::value(&out)->default_value(""), "run folder (default runs/occtrain-<time>)")
      ("weights", po::value(&weights)->default_value(default_weights_json().string()), "pretrained TF.js model.json")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  po::variables_map vm;
  FeatureTap feature_tap;
  try {
    parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    feature_tap = parse_tap(tap);
    if (task != "region" && task != "binary") throw po::error("--task must be region or binary");
    if (task == "binary") g_class_names = kBinaryNames;
    if (!init.empty() && !fs::is_regular_file(init)) throw po::error("--init " + init + ": no such checkpoint");
    if (!init.empty() && from_scratch) throw po::error("--init and --from-scratch exclude each other");
    if (jpeg.p < 0 || jpeg.p > 1 || o.occlusion_region_p < 0 || o.occlusion_region_p > 1)
      throw po::error("--jpeg-aug and --occ-region-aug are probabilities in [0, 1]");
    if (o.mix < 0 || o.mix > 1) throw po::error("--mix must be in [0, 1]");
    if (o.loss != "focal" && o.loss != "ce") throw po::error("--loss must be focal or ce");
    if (o.optimizer != "adamw" && o.optimizer != "sgd") throw po::error("--optimizer must be adamw or sgd");
    if (o.epochs < 1 || o.epochs > 10000 || o.batch < 1 || o.batch > 65536)
      throw po::error("--epochs must be in 1..10000 and --batch in 1..65536");
    if (threads < 0 || threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    if (o.epoch_size < 0 || o.epoch_size > 100000000) throw po::error("--epoch-size must be in 0..100 000 000 (0 = the real training set)");
    if (val_split <= 0 || val_split >= 1) throw po::error("--val-split must be in (0, 1)");
    if (folds < 1 || folds > 20) throw po::error("--folds must be 1..20");
    if (resume && (out.empty() || !fs::is_regular_file(fs::path(out) / "last.pt")))
      throw po::error("--resume needs --out RUN with a last.pt in it");
    if (resume && folds > 1) throw po::error("--resume is for single runs, not --folds");
    // A run folder is never appended to or overwritten silently (occgen's rule).
    if (!resume && !split_only && !out.empty())
      for (const char* f : {"metrics.jsonl", "last.pt", "best.pt", "folds.json"})
        if (fs::exists(fs::path(out) / f))
          throw po::error(out + " already holds a run (" + f + "): --resume continues it, or choose another --out");
    if (resume)
      if (const std::string why = resume_mismatch(fs::path(out) / "config.ini", settings_ini(vm)); !why.empty())
        throw po::error("--resume: " + why);
    if (!alpha.empty()) {
      std::stringstream ss(alpha);
      for (std::string a; std::getline(ss, a, ',');) o.focal.alpha.push_back(std::stod(a));
      if (o.focal.alpha.size() != g_class_names.size()) throw po::error("--alpha needs one weight per class of the task");
    }
    if (device == "auto") device = torch::cuda::is_available() ? "cuda" : "cpu";
    else if (device == "cuda" && !torch::cuda::is_available()) throw po::error("--device cuda: no CUDA device (or a CPU-only LibTorch)");
    else if (device != "cpu" && device != "cuda") throw po::error("--device must be auto, cpu or cuda");
  } catch (const std::exception& e) {
    std::cerr << "occtrain: " << e.what() << "\n(see occtrain --help)\n";
    return 2;
  }
  o.device = device;
  o.augment = !no_augment;
  if (jpeg.p > 0) o.u8_augment = [jpeg](torch::Tensor& x, uint64_t seed) { jpeg_recompress(x, seed, jpeg); };
  const int used_threads = tune_cpu({threads, true});
  auto log = [](const std::string& s) { std::cerr << "occtrain: " << s << "\n"; };
  o.log = log;

  try {
    if (real.empty() && fs::is_directory("../shared/data/dev")) real.push_back("../shared/data/dev");
    if (synth.empty() && fs::is_directory("out/occgen/aligned112")) synth.push_back("out/occgen");
    if (real.empty()) {
      std::cerr << "occtrain: no real data: pass --real DIR (validation is always real; ../shared/data/dev is absent)\n";
      return 2;
    }
    if (out.empty()) {
      char b[64];
      const std::time_t t = std::time(nullptr);
      std::strftime(b, sizeof b, "runs/occtrain-%Y%m%d-%H%M%S", std::localtime(&t));
      out = b;
    }
    fs::create_directories(out);

    LoadReport rreal, rsyn;
    RealLoadOptions ro{cache, detector, threads, log};
    const auto t0 = std::chrono::steady_clock::now();
    ImageSet all_real = load_real(std::vector<fs::path>(real.begin(), real.end()), ro, rreal);
    ImageSet synthetic = load_synthetic(std::vector<fs::path>(synth.begin(), synth.end()), rsyn);
    std::map<std::string, int> region_label;  // path -> 4-class label, kept for validation.csv under --task binary
    for (int64_t i = 0; i < all_real.size(); ++i) region_label[all_real.paths[size_t(i)]] = all_real.labels[size_t(i)];
    if (task == "binary") { to_binary(all_real); to_binary(synthetic); }
    log(report(rreal, "real (" + std::to_string(rreal.cache_hits) + " from the aligned-crop cache)"));
    if (!synth.empty()) log(report(rsyn, "synthetic"));
    else log("synthetic: none (no --synthetic and no out/occgen/aligned112); --mix is ignored");
    for (const auto& [f, why] : rreal.problems) log("left out " + f + ": " + why);
    for (const auto& [f, why] : rsyn.problems) log("left out " + f + ": " + why);
    if (all_real.size() < 10) throw std::runtime_error("fewer than 10 usable real photos");
    const uint64_t split_by = split_seed >= 0 ? uint64_t(split_seed) : o.seed;
    const RealSplit split = split_real(all_real, val_split, split_by);
    const ImageSet& train_set = split.train;
    const ImageSet& val_set = split.validation;
    // Occluders cut from a validation photo would teach the model the photos it is scored on.
    const std::set<std::string> cut_from = harvested_sources(std::vector<fs::path>(synth.begin(), synth.end()));
    auto refuse_leaks = [&](const ImageSet& val) {
      for (int64_t i = 0; i < val.size(); ++i)
        if (cut_from.count(val.sources[size_t(i)]))
          throw std::runtime_error("the synthetic data uses an occluder harvested from validation photo " + val.paths[size_t(i)] +
                                   ": harvest with this run's --split-seed and --val-split (occharvest reads the training split "
                                   "only); with --folds every photo validates once, so harvested occluders cannot be used");
    };
    log("split by source photo: " + std::to_string(train_set.size()) + " train, " + std::to_string(val_set.size()) +
        " validation (real only); loading took " +
        std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s");
    {  // Say so when a class is missing: accuracy on one class alone looks perfect and means nothing.
      std::set<int> in_train(train_set.labels.begin(), train_set.labels.end()), in_val(val_set.labels.begin(), val_set.labels.end());
      if (in_train.size() < 2) log("warning: the real training photos hold one class only: the model cannot learn to tell classes apart");
      for (int c = 0; c < int(g_class_names.size()); ++c)
        if (!in_val.count(c)) log("warning: no validation photo of class " + g_class_names[size_t(c)] + ": its recall is not measured");
    }

    nlohmann::ordered_json data;
    auto lr_json = [](const LoadReport& r) {
      nlohmann::ordered_json j;
      j["images"] = r.images;
      j["centre_crop_fallback"] = r.fallback;
      j["left_out"] = nlohmann::ordered_json::array();
      for (const auto& [f, why] : r.problems) j["left_out"].push_back({{"file", f}, {"why", why}});
      return j;
    };
    data["classes"] = g_class_names;
    data["real_roots"] = real;
    data["synthetic_dirs"] = synth;
    data["real"] = lr_json(rreal);
    data["synthetic"] = lr_json(rsyn);
    data["train"] = train_set.size();
    data["validation"] = val_set.size();
    write_text_or_throw(fs::path(out) / "data.json", data.dump(1) + "\n");
    std::ostringstream cfg;
    cfg << settings_ini(vm);
    cfg << "# resolved: device = " << device << ", threads = " << used_threads << "\n";
    write_text_or_throw(fs::path(out) / "config.ini", cfg.str());

    // One training run on a split, with its files in `dir`; returns the best model's validation metrics.
    // A split as a path,class CSV (4-class labels whatever the task), readable by --real and occeval.
    auto write_split_csv = [&](const ImageSet& set, const fs::path& file) {
      std::string csv = "path,class\n";
      for (int64_t i = 0; i < set.size(); ++i)
        csv += fs::absolute(set.paths[size_t(i)]).string() + "," + kRegionNames[size_t(region_label.at(set.paths[size_t(i)]))] + "\n";
      write_text_or_throw(file, csv);
    };
    if (split_only) {
      write_split_csv(train_set, fs::path(out) / "train.csv");
      write_split_csv(val_set, fs::path(out) / "validation.csv");
      std::cout << "occtrain: split written to " << out << "/train.csv and validation.csv (--split-only: no training)\n";
      return 0;
    }
    const int classes = int(g_class_names.size());
    auto train_and_evaluate = [&](const ImageSet& train_set, const ImageSet& val_set, const fs::path& dir) -> Metrics {
      refuse_leaks(val_set);
      fs::create_directories(dir);
      write_split_csv(val_set, dir / "validation.csv");  // the exact photos, for occeval and the cascade
      torch::manual_seed(o.seed);  // the new head's initial weights: same seed, same run
      OcclusionNet net(feature_tap, classes);
      double best = -1;
      int start_epoch = 0;
      TrainOptions run_opt = o;
      run_opt.optimizer_state = (dir / "optimizer.pt").string();
      if (resume) {
        // Finished epochs are the lines of metrics.jsonl (each written after its checkpoint).
        std::ifstream in(dir / "metrics.jsonl");
        std::string kept;
        for (std::string line; std::getline(in, line);) {
          if (line.empty()) continue;
          const auto j = nlohmann::json::parse(line, nullptr, false);
          if (j.is_discarded()) break;  // a torn last line: that epoch is redone
          ++start_epoch;
          best = std::max(best, j["val"]["macro_f1"].get<double>());
          kept += line + "\n";
        }
        write_text_or_throw(dir / "metrics.jsonl", kept);  // drop the torn line before appending
        load_checkpoint(net, dir / "last.pt");
        log("resume: " + std::to_string(start_epoch) + " epoch(s) done in " + dir.string() + ", continuing");
      } else if (!init.empty()) {
        load_checkpoint(net, init);
        log("initialised from " + init);
      } else if (!from_scratch) {
        net->backbone = net->replace_module("backbone", load_pretrained(weights));
      }
      std::ofstream metrics(dir / "metrics.jsonl", std::ios::app);
      train(net, train_set, synthetic, val_set, run_opt, [&](const EpochResult& r, OcclusionNet& n) {
        nlohmann::ordered_json j;
        j["epoch"] = r.epoch;
        j["train_loss"] = r.train_loss;
        j["train_accuracy"] = r.train_accuracy;
        j["seconds"] = r.seconds;
        j["train_images_per_second"] = r.images_per_second;
        j["val"] = metrics_json(r.val);
        std::cerr << "occtrain: epoch " << r.epoch << ": loss " << r.train_loss << ", validation accuracy " << r.val.accuracy
                  << ", macro-F1 " << r.val.macro_f1 << " (" << int(r.images_per_second) << " img/s)\n"
                  << format_confusion(r.val, g_class_names);
        save_checkpoint(n, dir / "last.pt");
        if (r.val.macro_f1 > best) {
          best = r.val.macro_f1;
          save_checkpoint(n, dir / "best.pt");  // a temporary renamed: a kill never leaves a short best.pt
          write_text_or_throw(dir / "confusion_val.csv", confusion_csv(r.val, g_class_names));
          write_confusion_png(r.val, g_class_names, "validation (real), epoch " + std::to_string(r.epoch), dir / "confusion_val.png");
        }
        metrics << j.dump() << "\n" << std::flush;  // last: marks the epoch finished for --resume
      }, start_epoch);

      OcclusionNet best_net(feature_tap, classes);
      load_checkpoint(best_net, dir / "best.pt");
      const torch::Device dev(device);
      best_net->to(dev);
      nlohmann::ordered_json final_j;
      const Metrics final_m = compute_metrics(val_set.labels, predict(best_net, val_set, 128, dev), classes);
      final_j["validation"] = metrics_json(final_m);
      for (const auto& e : evals) {
        LoadReport re;
        ImageSet es = load_real({fs::path(e)}, ro, re);
        log(report(re, "eval " + e));
        if (es.size() == 0) continue;
        if (task == "binary") to_binary(es);
        const Metrics m = compute_metrics(es.labels, predict(best_net, es, 128, dev), classes);
        std::cerr << "occtrain: eval " << e << "\n" << format_confusion(m, g_class_names);
        const std::string stem = "eval_" + fs::path(e).filename().string();
        final_j["eval"][e] = metrics_json(m);
        write_text_or_throw(dir / (stem + ".csv"), confusion_csv(m, g_class_names));
        write_confusion_png(m, g_class_names, "eval " + e, dir / (stem + ".png"));
      }
      write_text_or_throw(dir / "final.json", final_j.dump(1) + "\n");
      export_torchscript(best_net, dir / "model.torchscript.pt");
      std::cerr << "occtrain: best validation macro-F1 " << best << " (" << dir.string() << ")\n";
      return final_m;
    };

    if (folds > 1) {
      // K-fold CV over whole source photos: each fold is the validation set once.
      const auto fold_idx = group_folds(all_real.sources, folds, o.seed);
      std::vector<Metrics> ms;
      for (int k = 0; k < folds; ++k) {
        std::vector<int64_t> tr;
        for (int j = 0; j < folds; ++j)
          if (j != k) tr.insert(tr.end(), fold_idx[size_t(j)].begin(), fold_idx[size_t(j)].end());
        std::sort(tr.begin(), tr.end());
        log("fold " + std::to_string(k + 1) + "/" + std::to_string(folds) + ": " + std::to_string(tr.size()) + " train, " +
            std::to_string(fold_idx[size_t(k)].size()) + " validation");
        ms.push_back(train_and_evaluate(all_real.subset(tr), all_real.subset(fold_idx[size_t(k)]),
                                        fs::path(out) / ("fold" + std::to_string(k + 1))));
      }
      nlohmann::ordered_json cv;
      auto stat = [&](const std::string& name, const std::function<double(const Metrics&)>& f) {
        double mean = 0, sq = 0;
        for (const auto& m : ms) mean += f(m) / double(ms.size());
        for (const auto& m : ms) sq += (f(m) - mean) * (f(m) - mean);
        const double sd = ms.size() > 1 ? std::sqrt(sq / double(ms.size() - 1)) : 0.0;
        cv[name] = {{"mean", mean}, {"std", sd}};
        std::printf("occtrain: %d-fold %-14s %.4f +- %.4f\n", folds, name.c_str(), mean, sd);
      };
      stat("accuracy", [](const Metrics& m) { return m.accuracy; });
      stat("macro_f1", [](const Metrics& m) { return m.macro_f1; });
      for (int c = 0; c < classes; ++c)
        stat("recall_" + g_class_names[size_t(c)], [c](const Metrics& m) { return m.per_class[size_t(c)].recall; });
      write_text_or_throw(fs::path(out) / "folds.json", cv.dump(1) + "\n");
    } else {
      const Metrics m = train_and_evaluate(train_set, val_set, fs::path(out));
      std::cout << "occtrain: best validation macro-F1 " << m.macro_f1 << ", accuracy " << m.accuracy << "; run folder " << out << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "occtrain: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
