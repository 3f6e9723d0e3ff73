#include "faceocc/train/eval/loop_report.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/classes.hpp"
#include "faceocc/train/eval/line_plot.hpp"
#include "faceocc/train/run/json_record.hpp"
#include "faceocc/train/run/run_dir.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The loop report copies these records into its history: their keys keep the file's order.
json read_json(const fs::path& p) { return read_ordered_json_object(p, "the loop report"); }

double recall(const json& m, const std::string& cls) {
  const json* r = m.contains("per_class") && m["per_class"].is_object() && m["per_class"].contains(cls) &&
                          m["per_class"][cls].is_object() && m["per_class"][cls].contains("recall")
                      ? &m["per_class"][cls]["recall"] : nullptr;
  return r && r->is_number() ? r->get<double>() : NAN;
}

std::string fmt(double v, const char* f = "%.3f") {
  if (std::isnan(v)) return "–";
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// "" when a history line has the fields a report row reads, with their types.
std::string night_record_problem(const json& j) {
  if (!j.is_object()) return "not an object";
  if (!j.contains("challenger") || !j["challenger"].is_object()) return "no challenger metrics";
  for (const char* k : {"night", "init", "reason", "device"})
    if (j.contains(k) && !j[k].is_string()) return std::string(k) + " is not text";
  for (const char* k : {"seed", "mix", "real_train", "synthetic", "validation", "wall_s"})
    if (j.contains(k) && !j[k].is_number() && !j[k].is_null()) return std::string(k) + " is not a number";
  if (j.contains("promoted") && !j["promoted"].is_boolean()) return "promoted is not true/false";
  if (j.contains("champion") && !j["champion"].is_object() && !j["champion"].is_null()) return "champion is not metrics";
  if (j.contains("test") && !j["test"].is_object()) return "test is not an object";
  for (const char* who : {"challenger", "champion"})
    if (j.contains(who) && j[who].is_object())
      for (const char* k : {"accuracy", "macro_f1", "n"})
        if (j[who].contains(k) && !j[who][k].is_number() && !j[who][k].is_null()) return std::string(who) + " " + k + " is not a number";
  return "";
}

}  // namespace

