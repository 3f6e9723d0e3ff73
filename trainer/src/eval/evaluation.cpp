#include "faceocc/train/eval/evaluation.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/script.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/problem_summary.hpp"
#include "faceocc/progress.hpp"
#include "faceocc/train/eval/cascade.hpp"
#include "faceocc/train/eval/confusion_png.hpp"
#include "faceocc/train/data/datasets.hpp"
#include "faceocc/train/eval/error_gallery.hpp"
#include "faceocc/train/eval/threshold_report.hpp"
#include "faceocc/train/learn/metrics_json.hpp"
#include "faceocc/train/model/torch_archive_check.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

fs::path exported_model_file(const std::string& m) {
  const fs::path p = fs::is_directory(m) ? fs::path(m) / "model.torchscript.pt" : fs::path(m);
  if (!fs::is_regular_file(p)) throw std::runtime_error(p.string() + ": no such model (occtrain writes model.torchscript.pt)");
  return p;
}

static torch::jit::Module load_torchscript(const fs::path& file) {
  try {
    check_torch_archive(file);
    return torch::jit::load(file.string());
  } catch (const std::exception& e) {
    const std::string what = e.what();  // its first line: LibTorch appends a stack trace
    throw std::runtime_error(file.string() + ": not a TorchScript model (" + what.substr(0, std::min(what.find('\n'), size_t(200))) + ")");
  }
}

ModelScores score_model(const fs::path& file, const std::string& label, const ImageSet& set,
                        const std::function<void(const std::string&)>& log) {
  torch::jit::Module m = load_torchscript(file);
  m.eval();
  torch::NoGradGuard ng;
  ModelScores s;
  s.label = label;
  s.model = file;
  ProgressMeter meter("scoring " + file.filename().string(), "photos", long(set.size()), log);
  for (int64_t i = 0; i < set.size(); i += 128) {
    const torch::Tensor p = m.forward({set.images.slice(0, i, std::min(set.size(), i + 128)).contiguous()}).toTensor().contiguous();
    for (int64_t k = 0; k < p.size(0); ++k) s.probs.emplace_back(p[k].data_ptr<float>(), p[k].data_ptr<float>() + p.size(1));
    meter.update(long(s.probs.size()));
  }
  const int width = s.probs.empty() ? kNumClasses : int(s.probs[0].size());
  const auto task = task_of_outputs(width);
  if (!task)
    throw std::runtime_error(file.string() + ": outputs " + std::to_string(width) + " classes (expected 4, or 2 for binary)");
  s.task = *task;
  for (const auto& p : s.probs) s.predicted.push_back(int(std::max_element(p.begin(), p.end()) - p.begin()));
  for (int l : set.labels) s.truth.push_back(to_task_label(l, s.task));
  s.metrics = compute_metrics(s.truth, s.predicted, task_classes(s.task));
  return s;
}

Comparison compare(const ModelScores& a, const ModelScores& b, double alpha) {
  if (a.task != b.task) throw std::runtime_error("compare: the models predict different class sets");
  Comparison c;
  c.test = mcnemar_exact(correct_predictions(a.truth, a.predicted), correct_predictions(b.truth, b.predicted));
  c.promote = c.test.b_only > c.test.a_only && c.test.p_value < alpha;
  return c;
}

CascadeResult cascade(const ModelScores& binary, const ModelScores& region) {
  if (binary.task != Task::Binary || region.task != Task::Region)
    throw std::runtime_error("--cascade: the first model must be binary (occtrain --task binary), the second 4-class");
  CascadeResult r;
  const std::vector<int> c = cascade_predict(binary.probs, region.probs);
  r.cascade = compute_metrics(region.truth, c, kNumClasses);
  r.single = region.metrics;
  r.test = mcnemar_exact(correct_predictions(region.truth, region.predicted), correct_predictions(region.truth, c));
  return r;
}

