#include "faceocc/train/run/training_run.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/problem_summary.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/eval/class_chart.hpp"
#include "faceocc/train/learn/sampling.hpp"
#include "faceocc/train/run/exclude_list.hpp"
#include "faceocc/train/run/folds.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "faceocc/train/run/training_job.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Log = std::function<void(const std::string&)>;

namespace {

std::string settings_text(const TrainingRunOptions& o) {
  std::string s;
  for (const auto& [k, v] : o.settings) s += k + " = " + v + "\n";
  return s;
}

// --resume continues the same run or nothing: every setting that defines the
// run must match the saved config.ini. "" when they match.
std::string resume_mismatch(const TrainingRunOptions& o) {
  const fs::path saved = RunDir(o.out).config_file();
  if (!fs::is_regular_file(saved)) return "";  // killed before its settings were written: nothing to differ from
  const auto a = read_ini(saved);
  std::map<std::string, std::string> b;
  for (const auto& [k, v] : o.settings) {
    std::string t = v;
    while (!t.empty() && t.back() == ' ') t.pop_back();
    b[k] = t;
  }
  const std::set<std::string> free(o.resume_free_keys.begin(), o.resume_free_keys.end());
  for (const auto& [k, v] : b)
    if (!free.count(k) && (!a.count(k) || a.at(k) != v))
      return "--" + k + " is '" + v + "' but the run was started with '" + (a.count(k) ? a.at(k) : std::string("(unset)")) + "'";
  for (const auto& [k, v] : a)
    if (!free.count(k) && !b.count(k)) return "--" + k + " was '" + v + "' when the run was started";
  return "";
}

std::vector<std::string> strings(const std::vector<fs::path>& ps) { return {ps.begin(), ps.end()}; }

// Why a typed --mix cannot be done, and how to make the data it needs.
std::string no_synthetic_data(const TrainingRunOptions& o) {
  std::string where;
  for (const auto& d : o.synthetic) where += (where.empty() ? "" : ", ") + d.string();
  std::ostringstream mix;
  mix << o.train.mix;
  return "--mix " + mix.str() + " asks for synthetic samples, but " +
         (where.empty() ? std::string("out/occgen (the default --synthetic)") : where) +
         " holds no occgen output with aligned crops: make it with `build/generator/occgen --occluders assets/ --count 50000` "
         "from the repository root (it writes out/occgen), pass --synthetic DIR, or train on real photos only with --mix 0";
}

// Per class of the task: how many of `labels` there are.
std::vector<long> per_class(const std::vector<int>& labels, int classes) {
  std::vector<long> n(size_t(classes), 0);
  for (int l : labels)
    if (l >= 0 && l < classes) ++n[size_t(l)];
  return n;
}

}  // namespace

void check_training_options(const TrainingRunOptions& o) {
  auto bad = [](const std::string& why) { throw std::invalid_argument(why); };
  const TrainOptions& t = o.train;
  if (o.real.empty()) bad("no real data: pass --real (validation is always real photos)");
  if (o.out.empty()) bad("no run folder (--out)");
  if (!o.init.empty() && !fs::is_regular_file(o.init)) bad("--init " + o.init.string() + ": no such checkpoint");
  if (!o.init.empty() && o.from_scratch) bad("--init and --from-scratch exclude each other");
  if (o.jpeg.p < 0 || o.jpeg.p > 1 || t.occlusion_region_p < 0 || t.occlusion_region_p > 1)
    bad("--jpeg-aug and --occ-region-aug are probabilities in [0, 1]");
  if (t.mix < 0 || t.mix > 1) bad("--mix must be in [0, 1]");
  if (t.loss != "focal" && t.loss != "ce") bad("--loss must be focal or ce");
  if (t.optimizer != "adamw" && t.optimizer != "sgd") bad("--optimizer must be adamw or sgd");
  if (t.epochs < 1 || t.epochs > 10000 || t.batch < 1 || t.batch > 65536) bad("--epochs must be in 1..10000 and --batch in 1..65536");
  if (!(t.real_only_tail >= 0 && t.real_only_tail < 1)) bad("--real-only-tail must be in [0, 1): a share of the epochs");
  if (real_only_epochs(t) >= t.epochs) bad("--real-only-tail leaves no epoch with the mix");
  if (o.threads < 0 || o.threads > 1024) bad("--threads must be in 0..1024 (0 = all cores)");
  if (t.epoch_size < 0 || t.epoch_size > 100000000) bad("--epoch-size must be in 0..100 000 000 (0 = the real training set with the mix on top)");
  if (o.val_split <= 0 || o.val_split >= 1) bad("--val-split must be in (0, 1)");
  if (o.folds < 1 || o.folds > 20) bad("--folds must be 1..20");
  if (o.gallery < 0 || o.gallery > 1000) bad("--gallery must be in 0..1000");
  if (!(o.max_false_reject > 0 && o.max_false_reject < 0.5)) bad("--max-false-reject must be in (0, 0.5), e.g. 0.02 for 2 % of clean faces");
  if (!o.exclude.empty() && !fs::is_regular_file(o.exclude)) bad("--exclude " + o.exclude.string() + ": no such file");
  if (!t.focal.alpha.empty() && int(t.focal.alpha.size()) != task_classes(o.task)) bad("--alpha needs one weight per class of the task");
  if (t.device != "auto" && t.device != "cpu" && t.device != "cuda") bad("--device must be auto, cpu or cuda");
  if (t.device == "cuda" && !torch::cuda::is_available()) bad("--device cuda: no CUDA device (or a CPU-only LibTorch)");
  const RunDir run(o.out);
  if (o.resume) {
    if (!fs::is_directory(o.out)) bad("--resume needs --out RUN, an existing run folder (" + o.out.string() + " is not one)");
    if (o.folds > 1) bad("--resume is for single runs, not --folds");
    if (const std::string why = resume_mismatch(o); !why.empty()) bad("--resume: " + why);
    if (fs::exists(run.last_model()) && !fs::is_directory(o.out / "epochs"))
      bad("--resume: " + o.out.string() + " was written by an older occtrain (no epochs/ folder): start the run again");
  } else if (!o.split_only && run.holds_run()) {  // a run folder is never appended to or overwritten silently
    bad(o.out.string() + " already holds a run: --resume continues it, or choose another --out");
  }
  if (t.mix > 0 && o.mix_given && !o.split_only && count_synthetic_crops(o.synthetic) == 0) bad(no_synthetic_data(o));
}

