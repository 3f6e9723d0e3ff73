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
#include "faceocc/manifest_csv.hpp"
#include "faceocc/problem_summary.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/eval/class_chart.hpp"
#include "faceocc/train/eval/confusion_png.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/run/epoch_store.hpp"
#include "faceocc/train/eval/error_gallery.hpp"
#include "faceocc/train/learn/metrics_json.hpp"
#include "faceocc/train/export/onnx_export.hpp"
#include "faceocc/train/data/photo_lists.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/run/run_dir.hpp"
#include "faceocc/train/learn/sampling.hpp"
#include "faceocc/train/export/torchscript_export.hpp"

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

std::string load_line(const LoadReport& r, const std::string& what) {
  std::ostringstream os;
  os << what << ":";
  for (int c = 0; c < kNumClasses; ++c) os << " " << class_folder(OccClass(c)) << "=" << r.images[size_t(c)];
  long fb = 0;
  for (long f : r.fallback) fb += f;
  if (fb) {
    os << "; no face found, centre crop used for";
    for (int c = 0; c < kNumClasses; ++c) os << " " << class_folder(OccClass(c)) << "=" << r.fallback[size_t(c)];
  }
  if (!r.problems.empty()) os << "; " << r.problems.size() << " left out (see data.json)";
  return os.str();
}

json load_json(const LoadReport& r) {
  json j;
  j["images"] = r.images;
  j["centre_crop_fallback"] = r.fallback;
  j["left_out"] = json::array();
  for (const auto& [f, why] : r.problems) j["left_out"].push_back({{"file", f}, {"why", why}});
  return j;
}

std::vector<std::string> strings(const std::vector<fs::path>& ps) { return {ps.begin(), ps.end()}; }

std::string normal(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

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

// `s` without the listed photos; `removed` counts them.
ImageSet without(const ImageSet& s, const std::set<std::string>& listed, long& removed) {
  if (listed.empty()) return s;
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < s.size(); ++i)
    if (!listed.count(file_key(s.paths[size_t(i)]))) keep.push_back(i);
  removed += long(s.size()) - long(keep.size());
  return s.subset(keep);
}

// Per class of the task: how many of `labels` there are.
std::vector<long> per_class(const std::vector<int>& labels, int classes) {
  std::vector<long> n(size_t(classes), 0);
  for (int l : labels)
    if (l >= 0 && l < classes) ++n[size_t(l)];
  return n;
}

// Everything one training run on one split needs.
struct Split {
  const ImageSet& train;
  const ImageSet& val;
  const ImageSet& synthetic;
  const std::map<std::string, int>& region_label;  // path -> 4-class label (for the CSVs under --task binary)
};

// A split as a path,class CSV (4-class labels whatever the task), readable by --real and occeval.
void write_split_csv(const ImageSet& set, const std::map<std::string, int>& region_label, const fs::path& file) {
  std::string csv = "path,class\n";
  for (int64_t i = 0; i < set.size(); ++i)
    csv += fs::absolute(set.paths[size_t(i)]).string() + "," + class_folder(OccClass(region_label.at(set.paths[size_t(i)]))) + "\n";
  write_text_or_throw(file, csv);
}