int update_history(const fs::path& hist, const fs::path& report_dir, const std::optional<NightResult>& night,
                   const std::function<void(const std::string&)>& log) {
  std::vector<json> rows;
  std::string lines;  // the file as read, skipped lines too: appending never drops what it cannot show
  {
    std::ifstream in(hist);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      ++n;
      if (line.empty()) continue;
      lines += line + "\n";
      const json j = json::parse(line, nullptr, false);
      if (j.is_discarded()) { log(hist.string() + ":" + std::to_string(n) + ": not JSON, skipped"); continue; }
      if (const std::string why = night_record_problem(j); !why.empty()) {
        log(hist.string() + ":" + std::to_string(n) + ": not a night's record (" + why + "), skipped");
        continue;
      }
      rows.push_back(j);
    }
  }
  if (night) {
    bool there = false;
    for (const auto& r : rows) there |= r.value("night", "") == night->night;
    if (there) {
      log(night->night + " is already in " + hist.string() + "; not appended again");
    } else {
      const NightResult& n = *night;
      const RunDir run(n.run);
      json r;
      r["night"] = n.night;
      r["seed"] = n.seed;
      const json data = read_json(run.file("data.json"));
      const auto ini = run.config();
      r["mix"] = ini.count("mix") ? std::stod(ini.at("mix")) : NAN;
      r["init"] = ini.count("init") && !ini.at("init").empty() ? "champion" : "pretrained";
      r["real_train"] = data.value("train", 0);
      r["validation"] = data.value("validation", 0);
      long syn = 0;
      for (long v : data["synthetic"]["images"]) syn += v;
      r["synthetic"] = syn;
      std::ifstream cfg(run.config_file());
      for (std::string line; std::getline(cfg, line);)
        if (line.rfind("# resolved: device = ", 0) == 0) r["device"] = line.substr(21, line.find(',') - 21);
      r["challenger"] = read_json(n.challenger_metrics);
      r["champion"] = n.champion_metrics.empty() ? json() : read_json(n.champion_metrics);
      if (!n.compare.empty()) {
        const json c = read_json(n.compare);
        r["test"] = {{"name", "McNemar exact"}, {"p_value", c["p_value"]}, {"champion_only_right", c["a_only_right"]},
                     {"challenger_only_right", c["b_only_right"]}, {"alpha", c["alpha"]}};
      }
      r["promoted"] = n.promoted;
      r["reason"] = n.reason;
      r["wall_s"] = n.wall_s;
      rows.push_back(r);
      const std::string all = lines + r.dump() + "\n";
      write_text_or_throw(hist, all);  // whole file via a temporary name: a kill never leaves half a line
    }
  }
  fs::create_directories(report_dir);
  std::ostringstream md;
  md << "# faceocc nightly report\n\nOne row per night. Challenger = tonight's model; champion = the model in service before "
        "tonight, scored on the same real photos. Promotion needs McNemar's exact test at the night's alpha.\n\n"
     << "| night | seed | mix | init | real train | synthetic | eval n | challenger acc | macro-F1 | recall upper | recall lower | "
        "recall both | champion acc | champion macro-F1 | p | promoted | wall s | device |\n"
     << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  PlotSeries ca{"challenger accuracy", {}, {}, {}}, cf{"challenger macro-F1", {}, {}, {}}, pa{"champion accuracy", {}, {}, {}},
      pf{"champion macro-F1", {}, {}, {}};
  PlotOptions po_;
  po_.title = "metric per night (real evaluation set)";
  po_.x_label = "night";
  po_.y_label = "metric";
  for (size_t i = 0; i < rows.size(); ++i) {
    const json& r = rows[i];
    const json& c = r["challenger"];
    static const json no_champion;  // a record may have none (older records): r["champion"] on a const json
                                    // without the key reads past the end (AddressSanitizer found it)
    const json& p = r.contains("champion") ? r["champion"] : no_champion;
    const bool has_p = p.is_object();
    md << "| " << r.value("night", "?") << " | " << r.value("seed", 0L) << " | " << fmt(r.value("mix", NAN), "%.2f") << " | "
       << r.value("init", "") << " | " << r.value("real_train", 0L) << " | " << r.value("synthetic", 0L) << " | " << c.value("n", 0L)
       << " | " << fmt(c.value("accuracy", NAN)) << " | " << fmt(c.value("macro_f1", NAN)) << " | " << fmt(recall(c, class_folder(OccClass::Upper)), "%.2f")
       << " | " << fmt(recall(c, class_folder(OccClass::Lower)), "%.2f") << " | " << fmt(recall(c, class_folder(OccClass::Both)), "%.2f") << " | "
       << (has_p ? fmt(p.value("accuracy", NAN)) : "–") << " | " << (has_p ? fmt(p.value("macro_f1", NAN)) : "–") << " | "
       << (r.contains("test") ? fmt(r["test"].value("p_value", NAN), "%.3g") : "–") << " | "
       << (r.value("promoted", false) ? "**yes**" : "no") << " | " << fmt(r.value("wall_s", NAN), "%.0f") << " | "
       << r.value("device", "") << " |\n";
    po_.x_ticks.push_back(r.value("night", "?"));
    const double x = double(i);
    ca.x.push_back(x); ca.y.push_back(c.value("accuracy", NAN));
    cf.x.push_back(x); cf.y.push_back(c.value("macro_f1", NAN));
    if (has_p) {
      pa.x.push_back(x); pa.y.push_back(p.value("accuracy", NAN));
      pf.x.push_back(x); pf.y.push_back(p.value("macro_f1", NAN));
    }
  }
  if (!rows.empty()) {
    md << "\nWhy, per night:\n\n";
    for (const auto& r : rows) md << "- " << r.value("night", "?") << ": " << r.value("reason", "") << "\n";
  }
  md << "\n![metric per night](metrics_per_night.png)\n";
  if (fs::exists(report_dir / "MODEL_CARD_champion.md"))
    md << "\nThe champion's model card (data, licences, per-class rates, calibration, operating point): "
          "[MODEL_CARD_champion.md](MODEL_CARD_champion.md)\n";
  for (const char* who : {"champion", "challenger"})
    if (fs::exists(report_dir / (std::string("confusion_") + who + ".png")))
      md << "\nLatest night, " << who << ":\n\n![" << who << "](confusion_" << who << ".png)\n";
  if (fs::exists(report_dir / "errors_champion.png"))
    md << "\nThe champion's mistakes on the evaluation photos (by true -> predicted cell, most confident first):\n\n"
          "![champion's mistakes](errors_champion.png)\n";
  write_text_or_throw(report_dir / "report.md", md.str());
  if (!write_line_plot({ca, cf, pa, pf}, po_, report_dir / "metrics_per_night.png"))
    throw std::runtime_error((report_dir / "metrics_per_night.png").string() + ": cannot write");
  return int(rows.size());
}

