// occreport: the readable record of the retraining loop.
//
//   occreport history --history H.jsonl --report-dir D [--add ... one night's results]
//       appends a night (once per date) and redraws D/report.md + D/metrics_per_night.png
//   occreport mixes --cells out/compare_mixes/cells --out out/compare_mixes
//       mean +- std over seeds per mix ratio: mixes.md + mixes.png
// Exit: 0 done; 1 unreadable inputs; 2 bad arguments.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/train/line_plot.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using json = nlohmann::ordered_json;
using namespace faceocc;

static json read_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw std::runtime_error(p.string() + ": cannot open");
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(p.string() + ": not valid JSON");
  return j;
}

// "key = value" lines of an occtrain config.ini.
static std::map<std::string, std::string> read_ini(const fs::path& p) {
  std::map<std::string, std::string> kv;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find(" = ");
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string v = line.substr(eq + 3);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    kv[line.substr(0, eq)] = v;
  }
  return kv;
}

static double recall(const json& m, const std::string& cls) {
  return m.contains("per_class") && m["per_class"].contains(cls) ? m["per_class"][cls]["recall"].get<double>() : NAN;
}

static std::string fmt(double v, const char* f = "%.3f") {
  if (std::isnan(v)) return "–";
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

static int history(int argc, char** argv) {
  std::string hist, report_dir, night, run, chal_m, champ_m, cmp, promoted, reason, device;
  long seed = 0;
  double wall = 0;
  po::options_description d("occreport history: append one night to the history and redraw the report\n\noptions");
  d.add_options()("help,h", "show this help")
      ("history", po::value(&hist)->required(), "history file (JSON lines, one night each)")
      ("report-dir", po::value(&report_dir)->required(), "where report.md and the plots go")
      ("night", po::value(&night), "the night's date (YYYY-MM-DD); with it, the night is appended unless already there")
      ("seed", po::value(&seed), "the night's seed")
      ("run", po::value(&run), "the challenger's occtrain run folder (data sizes, mix, device)")
      ("challenger-metrics", po::value(&chal_m), "occeval metrics of the challenger")
      ("champion-metrics", po::value(&champ_m), "occeval metrics of the champion (absent on the first night)")
      ("compare", po::value(&cmp), "occeval compare.json")
      ("promoted", po::value(&promoted), "yes | no")
      ("reason", po::value(&reason)->default_value(""), "why (or why not)")
      ("wall-s", po::value(&wall)->default_value(0), "the night's wall time in seconds");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) { std::cout << d; return 0; }
    po::notify(vm);
    if (vm.count("night") && (run.empty() || chal_m.empty() || (promoted != "yes" && promoted != "no")))
      throw po::error("--night needs --run, --challenger-metrics and --promoted yes|no");
  } catch (const std::exception& e) {
    std::cerr << "occreport history: " << e.what() << "\n";
    return 2;
  }
  std::vector<json> rows;
  {
    std::ifstream in(hist);
    int n = 0;
    for (std::string line; std::getline(in, line);) {
      ++n;
      if (line.empty()) continue;
      const json j = json::parse(line, nullptr, false);
      if (j.is_discarded()) { std::cerr << "occreport: " << hist << ":" << n << ": not JSON, skipped\n"; continue; }
      rows.push_back(j);
    }
  }
  if (!night.empty()) {
    bool there = false;
    for (const auto& r : rows) there |= r.value("night", "") == night;
    if (there) {
      std::cerr << "occreport: " << night << " is already in " << hist << "; not appended again\n";
    } else {
      json r;
      r["night"] = night;
      r["seed"] = seed;
      const json data = read_json(fs::path(run) / "data.json");
      const auto ini = read_ini(fs::path(run) / "config.ini");
      r["mix"] = ini.count("mix") ? std::stod(ini.at("mix")) : NAN;
      r["init"] = ini.count("init") && !ini.at("init").empty() ? "champion" : "pretrained";
      r["real_train"] = data.value("train", 0);
      r["validation"] = data.value("validation", 0);
      long syn = 0;
      for (long v : data["synthetic"]["images"]) syn += v;
      r["synthetic"] = syn;
      std::ifstream cfg(fs::path(run) / "config.ini");
      for (std::string line; std::getline(cfg, line);)
        if (line.rfind("# resolved: device = ", 0) == 0) r["device"] = line.substr(21, line.find(',') - 21);
      r["challenger"] = read_json(chal_m);
      r["champion"] = champ_m.empty() ? json() : read_json(champ_m);
      if (!cmp.empty()) {
        const json c = read_json(cmp);
        r["test"] = {{"name", "McNemar exact"}, {"p_value", c["p_value"]}, {"champion_only_right", c["a_only_right"]},
                     {"challenger_only_right", c["b_only_right"]}, {"alpha", c["alpha"]}};
      }
      r["promoted"] = promoted == "yes";
      r["reason"] = reason;
      r["wall_s"] = wall;
      rows.push_back(r);
      std::string all;
      for (const auto& x : rows) all += x.dump() + "\n";
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
    const json& p = r["champion"];
    const bool has_p = p.is_object();
    md << "| " << r.value("night", "?") << " | " << r.value("seed", 0L) << " | " << fmt(r.value("mix", NAN), "%.2f") << " | "
       << r.value("init", "") << " | " << r.value("real_train", 0L) << " | " << r.value("synthetic", 0L) << " | " << c.value("n", 0L)
       << " | " << fmt(c.value("accuracy", NAN)) << " | " << fmt(c.value("macro_f1", NAN)) << " | " << fmt(recall(c, "1_1_0"), "%.2f")
       << " | " << fmt(recall(c, "1_0_1"), "%.2f") << " | " << fmt(recall(c, "1_1_1"), "%.2f") << " | "
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
  for (const char* who : {"champion", "challenger"})
    if (fs::exists(fs::path(report_dir) / (std::string("confusion_") + who + ".png")))
      md << "\nLatest night, " << who << ":\n\n![" << who << "](confusion_" << who << ".png)\n";
  write_text_or_throw(fs::path(report_dir) / "report.md", md.str());
  if (!write_line_plot({ca, cf, pa, pf}, po_, fs::path(report_dir) / "metrics_per_night.png"))
    throw std::runtime_error(report_dir + "/metrics_per_night.png: cannot write");
  std::cout << "occreport: " << rows.size() << " night(s); " << report_dir << "/report.md\n";
  return 0;
}

static int mixes(int argc, char** argv) {
  std::string cells, out;
  po::options_description d("occreport mixes: mean +- std over seeds of each mix ratio's runs\n\noptions");
  d.add_options()("help,h", "show this help")
      ("cells", po::value(&cells)->required(), "folder of finished occtrain runs (one per mix x seed)")
      ("out", po::value(&out)->required(), "where mixes.md and mixes.png go");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) { std::cout << d; return 0; }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "occreport mixes: " << e.what() << "\n";
    return 2;
  }
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"accuracy", ""}, {"macro-F1", ""}, {"recall none", "0_0_0"}, {"recall upper", "1_1_0"}, {"recall lower", "1_0_1"}, {"recall both", "1_1_1"}};
  std::map<double, std::vector<std::vector<double>>> by_mix;  // mix -> per seed -> column values
  std::map<double, std::vector<std::vector<double>>> proxy;   // the same on the synthetic proxy, where scored
  std::map<double, std::vector<std::string>> seeds;
  long n_eval = 0, n_proxy = 0;
  for (const auto& e : fs::directory_iterator(cells)) {
    if (!fs::is_regular_file(e.path() / "final.json")) continue;  // unfinished cell
    const auto ini = read_ini(e.path() / "config.ini");
    const json v = read_json(e.path() / "final.json")["validation"];
    const double mix = std::stod(ini.at("mix"));
    std::vector<double> row = {v["accuracy"].get<double>(), v["macro_f1"].get<double>()};
    for (size_t k = 2; k < cols.size(); ++k) row.push_back(recall(v, cols[k].second));
    by_mix[mix].push_back(row);
    if (fs::is_regular_file(e.path() / "proxy" / "metrics_m1.json")) {
      const json p = read_json(e.path() / "proxy" / "metrics_m1.json");
      proxy[mix].push_back({p["accuracy"].get<double>(), recall(p, "0_0_0"), recall(p, "1_1_0"), recall(p, "1_0_1")});
      n_proxy = p.value("n", 0L);
    }
    seeds[mix].push_back(ini.count("seed") ? ini.at("seed") : "?");
    n_eval = v.value("n", 0L);
  }
  if (by_mix.empty()) { std::cerr << "occreport mixes: no finished runs (final.json) under " << cells << "\n"; return 1; }
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
  write_text_or_throw(fs::path(out) / "mixes.md", md.str());
  PlotOptions o;
  o.title = "metric vs synthetic mix (mean +- std over seeds)";
  o.x_label = "mix (synthetic share)";
  o.y_label = "metric";
  // The plot leaves out recall of none (flat, high) and of both (a handful of photos: noise).
  std::vector<PlotSeries> shown;
  for (const auto& se : series)
    if (se.name != "recall none" && se.name != "recall both") shown.push_back(se);
  if (!write_line_plot(shown, o, fs::path(out) / "mixes.png")) throw std::runtime_error(out + "/mixes.png: cannot write");
  std::cout << md.str();
  return 0;
}

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "history") return history(argc - 1, argv + 1);
    if (cmd == "mixes") return mixes(argc - 1, argv + 1);
  } catch (const std::exception& e) {
    std::cerr << "occreport: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: occreport history --help | occreport mixes --help\n";
  return cmd == "-h" || cmd == "--help" ? 0 : 2;
}
