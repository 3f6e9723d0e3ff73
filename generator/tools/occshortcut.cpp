// occshortcut: can clean and occluded samples of an occgen run be told apart by
// anything but the occluders? Prints the probe's cross-validated accuracy
// (0.5 = no shortcut) and what it leaned on. Thin CLI over probe_shortcuts.
//
//   occshortcut out/occgen [--per-group 400] [--folds 5]
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/cli_config.hpp"
#include "faceocc/gen/shortcut_probe.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  std::string dir, config;
  faceocc::ShortcutProbeOptions o;
  po::options_description desc("occshortcut: probe an occgen output for clean-vs-occluded shortcuts outside the occluders\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occshortcut.ini"), "INI file of defaults (skipped if the default is absent)")
      ("dir", po::value(&dir), "occgen output folder (images, masks, manifest.csv)")
      ("per-group", po::value(&o.per_group)->default_value(400), "clean and occluded samples used (each at most)")
      ("folds", po::value(&o.folds)->default_value(5), "cross-validation folds")
      ("seed", po::value(&o.seed)->default_value(1), "seed of the sample and fold choice");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  try {
    faceocc::parse_with_config(argc, argv, desc, vm, &pos);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (dir.empty()) throw po::error("an occgen output folder is required");
    if (o.per_group < 10 || o.folds < 2) throw po::error("need --per-group >= 10 and --folds >= 2");
  } catch (const std::exception& e) {
    std::cerr << "occshortcut: " << e.what() << "\n(see occshortcut --help)\n";
    return 2;
  }
  try {
    const auto r = faceocc::probe_shortcuts(dir, o);
    std::printf("occshortcut: %s: %d clean, %d occluded samples, occluders blanked out\n", dir.c_str(), r.clean, r.occluded);
    std::printf("probe accuracy (clean vs occluded, %d-fold CV): %.3f +- %.3f (chance 0.5)\n", o.folds, r.accuracy, r.accuracy_sd);
    std::printf("| feature (standardised) | weight |\n|---|---|\n");
    for (size_t k = 0; k < r.features.size(); ++k) std::printf("| %s | %+.2f |\n", r.features[k].c_str(), r.weights[k]);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "occshortcut: " << e.what() << "\n";
    return 1;
  }
}