// Likely label errors: photos whose given label gets a low out-of-fold
// probability while another class gets a high one, most suspicious first
// (largest gap), as review.csv and review.png.
void write_review(const TrainingRunOptions& o, const ImageSet& all, const std::map<std::string, std::vector<float>>& oof,
                  const std::vector<std::string>& names, const Log& log) {
  struct Flagged {
    int64_t row;
    int given, suggested;
    std::vector<float> p;
    float gap() const { return p[size_t(suggested)] - p[size_t(given)]; }
  };
  std::vector<Flagged> flagged;
  for (int64_t i = 0; i < all.size(); ++i) {
    const auto it = oof.find(all.paths[size_t(i)]);
    if (it == oof.end()) continue;  // excluded
    const std::vector<float>& p = it->second;
    const int g = all.labels[size_t(i)];
    int other = g == 0 ? 1 : 0;
    for (int c = 0; c < int(p.size()); ++c)
      if (c != g && p[size_t(c)] > p[size_t(other)]) other = c;
    if (p[size_t(g)] <= o.review_max_given && p[size_t(other)] >= o.review_min_other) flagged.push_back({i, g, other, p});
  }
  std::stable_sort(flagged.begin(), flagged.end(), [](const Flagged& a, const Flagged& b) { return a.gap() > b.gap(); });
  std::string csv = "path,given,suggested,p_given,p_suggested";
  for (const auto& n : names) csv += ",p_" + n;
  csv += "\n";
  std::vector<int64_t> rows;
  std::vector<int> given, suggested;
  std::vector<std::vector<float>> probs;
  for (const Flagged& f : flagged) {
    char b[64];
    std::snprintf(b, sizeof b, ",%.4f,%.4f", f.p[size_t(f.given)], f.p[size_t(f.suggested)]);
    csv += csv_field(normal(all.paths[size_t(f.row)])) + "," + names[size_t(f.given)] + "," + names[size_t(f.suggested)] + b;
    for (float p : f.p) {
      std::snprintf(b, sizeof b, ",%.4f", p);
      csv += b;
    }
    csv += "\n";
    rows.push_back(f.row), given.push_back(f.given), suggested.push_back(f.suggested), probs.push_back(f.p);
  }
  const std::vector<ScoredPhoto> photos = rows.empty() ? std::vector<ScoredPhoto>{} : scored_photos(all.subset(rows), given, suggested, probs);
  write_text_or_throw(o.out / "review.csv", csv);
  std::vector<size_t> shown;
  for (size_t k = 0; k < photos.size() && k < 48; ++k) shown.push_back(k);
  write_photo_sheet(photos, shown, names,
                    "likely label errors: " + std::to_string(photos.size()) + " of " + std::to_string(oof.size()) +
                        " photos (out-of-fold p(given) <= " + std::to_string(o.review_max_given).substr(0, 4) + ", another class >= " +
                        std::to_string(o.review_min_other).substr(0, 4) + ")" + (photos.size() > 48 ? "; the first 48" : ""),
                    o.out / "review.png");
  log("review: " + std::to_string(photos.size()) + " photos whose out-of-fold prediction contradicts their label (" +
      (o.out / "review.csv").string() + ", review.png); occtrain --exclude review.csv leaves them out");
}

class TrainingJob {
 public:
  TrainingJob(const TrainingRunOptions& o, const Log& log)
      : o_(o), log_(log), names_(task_class_names(o.task)), classes_(task_classes(o.task)) {}

  // One run on a split, its files in `dir`; the best model's validation metrics.
  // `val_probs` (if given) gets the best model's probabilities for every validation photo.
  Metrics run(const Split& s, const fs::path& dir, const RealLoadOptions& ro, int* best_epoch,
              std::vector<std::vector<float>>* val_probs = nullptr) {
    fs::create_directories(dir);
    write_split_csv(s.val, s.region_label, dir / "validation.csv");  // the exact photos, for occeval and the cascade
    const EpochStore store(dir);
    torch::manual_seed(o_.train.seed);  // the new head's initial weights: same seed, same run
    OcclusionNet net(o_.tap, classes_);
    EpochHistory history;
    TrainOptions topt = o_.train;
    const int done = o_.resume ? store.last() : 0;
    if (done > 0) {
      load_checkpoint(net, store.model(done));
      history = store.history(done);
      topt.resume_optimizer = store.optimizer(done).string();
      log_("resume: " + std::to_string(done) + " epoch(s) done in " + dir.string() + ", continuing");
      publish(dir, store, history, s.val.labels);  // views a kill may have left behind the commit
    } else if (!o_.init.empty()) {
      load_checkpoint(net, o_.init);
      log_("initialised from " + o_.init.string());
    } else if (!o_.from_scratch) {
      net->backbone = net->replace_module("backbone", load_pretrained(o_.weights));
    }
    if (done < topt.epochs)
      train(net, s.train, s.synthetic, s.val, topt, [&](const EpochResult& r, OcclusionNet& n, torch::optim::Optimizer& opt) {
        json j;
        j["epoch"] = r.epoch;
        j["train_loss"] = r.train_loss;
        j["train_accuracy"] = r.train_accuracy;
        j["seconds"] = r.seconds;
        j["train_images_per_second"] = r.images_per_second;
        j["val"] = metrics_json(r.val, names_);
        log_("epoch " + std::to_string(r.epoch) + ": loss " + std::to_string(r.train_loss) + ", validation accuracy " +
             std::to_string(r.val.accuracy) + ", macro-F1 " + std::to_string(r.val.macro_f1) + " (" +
             std::to_string(int(r.images_per_second)) + " img/s)\n" + format_confusion(r.val, names_));
        history.metrics.push_back(j.dump());
        history.val_predicted.push_back(r.val_predicted);
        store.commit(r.epoch, n, opt, history);
        publish(dir, store, history, s.val.labels);
      }, done);
    return finish(dir, s, ro, best_epoch, val_probs);
  }