TrainingResult run_training(const TrainingRunOptions& opts, const Log& log) {
  check_training_options(opts);
  TrainingRunOptions o = opts;
  if (o.train.device == "auto") o.train.device = torch::cuda::is_available() ? "cuda" : "cpu";
  if (o.jpeg.p > 0) o.train.u8_augment = [jpeg = o.jpeg](torch::Tensor& x, uint64_t seed) { jpeg_recompress(x, seed, jpeg); };
  o.train.log = log;
  fs::create_directories(o.out);
  if (o.resume)
    if (const long n = remove_temporaries(o.out)) log("resume: removed " + std::to_string(n) + " temporary file(s) a killed run left behind");
  // The settings first: a resume after a kill at any later point can check them.
  write_text_or_throw(RunDir(o.out).config_file(), settings_text(o) + "# resolved: device = " + o.train.device + ", threads = " +
                                                    std::to_string(torch::get_num_threads()) + "\n");

  LoadReport rreal, rsyn;
  const RealLoadOptions ro{o.cache, o.detector, o.threads, log};
  const auto t0 = std::chrono::steady_clock::now();
  ImageSet all_real = load_real(o.real, ro, rreal);
  ImageSet synthetic = load_synthetic(o.synthetic, rsyn);
  std::map<std::string, int> region_label;
  for (int64_t i = 0; i < all_real.size(); ++i) region_label[all_real.paths[size_t(i)]] = all_real.labels[size_t(i)];
  for (int& l : all_real.labels) l = to_task_label(l, o.task);
  for (int& l : synthetic.labels) l = to_task_label(l, o.task);
  log(load_summary(rreal, "real (" + std::to_string(rreal.cache_hits) + " from the aligned-crop cache)"));
  if (synthetic.size() == 0 && o.train.mix > 0 && o.mix_given && !o.split_only) throw std::invalid_argument(no_synthetic_data(o));
  if (synthetic.size() == 0 && o.train.mix > 0)
    log("synthetic: none (no occgen output with aligned crops" + std::string(o.synthetic.empty() ? " in out/occgen" : "") +
        "); the default --mix does not apply: training on real photos only");
  else if (synthetic.size() > 0)
    log(load_summary(rsyn, "synthetic"));
  if (o.train.mix >= 1 && o.train.real_only_tail > 0)  // the tail is for mixes (0 < mix < 1): see train_loop.hpp
    log("--mix 1 is synthetic only to the last epoch: --real-only-tail applies to mixes below 1");
  if (!rreal.problems.empty()) log("left out real: " + summarise_problems(rreal.problems) + " (all in data.json)");
  if (!rsyn.problems.empty()) log("left out synthetic: " + summarise_problems(rsyn.problems) + " (all in data.json)");
  if (all_real.size() < 10) throw std::runtime_error("fewer than 10 usable real photos");
  RealSplit split = split_real(all_real, o.val_split, o.split_seed >= 0 ? uint64_t(o.split_seed) : o.train.seed);
  // --exclude after the split: the photos left keep their side, so runs with and without it compare on one split.
  const std::set<std::string> excluded = o.exclude.empty() ? std::set<std::string>{} : read_exclude_list(o.exclude);
  long removed_train = 0, removed_val = 0, listed_found = 0;
  if (!excluded.empty())
    for (const auto& p : all_real.paths) listed_found += excluded.count(file_key(p));
  split.train = without(split.train, excluded, removed_train);
  split.validation = without(split.validation, excluded, removed_val);
  if (!excluded.empty())
    log("--exclude " + o.exclude.string() + ": " + std::to_string(removed_train) + " training and " + std::to_string(removed_val) +
        " validation photos left out (" + std::to_string(excluded.size() - size_t(listed_found)) + " listed paths are not among the real photos)");
  log("split by source photo: " + std::to_string(split.train.size()) + " train, " + std::to_string(split.validation.size()) +
      " validation (real only); loading took " +
      std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s");
  const std::vector<std::string> names = task_class_names(o.task);
  {  // Say so when a class is missing: accuracy on one class alone looks perfect and means nothing.
    std::set<int> in_train(split.train.labels.begin(), split.train.labels.end());
    std::set<int> in_val(split.validation.labels.begin(), split.validation.labels.end());
    if (in_train.size() < 2) log("warning: the real training photos hold one class only: the model cannot learn to tell classes apart");
    for (int c = 0; c < int(names.size()); ++c)
      if (!in_val.count(c)) log("warning: no validation photo of class " + names[size_t(c)] + ": its recall is not measured");
  }
  json data;
  data["classes"] = names;
  data["real_roots"] = strings(o.real);
  data["synthetic_dirs"] = strings(o.synthetic);
  data["real"] = load_report_json(rreal);
  data["synthetic"] = load_report_json(rsyn);
  data["train"] = split.train.size();
  data["validation"] = split.validation.size();
  if (!excluded.empty())
    data["excluded"] = {{"file", o.exclude.string()}, {"listed", excluded.size()}, {"removed_train", removed_train},
                        {"removed_validation", removed_val}, {"not_found", long(excluded.size()) - listed_found}};
  {  // What the model sees per class: available samples, and one epoch's draw after oversampling and mixing.
    const int classes = task_classes(o.task);
    const EpochPlan plan = plan_epoch(split.train.labels, synthetic.labels, classes, synthetic.size() ? o.train.mix : 0.0,
                                      epoch_samples(o.train, split.train.size(), synthetic.size()), o.train.oversample_power,
                                      o.train.seed * 1000003ull, o.train.synthetic_classes);
    ClassCounts cc{names, per_class(split.train.labels, classes), per_class(split.validation.labels, classes),
                   per_class(synthetic.labels, classes), std::vector<long>(size_t(classes), 0), std::vector<long>(size_t(classes), 0)};
    for (int64_t i : plan.real) ++cc.epoch_real[size_t(split.train.labels[size_t(i)])];
    for (int64_t i : plan.synthetic) ++cc.epoch_synthetic[size_t(synthetic.labels[size_t(i)])];
    write_class_chart(cc, "classes: what the model sees (mix " + std::to_string(o.train.mix).substr(0, 4) + ", oversample power " +
                              std::to_string(o.train.oversample_power).substr(0, 4) + ")", o.out / "classes.png");
    // The first epoch's draw per class, on the record: how much of what the model sees is synthetic.
    data["first_epoch"] = {{"mix", synthetic.size() ? o.train.mix : 0.0}, {"real", cc.epoch_real}, {"synthetic", cc.epoch_synthetic}};
    data["per_class"] = {{"train", cc.real_train}, {"validation", cc.real_validation}, {"synthetic", cc.synthetic}};
  }
  write_text_or_throw(o.out / "data.json", data.dump(1) + "\n");

  TrainingResult result;
  if (o.split_only) {
    write_split_csv(split.train, region_label, o.out / "train.csv");
    write_split_csv(split.validation, region_label, o.out / "validation.csv");
    result.summary = "split written to " + o.out.string() + "/train.csv and validation.csv (no training)";
    return result;
  }
  // Occluders cut from a validation photo would teach the model the photos it is scored on.
  const SyntheticSources used{harvested_sources(o.synthetic), synthetic_face_sources(o.synthetic)};
  TrainingJob job(o, ro, log);
  if (o.folds > 1) return run_folds(o, job, all_real, synthetic, region_label, excluded, used, log);
  {
    refuse_leaks(used, split.validation);
    result.validation = job.run({split.train, split.validation, synthetic, region_label}, o.out, &result.best_epoch);
    char b[200];
    std::snprintf(b, sizeof b, "best model (epoch %d): validation macro-F1 %.4f, accuracy %.4f; run folder %s", result.best_epoch,
                  result.validation.macro_f1, result.validation.accuracy, o.out.c_str());
    result.summary = b;
  }
  return result;
}

}  // namespace faceocc