void check_evaluate_options(const EvaluateOptions& o) {
  auto bad = [](const std::string& why) { throw std::invalid_argument(why); };
  if (o.models.empty()) bad("--model is required");
  if (o.real.empty()) bad("--real is required (labelled real photos)");
  if (o.mode != EvaluateOptions::Mode::Each && o.models.size() != 2) bad("--compare and --cascade take exactly two models");
  if (!o.labels.empty() && o.labels.size() != o.models.size()) bad("--label needs one name per --model");
  if (o.alpha <= 0 || o.alpha >= 1) bad("--alpha must be in (0, 1)");
  if (o.threads < 0 || o.threads > 1024) bad("--threads must be in 0..1024 (0 = all cores)");
  if (o.gallery < 0 || o.gallery > 1000) bad("--gallery must be in 0..1000");
}

// predictions_<label>.csv, metrics_<label>.json, confusion_<label>.png.
static void write_scores(const ModelScores& s, const std::string& model, const ImageSet& set, const fs::path& out, int gallery) {
  const auto names = task_class_names(s.task);
  std::ostringstream csv;
  csv << "path,true,predicted";
  for (const auto& n : names) csv << ",p_" << n;
  csv << "\n";
  for (int64_t i = 0; i < set.size(); ++i) {
    csv << set.paths[size_t(i)] << "," << names[size_t(s.truth[size_t(i)])] << "," << names[size_t(s.predicted[size_t(i)])];
    for (float p : s.probs[size_t(i)]) csv << "," << p;
    csv << "\n";
  }
  write_text_or_throw(out / ("predictions_" + s.label + ".csv"), csv.str());
  json j = metrics_json(s.metrics, names);
  j["model"] = model;
  write_text_or_throw(out / ("metrics_" + s.label + ".json"), j.dump(1) + "\n");
  write_confusion_png(s.metrics, names, s.label + " on " + std::to_string(set.size()) + " real photos",
                      out / ("confusion_" + s.label + ".png"));
  if (gallery > 0)
    write_error_gallery(scored_photos(set, s.truth, s.predicted, s.probs), names, gallery, "mistakes of " + s.label,
                        out / ("errors_" + s.label + ".png"));
}

