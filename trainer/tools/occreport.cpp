// occreport: the readable record of the retraining loop. Parses options and
// calls loop_report.hpp.
//
//   occreport history --history H.jsonl --report-dir D [--night ... one night's results]
//       appends a night (once per date) and redraws D/report.md + D/metrics_per_night.png
//   occreport mixes --cells out/compare_mixes/cells --out out/compare_mixes
//       mean +- std over seeds per mix ratio: mixes.md + mixes.png
// Exit: 0 done; 1 unreadable inputs; 2 bad arguments.
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/cli_config.hpp"
#include "faceocc/train/eval/loop_report.hpp"

namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd != "history" && cmd != "mixes") {
    std::cerr << "usage: occreport history --help | occreport mixes --help\n";
    return cmd == "-h" || cmd == "--help" ? 0 : 2;
  }
  std::string hist, report_dir, promoted, cells, out, config;
  NightResult n;
  std::string run, chal_m, champ_m, cmp;
  po::options_description d(cmd == "history" ? "occreport history: append one night to the history and redraw the report\n\noptions"
                                             : "occreport mixes: mean +- std over seeds of each mix ratio's runs\n\noptions");
  d.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occreport.ini"), "INI file of defaults (skipped if the default is absent)");
  if (cmd == "history")
    d.add_options()("history", po::value(&hist)->required(), "history file (JSON lines, one night each)")
        ("report-dir", po::value(&report_dir)->required(), "where report.md and the plots go")
        ("night", po::value(&n.night), "the night's date (YYYY-MM-DD); with it, the night is appended unless already there")
        ("seed", po::value(&n.seed), "the night's seed")
        ("run", po::value(&run), "the challenger's occtrain run folder (data sizes, mix, device)")
        ("challenger-metrics", po::value(&chal_m), "occeval metrics of the challenger")
        ("champion-metrics", po::value(&champ_m), "occeval metrics of the champion (absent on the first night)")
        ("compare", po::value(&cmp), "occeval compare.json")
        ("promoted", po::value(&promoted), "yes | no")
        ("reason", po::value(&n.reason)->default_value(""), "why (or why not)")
        ("wall-s", po::value(&n.wall_s)->default_value(0), "the night's wall time in seconds");
  else
    d.add_options()("cells", po::value(&cells)->required(), "folder of finished occtrain runs (one per mix x seed)")
        ("out", po::value(&out)->required(), "where mixes.md and mixes.png go");
  try {
    po::variables_map vm;
    if (std::string(argc > 2 ? argv[2] : "") == "--help" || std::string(argc > 2 ? argv[2] : "") == "-h") { std::cout << d; return 0; }
    parse_with_config(argc - 1, argv + 1, d, vm);
    if (!n.night.empty() && (run.empty() || chal_m.empty() || (promoted != "yes" && promoted != "no")))
      throw po::error("--night needs --run, --challenger-metrics and --promoted yes|no");
  } catch (const std::exception& e) {
    std::cerr << "occreport " << cmd << ": " << e.what() << "\n";
    return 2;
  }
  try {
    if (cmd == "mixes") {
      std::cout << report_mixes(cells, out);
      return 0;
    }
    n.run = run, n.challenger_metrics = chal_m, n.champion_metrics = champ_m, n.compare = cmp, n.promoted = promoted == "yes";
    const int nights = update_history(hist, report_dir, n.night.empty() ? std::nullopt : std::optional<NightResult>(n),
                                      [](const std::string& l) { std::cerr << "occreport: " << l << "\n"; });
    std::cout << "occreport: " << nights << " night(s); " << report_dir << "/report.md\n";
  } catch (const std::exception& e) {
    std::cerr << "occreport " << cmd << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
