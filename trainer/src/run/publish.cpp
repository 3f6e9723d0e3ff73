#include "faceocc/train/run/publish.hpp"

#include <cstdio>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/eval/calibration_report.hpp"
#include "faceocc/train/eval/confusion_png.hpp"
#include "faceocc/train/eval/error_gallery.hpp"
#include "faceocc/train/eval/model_card.hpp"
#include "faceocc/train/eval/threshold_report.hpp"
#include "faceocc/train/export/onnx_export.hpp"
#include "faceocc/train/export/torchscript_export.hpp"
#include "faceocc/train/learn/best_epoch.hpp"
#include "faceocc/train/learn/metrics_json.hpp"
#include "faceocc/train/model/checkpoint.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// The views of the last commit: metrics.jsonl, last.pt, best.pt + best.json,
// confusion_val.*; then epochs no later choice needs are removed. Derived
// from the commit alone, so redoing them after a kill gives the same files.
void publish_commit(const PublishContext& c, const fs::path& dir, const EpochStore& store, const EpochHistory& h,
                    const std::vector<int>& labels) {
  const int last = int(h.metrics.size());
  std::string lines;
  for (const auto& m : h.metrics) lines += m + "\n";
  write_text_or_throw(dir / "metrics.jsonl", lines);
  copy_file_atomic(store.model(last), dir / "last.pt");
  const BestChoice best = choose_best_epoch(labels, h.val_predicted, c.classes, c.options.best);
  const fs::path best_json = dir / "best.json";
  std::ifstream prev(best_json);
  const auto pj = nlohmann::json::parse(prev, nullptr, false);
  const bool same = !pj.is_discarded() && pj.value("epoch", 0) == best.epoch && fs::exists(dir / "best.pt");
  if (!same) {  // best.pt before best.json: best.json never names an epoch best.pt does not hold
    copy_file_atomic(store.model(best.epoch), dir / "best.pt");
    const Metrics m = compute_metrics(labels, h.val_predicted[size_t(best.epoch - 1)], c.classes);
    write_text_or_throw(dir / "confusion_val.csv", confusion_csv(m, c.names));
    write_confusion_png(m, c.names, "validation (real), epoch " + std::to_string(best.epoch), dir / "confusion_val.png");
    json j;
    j["epoch"] = best.epoch;
    j["rule"] = best_rule_string(c.options.best);
    j["why"] = best.why;
    write_text_or_throw(best_json, j.dump(1) + "\n");
    c.log("best model: epoch " + std::to_string(best.epoch) + " (" + best.why + ")");
  }
  store.tidy(epochs_to_keep(labels, h.val_predicted, c.classes, best.epoch));
}

Metrics publish_best_model(const PublishContext& c, const fs::path& dir, const ImageSet& val, int* best_epoch,
                           std::vector<std::vector<float>>* val_probs) {
  OcclusionNet best(c.options.tap, c.classes);
  load_checkpoint(best, dir / "best.pt");
  const torch::Device dev(c.options.train.device);
  best->to(dev);
  std::ifstream bj(dir / "best.json");
  *best_epoch = nlohmann::json::parse(bj, nullptr, false).value("epoch", 0);
  json final_j;
  std::vector<std::vector<float>> probs;
  const std::vector<int> predicted = predict(best, val, 128, dev, &probs);
  const Metrics final_m = compute_metrics(val.labels, predicted, c.classes);
  if (c.options.gallery > 0)
    write_error_gallery(scored_photos(val, val.labels, predicted, probs), c.names, c.options.gallery,
                        "validation mistakes, best model (epoch " + std::to_string(*best_epoch) + ")", dir / "errors_val.png");
  if (val_probs) *val_probs = probs;
  // Calibration (one temperature), then the threshold table, curves and the shipped operating
  // point on the calibrated probabilities: what the exported models output.
  const CalibrationReport cal = write_calibration_report(probs, val.labels, "val", dir);
  std::optional<CoveredThreshold> op;
  {
    ModelScores vs;
    vs.label = "val";
    vs.task = c.options.task;
    vs.probs = cal.calibrated;
    vs.predicted = predicted;
    vs.truth = val.labels;
    write_threshold_report(vs, dir);
    op = write_operating_point(vs, c.options.max_false_reject, cal.temperature, dir);
  }
  {
    char b[240];
    std::snprintf(b, sizeof b, "calibration: temperature %.3f; on held-out halves NLL %.4f -> %.4f, ECE %.4f -> %.4f", cal.temperature,
                  cal.nll_before, cal.nll_after, cal.ece_before, cal.ece_after);
    c.log(b);
    if (op) c.log("operating point: " + describe(op) + " (operating_point.json)");
  }
  final_j["best_epoch"] = *best_epoch;
  final_j["validation"] = metrics_json(final_m, c.names);
  final_j["calibration"] = {{"temperature", cal.temperature},
                            {"nll", {{"before", cal.nll_before}, {"after", cal.nll_after}}},
                            {"ece_15_bins", {{"before", cal.ece_before}, {"after", cal.ece_after}}}};
  if (op) final_j["operating_point"] = {{"threshold", op->threshold}, {"max_false_reject", op->false_reject}, {"clean_faces", op->clean_faces}};
  for (const auto& e : c.options.evals) {
    LoadReport re;
    ImageSet es = load_real({e}, c.load, re);
    c.log(load_summary(re, "eval " + e.string()));
    if (es.size() == 0) continue;
    for (int& l : es.labels) l = to_task_label(l, c.options.task);
    const Metrics m = compute_metrics(es.labels, predict(best, es, 128, dev), c.classes);
    c.log("eval " + e.string() + "\n" + format_confusion(m, c.names));
    const std::string stem = "eval_" + e.filename().string();
    final_j["eval"][e.string()] = metrics_json(m, c.names);
    write_text_or_throw(dir / (stem + ".csv"), confusion_csv(m, c.names));
    write_confusion_png(m, c.names, "eval " + e.string(), dir / (stem + ".png"));
  }
  write_text_or_throw(dir / "final.json", final_j.dump(1) + "\n");
  fold_temperature(best, cal.temperature);  // the exported models output calibrated probabilities
  export_torchscript(best, dir / "model.torchscript.pt");
  export_onnx(best, dir / "model.onnx", model_metadata(op, cal.temperature));
  if (c.options.folds <= 1) write_model_card(dir);  // a fold's model is an estimate, not one to ship
  c.log("best model (epoch " + std::to_string(*best_epoch) + "): validation accuracy " + std::to_string(final_m.accuracy) +
        ", macro-F1 " + std::to_string(final_m.macro_f1) + " (" + dir.string() + ")");
  return final_m;
}

}  // namespace faceocc