Evaluation evaluate(const EvaluateOptions& o, const std::function<void(const std::string&)>& log) {
  check_evaluate_options(o);
  std::vector<std::string> labels = o.labels;
  for (size_t i = labels.size(); i < o.models.size(); ++i) labels.push_back("m" + std::to_string(i + 1));
  std::vector<fs::path> files;
  for (const auto& m : o.models) {  // a wrong path or a file that is no model fails before any photo is loaded
    files.push_back(exported_model_file(m));
    load_torchscript(files.back());
  }
  fs::create_directories(o.out);
  LoadReport rep;
  const ImageSet set = load_real(o.real, RealLoadOptions{o.cache, o.detector, o.threads, log}, rep);
  if (!rep.problems.empty()) log("left out " + std::to_string(rep.problems.size()) + " photos: " + summarise_problems(rep.problems));
  if (set.size() == 0) throw std::runtime_error("no usable real photos in --real");
  long fb = 0;
  for (long f : rep.fallback) fb += f;
  log(std::to_string(set.size()) + " real photos (" + std::to_string(fb) + " without a detected face: centre crop)");

  Evaluation e;
  std::ostringstream rep_text;
  for (size_t k = 0; k < files.size(); ++k) {
    e.models.push_back(score_model(files[k], labels[k], set, log));
    const ModelScores& s = e.models.back();
    write_scores(s, o.models[k], set, o.out, o.gallery);
    rep_text << "occeval: " << s.label << " (" << o.models[k] << "): accuracy " << s.metrics.accuracy << ", macro-F1 "
             << s.metrics.macro_f1 << "\n" << format_confusion(s.metrics, task_class_names(s.task));
    if (const std::string t = write_threshold_report(s, o.out); !t.empty())
      rep_text << "occeval: " << s.label << " thresholds (" << (o.out / ("thresholds_" + s.label + ".md")).string()
               << ", curves roc_" << s.label << ".png/.csv)\n" << t;
  }
  if (o.mode == EvaluateOptions::Mode::Compare) {
    const ModelScores &a = e.models[0], &b = e.models[1];
    e.comparison = compare(a, b, o.alpha);
    const auto names = task_class_names(a.task);
    json j;
    j["test"] = "McNemar exact (two-sided binomial on the photos exactly one model gets right)";
    j["n"] = set.size();
    j["alpha"] = o.alpha;
    j["a_only_right"] = e.comparison->test.a_only;
    j["b_only_right"] = e.comparison->test.b_only;
    j["p_value"] = e.comparison->test.p_value;
    j["promote"] = e.comparison->promote;
    j["a"] = metrics_json(a.metrics, names);
    j["a"]["label"] = a.label;
    j["b"] = metrics_json(b.metrics, names);
    j["b"]["label"] = b.label;
    write_text_or_throw(o.out / "compare.json", j.dump(1) + "\n");
    rep_text << "occeval: " << b.label << " vs " << a.label << ": right where the other is wrong " << e.comparison->test.b_only
             << " vs " << e.comparison->test.a_only << ", McNemar exact p = " << e.comparison->test.p_value << " -> "
             << (e.comparison->promote ? "promote " + b.label : "keep " + a.label) << "\n";
  }
  if (o.mode == EvaluateOptions::Mode::Cascade) {
    e.cascade = cascade(e.models[0], e.models[1]);
    const CascadeResult& c = *e.cascade;
    const auto names = task_class_names(Task::Region);
    json j;
    j["single"] = metrics_json(c.single, names);
    j["cascade"] = metrics_json(c.cascade, names);
    j["mcnemar"] = {{"single_only_right", c.test.a_only}, {"cascade_only_right", c.test.b_only}, {"p_value", c.test.p_value}};
    write_text_or_throw(o.out / "cascade.json", j.dump(1) + "\n");
    write_confusion_png(c.cascade, names, "cascade " + labels[0] + " -> " + labels[1], o.out / "confusion_cascade.png");
    char b[300];
    rep_text << "occeval: cascade vs single 4-class model on the same " << set.size() << " photos\n"
             << "| model | accuracy | macro-F1 | recall none | recall upper | recall lower | recall both |\n|---|---|---|---|---|---|---|\n";
    for (const auto& [name, m] : {std::pair<std::string, Metrics>{"single 4-class", c.single}, {"cascade binary -> 4-class", c.cascade}}) {
      std::snprintf(b, sizeof b, "| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n", name.c_str(), m.accuracy, m.macro_f1,
                    m.per_class[0].recall, m.per_class[1].recall, m.per_class[2].recall, m.per_class[3].recall);
      rep_text << b;
    }
    std::snprintf(b, sizeof b, "McNemar exact: single-only right %ld, cascade-only right %ld, p = %.4g\n", c.test.a_only,
                  c.test.b_only, c.test.p_value);
    rep_text << b << format_confusion(c.cascade, names);
  }
  e.report = rep_text.str();
  return e;
}

std::string compare_prediction_files(const fs::path& a_file, const fs::path& b_file) {
  auto read = [](const fs::path& f) {
    std::ifstream in(f);
    if (!in) throw std::runtime_error(f.string() + ": cannot open");
    std::map<std::string, bool> right;
    std::string line;
    std::getline(in, line);
    if (line.rfind("path,true,predicted", 0) != 0) throw std::runtime_error(f.string() + ": not an occeval predictions CSV");
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
  char s[400];
  std::snprintf(s, sizeof s, "%zu common photos (%zu in A, %zu in B): accuracy A %.4f, B %.4f; right only in A %ld, only in B %ld; "
                "McNemar exact p = %.3g", ra.size(), a.size(), b.size(), double(na) / double(ra.size()),
                double(nb) / double(ra.size()), t.a_only, t.b_only, t.p_value);
  return s;
}

}  // namespace faceocc
