#include "faceocc/train/run/folds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/manifest_csv.hpp"
#include "faceocc/train/eval/error_gallery.hpp"
#include "faceocc/train/run/exclude_list.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

std::string normal(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

// Likely label errors: photos whose given label gets a low out-of-fold
// probability while another class gets a high one, most suspicious first
// (largest gap), as review.csv and review.png.
void write_review(const TrainingRunOptions& o, const ImageSet& all, const std::map<std::string, std::vector<float>>& oof,
                  const std::vector<std::string>& names, const std::function<void(const std::string&)>& log) {
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

}  // namespace

TrainingResult run_folds(const TrainingRunOptions& o, TrainingJob& job, const ImageSet& all_real, const ImageSet& synthetic,
                         const std::map<std::string, int>& region_label, const std::set<std::string>& excluded,
                         const SyntheticSources& used, const std::function<void(const std::string&)>& log) {
  TrainingResult result;
  const std::vector<std::string> names = task_class_names(o.task);
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
    refuse_leaks(used, val);
    std::vector<std::vector<float>> probs;
    result.folds.push_back(job.run({train, val, synthetic, region_label}, o.out / ("fold" + std::to_string(k + 1)), &result.best_epoch, &probs));
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