std::string report_mixes(const fs::path& cells, const fs::path& out) {
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"accuracy", ""}, {"macro-F1", ""}, {"recall none", class_folder(OccClass::None)}, {"recall upper", class_folder(OccClass::Upper)}, {"recall lower", class_folder(OccClass::Lower)}, {"recall both", class_folder(OccClass::Both)}};
  std::map<double, std::vector<std::vector<double>>> by_mix;  // mix -> per seed -> column values
  std::map<double, std::vector<std::vector<double>>> proxy;   // the same on the synthetic proxy, where scored
  std::map<double, std::vector<std::string>> seeds;
  long n_eval = 0, n_proxy = 0;
  for (const auto& e : fs::directory_iterator(cells)) {
    if (!fs::is_regular_file(e.path() / "final.json")) continue;  // unfinished cell
    const auto ini = RunDir(e.path()).config();
    const json v = read_json(e.path() / "final.json")["validation"];
    const double mix = std::stod(ini.at("mix"));
    std::vector<double> row = {v["accuracy"].get<double>(), v["macro_f1"].get<double>()};
    for (size_t k = 2; k < cols.size(); ++k) row.push_back(recall(v, cols[k].second));
    by_mix[mix].push_back(row);
    if (fs::is_regular_file(e.path() / "proxy" / "metrics_m1.json")) {
      const json p = read_json(e.path() / "proxy" / "metrics_m1.json");
      proxy[mix].push_back({p["accuracy"].get<double>(), recall(p, class_folder(OccClass::None)), recall(p, class_folder(OccClass::Upper)), recall(p, class_folder(OccClass::Lower))});
      n_proxy = p.value("n", 0L);
    }
    seeds[mix].push_back(ini.count("seed") ? ini.at("seed") : "?");
    n_eval = v.value("n", 0L);
  }
  if (by_mix.empty()) throw std::runtime_error("no finished runs (final.json) under " + cells.string());
  std::ostringstream md;
  md << "# Mix ratio comparison\n\nEach row: runs with the same training budget and different seeds, evaluated on the same "
     << n_eval << " real validation photos (split by source photo, fixed split seed). mean ± std over seeds.\n\n| mix | seeds |";
  for (const auto& c : cols) md << " " << c.first << " |";
  md << "\n|---|---|";
  for (size_t k = 0; k < cols.size(); ++k) md << "---|";
  md << "\n";
  std::vector<PlotSeries> series(cols.size());
  for (size_t k = 0; k < cols.size(); ++k) series[k].name = cols[k].first;
  for (const auto& [mix, runs] : by_mix) {
    md << "| " << fmt(mix, "%.2f") << " | " << runs.size() << " |";
    for (size_t k = 0; k < cols.size(); ++k) {
      double mean = 0, sq = 0;
      for (const auto& r : runs) mean += r[k] / double(runs.size());
      for (const auto& r : runs) sq += (r[k] - mean) * (r[k] - mean);
      const double sd = runs.size() > 1 ? std::sqrt(sq / double(runs.size() - 1)) : 0.0;
      md << " " << fmt(mean) << " ± " << fmt(sd) << " |";
      series[k].x.push_back(mix);
      series[k].y.push_back(mean);
      series[k].err.push_back(sd);
    }
    md << "\n";
  }
  auto mean_sd = [](const std::vector<std::vector<double>>& runs, size_t k) {
    double mean = 0, sq = 0;
    for (const auto& r : runs) mean += r[k] / double(runs.size());
    for (const auto& r : runs) sq += (r[k] - mean) * (r[k] - mean);
    return std::pair{mean, runs.size() > 1 ? std::sqrt(sq / double(runs.size() - 1)) : 0.0};
  };
  if (!proxy.empty()) {
    md << "\nSynthetic proxy for what the real set lacks (" << n_proxy
       << " occgen images made from the validation split's clean faces, never trained on: clean faces, hair-only "
          "upper, chin-only lower). Synthetic occluders score synthetic-trained models favourably: read it as "
          "\"does the model know these occluders at all\", not as real-world accuracy.\n\n"
       << "| mix | seeds | proxy accuracy | recall none (clean) | recall upper (hair) | recall lower (chin) |\n"
       << "|---|---|---|---|---|---|\n";
    PlotSeries hair{"proxy upper (hair)", {}, {}, {}}, chin{"proxy lower (chin)", {}, {}, {}};
    for (const auto& [mix, runs] : proxy) {
      md << "| " << fmt(mix, "%.2f") << " | " << runs.size() << " |";
      for (size_t k = 0; k < 4; ++k) {
        const auto [m, sd] = mean_sd(runs, k);
        md << " " << fmt(m) << " ± " << fmt(sd) << " |";
      }
      md << "\n";
      hair.x.push_back(mix); hair.y.push_back(mean_sd(runs, 2).first); hair.err.push_back(mean_sd(runs, 2).second);
      chin.x.push_back(mix); chin.y.push_back(mean_sd(runs, 3).first); chin.err.push_back(mean_sd(runs, 3).second);
    }
    series.push_back(hair);
    series.push_back(chin);
  }
  md << "\n![metric vs mix](mixes.png)\n";
  fs::create_directories(out);
  write_text_or_throw(out / "mixes.md", md.str());
  PlotOptions o;
  o.title = "metric vs synthetic mix (mean +- std over seeds)";
  o.x_label = "mix (synthetic share)";
  o.y_label = "metric";
  // The plot leaves out recall of none (flat, high) and of both (a handful of photos: noise).
  std::vector<PlotSeries> shown;
  for (const auto& se : series)
    if (se.name != "recall none" && se.name != "recall both") shown.push_back(se);
  if (!write_line_plot(shown, o, out / "mixes.png")) throw std::runtime_error((out / "mixes.png").string() + ": cannot write");
  return md.str();
}

}  // namespace faceocc
