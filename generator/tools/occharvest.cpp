// occharvest: cuts real occluders (sunglasses, hair, hands over the eyes;
// masks, hands, scarves over mouth and chin) out of the training split of real
// labelled photos and writes them as occluder assets for occgen
// (--more-occluders). Only the training split is read: pass the same
// --split-seed and --val-split as the occtrain runs that will use them.
//
//   occharvest --real ../shared/data/dev --split-seed 1 --out out/harvest
// Exit: 0 done; 1 a data problem; 2 bad arguments.
#include <iostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/problem_summary.hpp"
#include "faceocc/gen/harvest_run.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;
using namespace faceocc;

int main(int argc, char** argv) {
  std::vector<std::string> real;
  std::string out, detector, config, upper_region;
  HarvestRunOptions o;
  po::options_description desc("occharvest: cut real occluders out of the training split of real labelled photos\n\noptions");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occharvest.ini"), "INI file of defaults (command line wins)")
      ("real", po::value(&real)->multitoken(), "real labelled photos: ROOT/<class>/* or path,class CSV (repeatable)")
      ("split-seed", po::value(&o.split_seed)->default_value(1), "seed of the train/validation split (occtrain --split-seed)")
      ("val-split", po::value(&o.val_split)->default_value(0.2), "validation fraction (occtrain --val-split)")
      ("out", po::value(&out)->default_value("out/harvest"), "occluder folder to write (PNG + JSON per cut-out)")
      ("min-cover", po::value(&o.harvest.min_cover)->default_value(o.harvest.min_cover), "share of the region a cut-out must cover")
      ("upper-region", po::value(&upper_region)->default_value("eyes"), "what an upper cut-out must cover: eyes (as occgen --upper-region eyes labels) | brows (brows and eyes)")
      ("min-contrast", po::value(&o.harvest.min_contrast)->default_value(o.harvest.min_contrast), "CIELAB distance from the face's skin a cut-out needs")
      ("min-solidity", po::value(&o.harvest.min_solidity)->default_value(o.harvest.min_solidity), "largest piece / whole cut-out")
      ("licence", po::value(&o.licence)->default_value(o.licence), "licence recorded in every asset (that of the photos)")
      ("threads", po::value(&o.threads)->default_value(0), "CPU threads (0 = all cores)")
      ("detector", po::value(&detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models");
  po::variables_map vm;
  try {
    parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    if (real.empty()) throw po::error("--real is required");
    if (o.val_split <= 0 || o.val_split >= 1) throw po::error("--val-split must be in (0, 1)");
    if (o.threads < 0 || o.threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    for (double v : {o.harvest.min_cover, o.harvest.min_solidity})
      if (!(v >= 0 && v <= 1)) throw po::error("--min-cover and --min-solidity must be in [0, 1]");
    if (upper_region != "eyes" && upper_region != "brows") throw po::error("--upper-region must be eyes or brows");
    o.harvest.upper_eyes_only = upper_region == "eyes";
    if (!(o.harvest.min_contrast >= 0 && o.harvest.min_contrast <= 200)) throw po::error("--min-contrast must be in [0, 200]");
  } catch (const po::error& e) {
    std::cerr << "occharvest: " << e.what() << " (see --help)\n";
    return 2;
  }
  try {
    o.real.assign(real.begin(), real.end());
    o.out = out;
    o.detector_dir = detector;
    const HarvestRunReport r = harvest_training_split(o);
    nlohmann::ordered_json j;
    j["split_seed"] = o.split_seed;
    j["val_split"] = o.val_split;
    j["training_photos"] = r.training_photos;
    j["tried"] = r.tried;
    j["written"] = r.written;
    j["kept_from_earlier_run"] = r.kept;
    j["rejected_by_earlier_run"] = r.rejected_earlier;
    j["rejected"] = r.rejected;
    j["harvested_from"] = r.sources;
    j["left_out"] = nlohmann::ordered_json::array();
    for (const auto& [f, why] : r.left_out) j["left_out"].push_back({{"file", f}, {"why", why}});
    write_text_or_throw(fs::path(out) / "harvest.report.json", j.dump(1) + "\n");
    if (!r.left_out.empty())
      std::cout << "occharvest: left out " << r.left_out.size() << " photos: " << summarise_problems(r.left_out) << "\n";
    std::cout << "occharvest: " << r.training_photos << " training photos; " << r.written << " cut-outs written, " << r.kept
              << " kept from an earlier run, " << (r.tried - r.written) << " rejected now and " << r.rejected_earlier
              << " by an earlier run (rejected.csv):";
    for (const auto& [why, n] : r.rejected) std::cout << "\n  " << n << "  " << why;
    std::cout << "\noccharvest: assets in " << out << " (occgen --more-occluders " << out << "), report " << out << "/harvest.report.json\n";
  } catch (const std::exception& e) {
    std::cerr << "occharvest: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
