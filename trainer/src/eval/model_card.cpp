#include "faceocc/train/eval/model_card.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/learn/operating_points.hpp"
#include "faceocc/train/run/json_record.hpp"
#include "faceocc/train/run/run_dir.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A JSON record of the run: null when absent; throws naming the file when malformed.
json record(const fs::path& file) {
  const auto j = read_json_object_if_present(file, "the model card");
  return j ? *j : json(nullptr);
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string share(const Proportion& p) {
  return fmt("%.3f", p.value) + " [" + fmt("%.3f", p.low) + ", " + fmt("%.3f", p.high) + "] (" + std::to_string(p.k) + "/" +
         std::to_string(p.n) + ")";
}

std::string share(const json& p) {
  if (!p.is_object()) return "not recorded";
  return share(Proportion{p.value("k", 0L), p.value("n", 0L), p.value("value", 0.0), p.value("low", 0.0), p.value("high", 0.0)});
}

// A per-class count array (datasets' load reports) summed; a plain number as it is.
long total(const json& v) {
  if (v.is_number()) return v.get<long>();
  long n = 0;
  if (v.is_array())
    for (const auto& x : v) n += x.is_number() ? x.get<long>() : 0;
  return n;
}

std::string list(const json& a) {
  std::string s;
  if (a.is_array())
    for (const auto& x : a) s += (s.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
  return s.empty() ? "none" : s;
}

// What the records can say about the limits (classes with few validation photos), and what they cannot.
void limits(std::ostringstream& md, const json& data) {
  if (!data.is_null() && data.contains("per_class"))
    for (size_t c = 0; c < data["classes"].size(); ++c)
      if (const long n = data["per_class"]["validation"][c].get<long>(); n < 30)
        md << "- " << data["classes"][c].get<std::string>() << ": " << n << " validation photos (" << data["per_class"]["train"][c].get<long>()
           << " in training): its rates below are not established.\n";
  md << "- Not measured by these records: what covers a face in the real photos (labels say which part is covered, not by "
        "what), nor children, profile faces, dark or infrared captures. The development photos' README says their upper "
        "class is sunglasses only and their lower class mostly masks: hands, hair and scarves are taught by synthetic data "
        "(below, if any) and measured separately (scripts/hand_check.sh). Measure on your own users' photos.\n"
     << "- The threshold was chosen on the validation photos; on another population the clean-face rejection rate will "
        "differ. Re-measure it (occeval writes the same table) before relying on it.\n\n";
}

void real_data(std::ostringstream& md, const json& data, const std::map<std::string, std::string>& cfg) {
  md << "## Real data\n\n";
  if (data.is_null()) { md << "data.json is absent: not recorded.\n\n"; return; }
  md << "- Sources: " << list(data["real_roots"]) << "\n";
  md << "- Photos used: " << total(data["real"]["images"]) << " (per class " << data["real"]["images"].dump() << "); left out: " << data["real"]["left_out"].size()
     << " (unreadable or no face found; listed in data.json)\n";
  auto get = [&](const char* k) { return cfg.count(k) ? cfg.at(k) : std::string("?"); };
  md << "- Split by source photo: " << data.value("train", 0L) << " training, " << data.value("validation", 0L)
     << " validation photos (validation share " << get("val-split") << ", split seed "
     << (get("split-seed") == "-1" ? get("seed") + " (the seed)" : get("split-seed")) << ")\n\n";
  if (data.contains("per_class")) {
    md << "| class | training photos | validation photos | synthetic pool |\n|---|---|---|---|\n";
    const auto& pc = data["per_class"];
    for (size_t c = 0; c < data["classes"].size(); ++c)
      md << "| " << data["classes"][c].get<std::string>() << " | " << pc["train"][c] << " | " << pc["validation"][c] << " | "
         << pc["synthetic"][c] << " |\n";
    md << "\n";
  }
}

void synthetic_data(std::ostringstream& md, const json& data, const std::map<std::string, std::string>& cfg) {
  md << "## Synthetic data\n\n";
  const json dirs = data.is_null() ? json::array() : data["synthetic_dirs"];
  if (dirs.empty() || total(data["synthetic"]["images"]) == 0) {
    md << "None: trained on real photos only.\n\n";
    return;
  }
  md << "- Mix: " << (cfg.count("mix") ? cfg.at("mix") : "?") << " of each epoch's samples (first epoch drawn per class: real "
     << data["first_epoch"]["real"].dump() << ", synthetic " << data["first_epoch"]["synthetic"].dump() << ")\n";
  for (const auto& d : dirs) {
    const fs::path dir = d.get<std::string>();
    const json s = record(dir / "summary.json");
    md << "- `" << dir.string() << "`: ";
    if (s.is_null()) { md << "no summary.json: occgen settings not recorded\n"; continue; }
    const json& st = s["settings"];
    md << s.value("images", 0L) << " images from " << s.value("distinct_source_faces", 0L) << " source faces (" << s.value("identities", 0L)
       << " identities); occgen count " << st.value("count", 0L) << ", seed " << st.value("seed", 0L) << ", aligned " << st.value("aligned", 0)
       << ", touch decoys " << st.value("touch", 0.0) << "; per class " << s["per_class"].dump() << "\n";
    if (s.contains("per_occluder_category")) md << "  - occluder families (images): " << s["per_occluder_category"].dump() << "\n";
    if (s.contains("images_per_occluder_licence"))
      for (const auto& [licence, n] : s["images_per_occluder_licence"].items()) md << "  - " << n << " images with an occluder under " << licence << "\n";
    if (s.contains("share_alike")) md << "  - **ShareAlike:** " << s["share_alike"].get<std::string>() << "\n";
  }
  md << "\n";
}

void metrics(std::ostringstream& md, const json& fin, const std::vector<std::string>& names) {
  md << "## Validation (real photos the model never trained on)\n\n";
  if (fin.is_null() || !fin.contains("validation")) { md << "final.json is absent: not recorded.\n\n"; return; }
  const json& v = fin["validation"];
  const auto conf = v["confusion"].get<std::vector<std::vector<long>>>();
  long right = 0, total = 0;
  for (size_t t = 0; t < conf.size(); ++t)
    for (size_t p = 0; p < conf[t].size(); ++p) total += conf[t][p], right += t == p ? conf[t][p] : 0;
  md << "Best epoch " << fin.value("best_epoch", 0) << ". Accuracy " << share(wilson(right, total)) << ", macro-F1 " << fmt("%.3f", v.value("macro_f1", 0.0))
     << ". Intervals: 95 % Wilson.\n\n| class | photos | recall | precision |\n|---|---|---|---|\n";
  for (size_t c = 0; c < conf.size(); ++c) {
    long col = 0;
    for (size_t t = 0; t < conf.size(); ++t) col += conf[t][c];
    long row = 0;
    for (long x : conf[c]) row += x;
    md << "| " << names.at(c) << " | " << row << " | " << share(wilson(conf[c][c], row)) << " | " << share(wilson(conf[c][c], col)) << " |\n";
  }
  std::vector<std::tuple<long, size_t, size_t>> cells;
  for (size_t t = 0; t < conf.size(); ++t)
    for (size_t p = 0; p < conf.size(); ++p)
      if (t != p && conf[t][p] > 0) cells.emplace_back(conf[t][p], t, p);
  std::sort(cells.begin(), cells.end(), [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
  md << "\nMost common confusions (the photos: errors_val.png):\n\n";
  if (cells.empty()) md << "- none\n";
  for (size_t i = 0; i < std::min<size_t>(5, cells.size()); ++i) {
    const auto& [n, t, p] = cells[i];
    md << "- " << names.at(t) << " called " << names.at(p) << ": " << n << "\n";
  }
  md << "\n";
}

void calibration_and_threshold(std::ostringstream& md, const json& cal, const json& op) {
  md << "## Calibration\n\n";
  if (cal.is_null()) md << "calibration_val.json is absent: the probabilities are not calibrated.\n\n";
  else
    md << "Temperature " << fmt("%.3f", cal.value("temperature", 1.0)) << ", folded into model.onnx and model.torchscript.pt. "
       << "Measured on each half of the validation photos under the temperature fitted on the other half: NLL "
       << fmt("%.4f", cal["nll"].value("before", 0.0)) << " -> " << fmt("%.4f", cal["nll"].value("after", 0.0)) << ", ECE (15 bins) "
       << fmt("%.4f", cal["ece_15_bins"].value("before", 0.0)) << " -> " << fmt("%.4f", cal["ece_15_bins"].value("after", 0.0))
       << " (reliability_val.png).\n\n";
  md << "## Operating point\n\n";
  if (op.is_null()) { md << "operating_point.json is absent: the tools decide by the most probable class.\n\n"; return; }
  md << "A face is \"retake\" when 1 - p(none) >= **" << fmt("%.4f", op.value("threshold", 0.0)) << "**, chosen to reject at most "
     << fmt("%.1f", 100 * op.value("max_false_reject", 0.0)) << " % of the clean validation faces (`occtrain --max-false-reject`); "
     << "which part to uncover is the most probable covered class. Stored in model.onnx's metadata; `--operating-point` overrides it.\n\n"
     << "| on the validation photos | operating point | most probable class |\n|---|---|---|\n"
     << "| clean faces rejected | " << share(op["measured"]["false_reject"]) << " | " << share(op["argmax"]["false_reject"]) << " |\n";
  for (const char* g : {"covered", "upper", "lower", "both"})
    if (op["measured"]["caught"].contains(g))
      md << "| " << g << " caught | " << share(op["measured"]["caught"][g]) << " | " << share(op["argmax"]["caught"][g]) << " |\n";
  md << "\nVerdicts that differ from the most probable class: " << op["verdicts_changed_from_argmax"].value("k", 0L) << " of "
     << op["verdicts_changed_from_argmax"].value("n", 0L) << ". Thresholds stored for other false-reject rates (`--operating-point RATE%`): "
     << op["metadata"].value("covered_thresholds_by_false_reject", std::string("none")) << ". The full table and curves: thresholds_val.md, "
     << "roc_val.png, det_val.png. A rate this low rests on few clean faces: the interval above says how well it is known.\n\n";
}

}  // namespace

std::string write_model_card(const fs::path& run) {
  const RunDir rd(run);
  const auto cfg = rd.config();
  const json data = record(run / "data.json"), fin = record(run / "final.json"), cal = record(run / "calibration_val.json"),
             op = record(run / "operating_point.json");
  std::vector<std::string> names;
  if (!data.is_null()) names = data["classes"].get<std::vector<std::string>>();
  std::ostringstream md;
  md << "# Model card: " << fs::absolute(run).lexically_normal().filename().string() << "\n\n"
     << "Generated by occtrain from this run folder's records (config.ini, data.json, final.json, calibration_val.json, "
        "operating_point.json, the occgen summaries).\n\n"
     << "## Intended use\n\n"
     << "A capture-time check for identity-verification selfies: one face, photographed on purpose, found by BlazeFace and aligned "
        "to the 112 x 112 InsightFace template. It says whether the eyes and brows (upper), the mouth and chin (lower), or both "
        "are covered, so the app can ask the user to uncover them before the photo is used. It is not a face recogniser, and "
        "must not be used to infer identity, age, sex, ethnicity or emotion, or to watch people who did not choose to be photographed.\n\n"
     << "## Limits\n\n";
  limits(md, data);
  real_data(md, data, cfg);
  synthetic_data(md, data, cfg);
  md << "## Training\n\n";
  for (const char* k : {"epochs", "batch", "mix", "loss", "oversample-power", "tap", "task", "seed", "best"})
    if (cfg.count(k)) md << "`" << k << " = " << cfg.at(k) << "` ";
  md << "(all settings: config.ini)\n\n";
  if (!names.empty()) metrics(md, fin, names);
  calibration_and_threshold(md, cal, op);
  write_text_or_throw(run / "MODEL_CARD.md", md.str());
  return md.str();
}

}  // namespace faceocc
