// occassets: (re)generates the project's occluder library: the procedural
// occluders, (with --maskthefaces) the photographed masks imported from a
// MaskTheFace checkout, and (with --hands) the photographed hands.
//   occassets --out assets/occluders --seed 1 --maskthefaces ../shared/third_party/maskthefaces \
//             --hands ../shared/third_party/hands
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/gen/asset_maker.hpp"
#include "faceocc/gen/family_sheet.hpp"
#include "faceocc/gen/hand_photos.hpp"
#include "faceocc/gen/mask_templates.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  std::string out, mtf, hands, sheet, faces, config;
  std::vector<std::string> sheet_dirs;
  uint64_t seed = 1;
  faceocc::AssetCounts n;
  po::options_description desc("occassets: draw the procedural occluder library (PNG + JSON per asset)");
  desc.add_options()("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occassets.ini"), "INI file of defaults (skipped if the default is absent)")
      ("out", po::value(&out)->default_value("assets/occluders"), "output folder")
      ("seed", po::value(&seed)->default_value(1), "random seed")
      ("hair", po::value(&n.hair)->default_value(n.hair), "hair fringes")
      ("glasses", po::value(&n.glasses)->default_value(n.glasses), "sunglasses")
      ("hand", po::value(&n.hand)->default_value(n.hand), "hands over eyes / mouth")
      ("mask", po::value(&n.mask)->default_value(n.mask), "drawn surgical, cloth and N95-style masks")
      ("maskthefaces", po::value(&mtf), "also import the photographed masks and fabrics of this MaskTheFace folder")
      ("hands", po::value(&hands), "also cut out, pick and pose the photographed hands of this folder (rock_paper_scissors/, sign_language_digits/) into OUT/hands_rps/ and OUT/hands_sld/")
      ("sheet", po::value(&sheet), "instead: draw a contact sheet PNG of the occluder folders (--sheet-from), a row per family")
      ("sheet-from", po::value(&sheet_dirs)->multitoken(), "occluder folders for --sheet (default: --out)")
      ("faces", po::value(&faces)->default_value(faceocc::default_faces_dir().string()), "clean faces for --sheet")
      ("chin", po::value(&n.chin)->default_value(n.chin), "scarves, turtlenecks, hands under the chin")
      ("objects", po::value(&n.objects)->default_value(n.objects), "everyday objects over the eyes or mouth: phones, cups, bottles, paper, microphones, cloths (6 kinds, in turn)")
      ("objects-over", po::value(&n.objects_over)->default_value(n.objects_over), "keep only the objects meant for one region: any | upper (phones and paper over the eyes) | lower (over the mouth and chin)")
      ("fabric-scarves", po::value(&n.fabric_scarves)->default_value(n.fabric_scarves), "scarves dressed in the fabric photographs (needs textures/ beside them: --maskthefaces)");
  po::variables_map vm;
  try {
    faceocc::parse_with_config(argc, argv, desc, vm);
  } catch (const po::error& e) {
    std::cerr << "occassets: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) { std::cout << desc; return 0; }
  if (!faceocc::is_objects_over_value(n.objects_over)) {
    std::cerr << "occassets: --objects-over must be any, upper or lower, not '" << n.objects_over << "'\n";
    return 2;
  }
  try {
    if (!sheet.empty()) {  // look at a library instead of writing one
      if (sheet_dirs.empty()) sheet_dirs.push_back(out);
      faceocc::OccluderLibrary lib = faceocc::load_occluders(sheet_dirs[0]);
      for (size_t i = 1; i < sheet_dirs.size(); ++i) faceocc::merge_occluders(lib, faceocc::load_occluders(sheet_dirs[i]), sheet_dirs[i]);
      faceocc::FaceIndexOptions fo;
      fo.shape_predictor = faceocc::default_shape_predictor();
      fo.log = [](const std::string&) {};
      const auto index = faceocc::index_faces(faces, fo);
      if (index.faces.empty()) throw std::runtime_error(faces + ": no face found");
      const int rows = faceocc::write_family_sheet(lib, index.faces, faceocc::default_family_rows(), sheet);
      std::cout << "occassets: contact sheet " << sheet << " (" << rows << " families)\n";
      return 0;
    }
    const auto assets = faceocc::make_occluder_assets(seed, n);
    for (const auto& a : assets) faceocc::save_occluder(a, out);
    std::cout << "occassets: wrote " << assets.size() << " occluders to " << out << "\n";
    if (!mtf.empty()) {
      const auto masks = faceocc::import_maskthefaces(mtf);
      faceocc::save_imported_masks(masks, mtf, out);
      std::cout << "occassets: imported " << masks.assets.size() << " photographed masks and " << masks.textures.size()
                << " fabrics from " << mtf << "\n";
    }
    if (!hands.empty())
      for (const auto& set : faceocc::shipped_hand_sets(hands)) {
        const auto h = faceocc::import_hand_photos(hands, set);
        faceocc::save_imported_hands(h, set, out);
        std::cout << "occassets: hands_" << set.name << ": " << h.assets.size() << " posed hands from " << h.usable
                  << " usable of " << h.photos << " photos";
        const char* sep = "; rejected: ";
        for (const auto& [why, n] : h.rejected) std::cout << sep << n << " " << why, sep = ", ";
        std::cout << "\n";
      }
  } catch (const std::exception& e) {
    std::cerr << "occassets: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