 private:
  // The views of the last commit: metrics.jsonl, last.pt, best.pt + best.json,
  // confusion_val.*; then epochs no later choice needs are removed. Derived
  // from the commit alone, so redoing them after a kill gives the same files.
  void publish(const fs::path& dir, const EpochStore& store, const EpochHistory& h, const std::vector<int>& labels) {
    const int last = int(h.metrics.size());
    std::string lines;
    for (const auto& m : h.metrics) lines += m + "\n";
    write_text_or_throw(dir / "metrics.jsonl", lines);
    copy_file_atomic(store.model(last), dir / "last.pt");
    const BestChoice best = choose_best_epoch(labels, h.val_predicted, classes_, o_.best);
    const fs::path best_json = dir / "best.json";
    std::ifstream prev(best_json);
    const auto pj = nlohmann::json::parse(prev, nullptr, false);
    const bool same = !pj.is_discarded() && pj.value("epoch", 0) == best.epoch && fs::exists(dir / "best.pt");
    if (!same) {  // best.pt before best.json: best.json never names an epoch best.pt does not hold
      copy_file_atomic(store.model(best.epoch), dir / "best.pt");
      const Metrics m = compute_metrics(labels, h.val_predicted[size_t(best.epoch - 1)], classes_);
      write_text_or_throw(dir / "confusion_val.csv", confusion_csv(m, names_));
      write_confusion_png(m, names_, "validation (real), epoch " + std::to_string(best.epoch), dir / "confusion_val.png");
      json j;
      j["epoch"] = best.epoch;
      j["rule"] = best_rule_string(o_.best);
      j["why"] = best.why;
      write_text_or_throw(best_json, j.dump(1) + "\n");
      log_("best model: epoch " + std::to_string(best.epoch) + " (" + best.why + ")");
    }
    store.tidy(epochs_to_keep(labels, h.val_predicted, classes_, best.epoch));
  }

  Metrics finish(const fs::path& dir, const Split& s, const RealLoadOptions& ro, int* best_epoch,
                 std::vector<std::vector<float>>* val_probs) {
    OcclusionNet best(o_.tap, classes_);
    load_checkpoint(best, dir / "best.pt");
    const torch::Device dev(o_.train.device);
    best->to(dev);
    std::ifstream bj(dir / "best.json");
    *best_epoch = nlohmann::json::parse(bj, nullptr, false).value("epoch", 0);
    json final_j;
    std::vector<std::vector<float>> probs;
    const std::vector<int> predicted = predict(best, s.val, 128, dev, &probs);
    const Metrics final_m = compute_metrics(s.val.labels, predicted, classes_);
    if (o_.gallery > 0)
      write_error_gallery(scored_photos(s.val, s.val.labels, predicted, probs), names_, o_.gallery,
                          "validation mistakes, best model (epoch " + std::to_string(*best_epoch) + ")", dir / "errors_val.png");
    if (val_probs) *val_probs = probs;
    final_j["best_epoch"] = *best_epoch;
    final_j["validation"] = metrics_json(final_m, names_);
    for (const auto& e : o_.evals) {
      LoadReport re;
      ImageSet es = load_real({e}, ro, re);
      log_(load_line(re, "eval " + e.string()));
      if (es.size() == 0) continue;
      for (int& l : es.labels) l = to_task_label(l, o_.task);
      const Metrics m = compute_metrics(es.labels, predict(best, es, 128, dev), classes_);
      log_("eval " + e.string() + "\n" + format_confusion(m, names_));
      const std::string stem = "eval_" + e.filename().string();
      final_j["eval"][e.string()] = metrics_json(m, names_);
      write_text_or_throw(dir / (stem + ".csv"), confusion_csv(m, names_));
      write_confusion_png(m, names_, "eval " + e.string(), dir / (stem + ".png"));
    }
    write_text_or_throw(dir / "final.json", final_j.dump(1) + "\n");
    export_torchscript(best, dir / "model.torchscript.pt");
    export_onnx(best, dir / "model.onnx");
    log_("best model (epoch " + std::to_string(*best_epoch) + "): validation accuracy " + std::to_string(final_m.accuracy) +
         ", macro-F1 " + std::to_string(final_m.macro_f1) + " (" + dir.string() + ")");
    return final_m;
  }

