// occtrain: fine-tunes the pretrained MobileFaceNet into the occlusion
// classifier on real photos mixed with occgen output, and measures it on real
// photos only. Parses options and calls run_training (training_run.hpp).
//
//   occtrain --mix 0.3
// Exit: 0 done; 1 a data or model problem; 2 bad arguments.
#include <ctime>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/real/real_photos.hpp"
#include "faceocc/train/model/cpu_tuning.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/run/training_run.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  TrainingRunOptions o;
  TrainOptions& t = o.train;
  std::vector<std::string> real, synth, evals;
  std::string out, weights, cache, detector, tap, alpha, task, init, best, config, exclude, synthetic_classes;
  bool no_augment = false;
  po::options_description desc("occtrain: fine-tune the pretrained MobileFaceNet into the 4-class occlusion classifier\n"
                               "(0_0_0 none, 1_1_0 upper, 1_0_1 lower, 1_1_1 both). Validation is always real photos only,\n"
                               "split by source photo.\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occtrain.ini"), "INI file of defaults (skipped if the default is absent)")
      ("real", po::value(&real)->multitoken(), "real data: ROOT/<class>/* folder or path,class CSV (repeatable; default $FACEOCC_REAL, else ../shared/data/dev when present)")
      ("synthetic", po::value(&synth)->multitoken(), "occgen output folder with aligned112/ crops (repeatable; default out/occgen when it has them)")
      ("mix", po::value(&t.mix)->default_value(0.3), "fraction of each epoch's samples that are synthetic: 0 = real only, 1 = synthetic only")
      ("epochs", po::value(&t.epochs)->default_value(6), "epochs")
      ("real-only-tail", po::value(&t.real_only_tail)->default_value(0.33), "share of the epochs, at the end (rounded; 0.33 of 6 = 2), that draw real photos only: a mix run (0 < mix < 1) ends on real photos; 0 = the mix to the end")
      ("epoch-size", po::value(&t.epoch_size)->default_value(0), "samples per epoch (0 = the real training set, with the --mix share of synthetic samples on top)")
      ("batch", po::value(&t.batch)->default_value(64), "batch size")
      ("lr", po::value(&t.lr)->default_value(1e-3), "head learning rate")
      ("backbone-lr-scale", po::value(&t.backbone_lr_scale)->default_value(0.1), "backbone lr = lr x this")
      ("weight-decay", po::value(&t.weight_decay)->default_value(5e-4), "weight decay")
      ("optimizer", po::value(&t.optimizer)->default_value("adamw"), "adamw | sgd")
      ("warmup", po::value(&t.warmup_epochs)->default_value(0.5), "warm-up epochs before the cosine schedule")
      ("freeze-epochs", po::value(&t.freeze_epochs)->default_value(1), "epochs with the backbone frozen")
      ("loss", po::value(&t.loss)->default_value("focal"), "focal | ce")
      ("gamma", po::value(&t.focal.gamma)->default_value(2.0), "focal loss gamma")
      ("alpha", po::value(&alpha)->default_value(""), "focal per-class alpha, one comma-separated weight per class (empty = 1)")
      ("label-smoothing", po::value(&t.focal.label_smoothing)->default_value(0.0), "label smoothing")
      ("oversample-power", po::value(&t.oversample_power)->default_value(0.5), "sampler weight freq^-power: 1 balanced, 0 none (0.5: see configs/occtrain.ini)")
      ("synthetic-classes", po::value(&synthetic_classes)->default_value("real"), "class shares of the synthetic part: real (the shares the real part gets; see configs/occtrain.ini) | balanced (by --oversample-power within the pool)")
      ("no-augment", po::bool_switch(&no_augment), "turn augmentation off")
      ("jpeg-aug", po::value(&o.jpeg.p)->default_value(0.3), "share of training samples re-encoded as JPEG (quality 30..90)")
      ("occ-region-aug", po::value(&t.occlusion_region_p)->default_value(0.0), "probability of the occlusion-region augmentation (region task)")
      ("task", po::value(&task)->default_value("region"), "region (4 classes) | binary (occluded or not; for the cascade)")
      ("init", po::value(&init)->default_value(""), "start from this occtrain checkpoint (e.g. the champion's model.pt) instead of the pretrained backbone")
      ("tap", po::value(&tap)->default_value("map7"), "feature tap for the head: map7 (7x7x512 map) | gdconv (512-d) | embedding (192-d identity)")
      ("from-scratch", po::bool_switch(&o.from_scratch), "random backbone instead of the pretrained weights (ablation)")
      ("val-split", po::value(&o.val_split)->default_value(0.2), "fraction of real photos held out for validation (by source photo)")
      ("best", po::value(&best)->default_value("guarded"), "which epoch becomes best.pt: guarded (the most accurate if significantly better than the last, else the last) | accuracy | macro_f1 | last")
      ("resume", po::bool_switch(&o.resume), "continue the interrupted run in --out from its last committed epoch (same options)")
      ("split-only", po::bool_switch(&o.split_only), "write OUT/train.csv and OUT/validation.csv (the split of --real) and stop")
      ("folds", po::value(&o.folds)->default_value(1), "K-fold cross-validation by source photo (K > 1): mean +- std over folds, "
                                                       "and review.csv/.png: photos whose out-of-fold prediction contradicts their label")
      ("exclude", po::value(&exclude)->default_value(""), "leave these photos out of training and validation (one path per line, or a CSV such as review.csv)")
      ("gallery", po::value(&o.gallery)->default_value(24), "validation mistakes per (true -> predicted) cell in errors_val.png (0 = none)")
      ("max-false-reject", po::value(&o.max_false_reject)->default_value(0.02),
       "the shipped operating point: the threshold on 1 - p(none) that rejects at most this share of the clean validation faces "
       "(operating_point.json, model.onnx metadata; occpredict/occcheck --operating-point overrides it)")
      ("eval", po::value(&evals)->multitoken(), "extra held-out real set(s) to evaluate the best model on")
      ("seed", po::value(&t.seed)->default_value(1), "seed")
      ("split-seed", po::value(&o.split_seed)->default_value(-1), "seed of the train/validation split (-1 = --seed); fix it to keep one validation set across seeds")
      ("device", po::value(&t.device)->default_value("auto"), "auto | cpu | cuda")
      ("threads", po::value(&o.threads)->default_value(0), "CPU threads (0 = all cores)")
      ("out", po::value(&out)->default_value(""), "run folder (default runs/occtrain-<time>)")
      ("weights", po::value(&weights)->default_value(default_weights_json().string()), "pretrained TF.js model.json")
      ("cache", po::value(&cache)->default_value((cache_dir() / "aligned").string()), "aligned-crop cache")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  try {
    po::variables_map vm;
    std::set<std::string> given;
    parse_with_config(argc, argv, desc, vm, nullptr, &given);
    o.mix_given = given.count("mix") > 0;
    if (vm.count("help")) { std::cout << desc; return 0; }
    o.settings = settings_lines(vm);
    o.tap = parse_tap(tap);
    t.synthetic_classes = parse_synthetic_classes(synthetic_classes);
    if (!task_from_string(task)) throw po::error("--task must be region or binary");
    o.task = *task_from_string(task);
    if (!best_rule_from_string(best)) throw po::error("--best must be guarded, accuracy, macro_f1 or last");
    o.best = *best_rule_from_string(best);
    std::stringstream ss(alpha);
    for (std::string a; std::getline(ss, a, ',');) t.focal.alpha.push_back(std::stod(a));
    t.augment = !no_augment;
    if (real.empty())
      if (const fs::path d = faceocc::default_real_dir(); !d.empty()) real.push_back(d.string());
    if (synth.empty() && fs::is_directory("out/occgen/aligned112")) synth.push_back("out/occgen");
    if (out.empty()) {
      char b[64];
      const std::time_t now = std::time(nullptr);
      std::strftime(b, sizeof b, "runs/occtrain-%Y%m%d-%H%M%S", std::localtime(&now));
      out = b;
    }
    o.real = {real.begin(), real.end()}, o.synthetic = {synth.begin(), synth.end()}, o.evals = {evals.begin(), evals.end()};
    o.out = out, o.weights = weights, o.cache = cache, o.detector = detector, o.init = init, o.exclude = exclude;
    check_training_options(o);
  } catch (const std::exception& e) {
    std::cerr << "occtrain: " << e.what() << "\n(see occtrain --help)\n";
    return 2;
  }
  tune_cpu({o.threads, true});
  try {
    const TrainingResult r = run_training(o, [](const std::string& s) { std::cerr << "occtrain: " << s << "\n"; });
    std::cout << "occtrain: " << r.summary << "\n";
  } catch (const std::invalid_argument& e) {  // an option that cannot be done as typed
    std::cerr << "occtrain: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "occtrain: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
