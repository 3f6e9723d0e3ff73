// Occluders placed on real landmarks cover the region they are made for; the
// library loader rejects bad assets by name and keeps the rest.
#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/gen/asset_maker.hpp"
#include "faceocc/gen/composite.hpp"
#include "faceocc/gen/regions.hpp"
#include "real_face_fixture.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

using test::RealFace;

TEST_F(RealFace, EveryGeneratedOccluderCoversItsRegion) {
  const FaceSource& f = index_->faces[0];
  OccluderAsset still;
  int checked = 0;
  AssetCounts n;
  n.hand = 16;     // no longer shipped, still drawn on request (occassets --hand 16)
  n.objects = 12;  // drawn on request (occassets --objects 12): two of each kind
  n.fabric_scarves = 4;  // drawn on request (occassets --fabric-scarves 4); undressed here: their shading alone
  for (OccluderAsset a : make_occluder_assets(1, n)) {
    a.scale_min = a.scale_max = 1.0f;  // no jitter: the asset exactly on its anchors
    a.rotation_deg = a.shift = 0.0f;
    cv::Mat img = f.crop.clone(), mask(img.size(), CV_8UC1, cv::Scalar(0));
    Rng rng(3);
    place_occluder(img, mask, a, f, f.points, rng, 0.0f, false);
    const Coverage c = measure_coverage(mask, f.points);
    if (a.covers == "upper") {
      EXPECT_GT(c.upper, 0.25) << a.id;
      EXPECT_GT(c.upper, c.lower) << a.id;
    } else if (a.covers == "lower") {
      EXPECT_GT(c.lower, 0.25) << a.id;
      EXPECT_GT(c.lower, c.upper) << a.id;
    }
    EXPECT_GT(cv::norm(img, f.crop, cv::NORM_L1), 0) << a.id << " changed no pixel";
    ++checked;
  }
  EXPECT_GE(checked, 90);
}

TEST_F(RealFace, PlacementIsDeterministicPerSeed) {
  const FaceSource& f = index_->faces[0];
  const auto assets = make_occluder_assets(1, {1, 0, 0, 1, 0, 0});
  cv::Mat a = f.crop.clone(), b = f.crop.clone(), ma(a.size(), CV_8UC1, 0.0), mb = ma.clone();
  Rng r1(42), r2(42);
  place_occluder(a, ma, assets[1], f, f.points, r1);
  place_occluder(b, mb, assets[1], f, f.points, r2);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(ma, mb, cv::NORM_INF), 0);
}

// The user's spelling, `--occluders assets/`, loads every shipped asset, as the folder itself
// and --more-occluders do: an asset's fabrics are the textures/ beside it, not beside the root.
TEST(OccluderLibrary, EveryShippedAssetLoadsFromTheParentFolderToo) {
  const OccluderLibrary own = load_occluders(FACEOCC_SOURCE_DIR "/assets/occluders");
  const OccluderLibrary parent = load_occluders(FACEOCC_SOURCE_DIR "/assets");
  const fs::path empty = fs::temp_directory_path() / ("faceocc_empty_" + std::to_string(::getpid()));
  fs::create_directories(empty);
  OccluderLibrary more = load_occluders(empty);
  fs::remove(empty);
  merge_occluders(more, load_occluders(FACEOCC_SOURCE_DIR "/assets/occluders"), FACEOCC_SOURCE_DIR "/assets/occluders");
  for (const OccluderLibrary* lib : {&own, &parent, static_cast<const OccluderLibrary*>(&more)}) {
    EXPECT_TRUE(lib->rejected.empty()) << lib->rejected.front().first << ": " << lib->rejected.front().second;
    ASSERT_EQ(lib->assets.size(), own.assets.size());
    int dressed = 0;
    for (const OccluderAsset& a : lib->assets)
      if (a.recolor == Recolor::Texture) {
        ASSERT_TRUE(a.fabrics) << a.id;
        EXPECT_EQ(a.fabrics->size(), 27u) << a.id;
        ++dressed;
      }
    EXPECT_EQ(dressed, 3);  // mask_photo_cloth_fabric_{frontal,left,right}
  }
}

TEST(OccluderLibrary, BadAssetsAreRejectedByNameAndTheRestLoad) {
  const fs::path dir = fs::temp_directory_path() / ("faceocc_lib_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto assets = make_occluder_assets(1, {2, 0, 0, 0, 0, 0});
  for (const auto& a : assets) save_occluder(a, dir);
  std::ofstream(dir / "broken.json") << "{ not json";
  std::ofstream(dir / "nopng.json") << R"({"category":"hair","covers":"upper","image":"missing.png","anchors":[]})";
  std::ofstream(dir / "corrupt.png") << "not a png";
  std::ofstream(dir / "corrupt.json")
      << R"({"category":"hair","covers":"upper","image":"corrupt.png","anchors":[{"landmark":1,"at":[0,0]}]})";
  std::ofstream(dir / "badcover.json") << R"({"category":"hair","covers":"sideways","image":"x.png","anchors":[]})";
  const OccluderLibrary lib = load_occluders(dir);
  EXPECT_EQ(lib.assets.size(), 2u);
  ASSERT_EQ(lib.rejected.size(), 4u);
  for (const auto& [file, why] : lib.rejected) EXPECT_FALSE(why.empty()) << file;
  auto reason = [&](const std::string& name) {
    for (const auto& [file, why] : lib.rejected)
      if (fs::path(file).filename() == name) return why;
    return std::string("(not rejected)");
  };
  EXPECT_NE(reason("broken.json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(reason("nopng.json").find("missing.png"), std::string::npos);
  EXPECT_NE(reason("corrupt.json").find("corrupt.png: not a JPEG, PNG, WebP or BMP image"), std::string::npos) << reason("corrupt.json");
  EXPECT_NE(reason("badcover.json").find("covers"), std::string::npos);
  fs::remove_all(dir);
}

// Leaving one hand set out is a folder of links to the others (docs/occgen.md): a linked folder loads like
// a real one, two links to one folder load it once, and a link back up ends instead of looping.
TEST(OccluderLibrary, LinkedFoldersLoadOnceAndALinkLoopEnds) {
  const fs::path root = fs::temp_directory_path() / ("faceocc_links_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "real" / "hair");
  fs::create_directories(root / "lib");
  for (const auto& a : make_occluder_assets(1, {3, 0, 0, 0, 0, 0})) save_occluder(a, root / "real" / "hair");
  fs::create_directory_symlink(root / "real" / "hair", root / "lib" / "hair");
  fs::create_directory_symlink(root / "real" / "hair", root / "lib" / "hair_again");
  fs::create_directory_symlink(root / "lib", root / "lib" / "loop");
  const OccluderLibrary lib = load_occluders(root / "lib");
  EXPECT_EQ(lib.assets.size(), 3u);
  EXPECT_TRUE(lib.rejected.empty()) << lib.rejected.front().first << ": " << lib.rejected.front().second;
  fs::remove_all(root);
}

}  // namespace
}  // namespace faceocc
