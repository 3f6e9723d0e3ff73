// occassets: (re)generates the project's occluder library: the procedural
// occluders, and (with --maskthefaces) the photographed masks imported from a
// MaskTheFace checkout.
//   occassets --out assets/occluders --seed 1 --maskthefaces ../shared/third_party/maskthefaces
#include <iostream>

#include <boost/program_options.hpp>

#include "faceocc/gen/asset_maker.hpp"
#include "faceocc/gen/mask_templates.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  std::string out, mtf;
  uint64_t seed = 1;
  faceocc::AssetCounts n;
  po::options_description desc("occassets: draw the procedural occluder library (PNG + JSON per asset)");
  desc.add_options()("help,h", "show this help")
      ("out", po::value(&out)->default_value("assets/occluders"), "output folder")
      ("seed", po::value(&seed)->default_value(1), "random seed")
      ("hair", po::value(&n.hair)->default_value(n.hair), "hair fringes")
      ("glasses", po::value(&n.glasses)->default_value(n.glasses), "sunglasses")
      ("hand", po::value(&n.hand)->default_value(n.hand), "hands over eyes / mouth")
      ("mask", po::value(&n.mask)->default_value(n.mask), "drawn surgical, cloth and N95-style masks")
      ("maskthefaces", po::value(&mtf), "also import the photographed masks and fabrics of this MaskTheFace folder")
      ("chin", po::value(&n.chin)->default_value(n.chin), "scarves, turtlenecks, hands under the chin");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "occassets: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) { std::cout << desc; return 0; }
  try {
    const auto assets = faceocc::make_occluder_assets(seed, n);
    for (const auto& a : assets) faceocc::save_occluder(a, out);
    std::cout << "occassets: wrote " << assets.size() << " occluders to " << out << "\n";
    if (!mtf.empty()) {
      const auto masks = faceocc::import_maskthefaces(mtf);
      faceocc::save_imported_masks(masks, mtf, out);
      std::cout << "occassets: imported " << masks.assets.size() << " photographed masks and " << masks.textures.size()
                << " fabrics from " << mtf << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "occassets: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