  const TrainingRunOptions& o_;
  const Log& log_;
  std::vector<std::string> names_;
  int classes_;
};

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
  if (o.threads < 0 || o.threads > 1024) bad("--threads must be in 0..1024 (0 = all cores)");
  if (t.epoch_size < 0 || t.epoch_size > 100000000) bad("--epoch-size must be in 0..100 000 000 (0 = the real training set)");
  if (o.val_split <= 0 || o.val_split >= 1) bad("--val-split must be in (0, 1)");
  if (o.folds < 1 || o.folds > 20) bad("--folds must be 1..20");
  if (o.gallery < 0 || o.gallery > 1000) bad("--gallery must be in 0..1000");
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
  log(load_line(rreal, "real (" + std::to_string(rreal.cache_hits) + " from the aligned-crop cache)"));
  if (synthetic.size() == 0 && o.train.mix > 0 && o.mix_given && !o.split_only) throw std::invalid_argument(no_synthetic_data(o));
  if (synthetic.size() == 0 && o.train.mix > 0)
    log("synthetic: none (no occgen output with aligned crops" + std::string(o.synthetic.empty() ? " in out/occgen" : "") +
        "); the default --mix does not apply: training on real photos only");
  else if (synthetic.size() > 0)
    log(load_line(rsyn, "synthetic"));
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
  data["real"] = load_json(rreal);
  data["synthetic"] = load_json(rsyn);
  data["train"] = split.train.size();
  data["validation"] = split.validation.size();
  if (!excluded.empty())
    data["excluded"] = {{"file", o.exclude.string()}, {"listed", excluded.size()}, {"removed_train", removed_train},
                        {"removed_validation", removed_val}, {"not_found", long(excluded.size()) - listed_found}};
  write_text_or_throw(o.out / "data.json", data.dump(1) + "\n");
  {  // What the model sees per class: available samples, and one epoch's draw after oversampling and mixing.
    const int classes = task_classes(o.task);
    const EpochPlan plan = plan_epoch(split.train.labels, synthetic.labels, classes, synthetic.size() ? o.train.mix : 0.0,
                                      o.train.epoch_size > 0 ? o.train.epoch_size : split.train.size(), o.train.oversample_power,
                                      o.train.seed * 1000003ull, o.train.synthetic_classes);
    ClassCounts cc{names, per_class(split.train.labels, classes), per_class(split.validation.labels, classes),
                   per_class(synthetic.labels, classes), std::vector<long>(size_t(classes), 0), std::vector<long>(size_t(classes), 0)};
    for (int64_t i : plan.real) ++cc.epoch_real[size_t(split.train.labels[size_t(i)])];
    for (int64_t i : plan.synthetic) ++cc.epoch_synthetic[size_t(synthetic.labels[size_t(i)])];
    write_class_chart(cc, "classes: what the model sees (mix " + std::to_string(o.train.mix).substr(0, 4) + ", oversample power " +
                              std::to_string(o.train.oversample_power).substr(0, 4) + ")", o.out / "classes.png");
  }

  TrainingResult result;
  if (o.split_only) {
    write_split_csv(split.train, region_label, o.out / "train.csv");
    write_split_csv(split.validation, region_label, o.out / "validation.csv");
    result.summary = "split written to " + o.out.string() + "/train.csv and validation.csv (no training)";
    return result;
  }
  // Occluders cut from a validation photo would teach the model the photos it is scored on.
  const std::set<std::string> cut_from = harvested_sources(o.synthetic);
  auto refuse_leaks = [&](const ImageSet& val) {
    for (int64_t i = 0; i < val.size(); ++i)
      if (cut_from.count(val.sources[size_t(i)]))
        throw std::runtime_error("the synthetic data uses an occluder harvested from validation photo " + val.paths[size_t(i)] +
                                 ": harvest with this run's --split-seed and --val-split (occharvest reads the training split "
                                 "only); with --folds every photo validates once, so harvested occluders cannot be used");
  };
  TrainingJob job(o, log);
  if (o.folds == 1) {
    refuse_leaks(split.validation);
    result.validation = job.run({split.train, split.validation, synthetic, region_label}, o.out, ro, &result.best_epoch);
    char b[200];
    std::snprintf(b, sizeof b, "best model (epoch %d): validation macro-F1 %.4f, accuracy %.4f; run folder %s", result.best_epoch,
                  result.validation.macro_f1, result.validation.accuracy, o.out.c_str());
    result.summary = b;
    return result;
  }
  // K-fold CV over whole source photos: each fold is the validation set once.
  const auto fold_idx = group_folds(all_real.sources, o.folds, o.train.seed);
  std::map<std::string, std::vector<float>> out_of_fold;  // path -> the probabilities of the model that never saw it
  for (int k = 0; k < o.folds; ++k) {
    std::vector<int64_t> tr;
    for (int j = 0; j < o.folds; ++j)
      if (j != k) tr.insert(tr.end(), fold_idx[size_t(j)].begin(), fold_idx[size_t(j)].end());
    std::sort(tr.begin(), tr.end());
    log("fold " + std::to_string(k + 1) + "/" + std::to_string(o.folds) + ": " + std::to_string(tr.size()) + " train, " +
        std::to_string(fold_idx[size_t(k)].size()) + " validation");
    long dropped = 0;
    const ImageSet train = without(all_real.subset(tr), excluded, dropped), val = without(all_real.subset(fold_idx[size_t(k)]), excluded, dropped);
    refuse_leaks(val);
    std::vector<std::vector<float>> probs;
    result.folds.push_back(job.run({train, val, synthetic, region_label}, o.out / ("fold" + std::to_string(k + 1)), ro, &result.best_epoch, &probs));
    for (int64_t i = 0; i < val.size(); ++i) out_of_fold[val.paths[size_t(i)]] = probs[size_t(i)];
  }
  write_review(o, all_real, out_of_fold, names, log);
  result.validation = result.folds.back();
  json cv;
  std::string summary;
  auto stat = [&](const std::string& name, const std::function<double(const Metrics&)>& f) {
    double mean = 0, sq = 0;
    for (const auto& m : result.folds) mean += f(m) / double(result.folds.size());
    for (const auto& m : result.folds) sq += (f(m) - mean) * (f(m) - mean);
    const double sd = std::sqrt(sq / double(result.folds.size() - 1));
    cv[name] = {{"mean", mean}, {"std", sd}};
    char b[160];
    std::snprintf(b, sizeof b, "%d-fold %-14s %.4f +- %.4f", o.folds, name.c_str(), mean, sd);
    summary += (summary.empty() ? "" : "\n") + std::string(b);
  };
  stat("accuracy", [](const Metrics& m) { return m.accuracy; });
  stat("macro_f1", [](const Metrics& m) { return m.macro_f1; });
  for (int c = 0; c < int(names.size()); ++c)
    stat("recall_" + names[size_t(c)], [c](const Metrics& m) { return m.per_class[size_t(c)].recall; });
  write_text_or_throw(o.out / "folds.json", cv.dump(1) + "\n");
  result.summary = summary;
  return result;
}

}  // namespace faceocc
