// The realism meter: AUC is computed right, the cross-validated regression
// finds a real difference and does not invent one, and synthetic samples are
// sorted into families from occgen's manifest ids; the "vs cut-outs" rows
// compare a drawn family with the harvested cut-outs, not with real photos.
#include <gtest/gtest.h>

#include "faceocc/cache_paths.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "faceocc/train/eval/realism_meter.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

TEST(RealismMeter, RocAucOfKnownOrders) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}), 0.5);  // ties count half
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.6, 0.4, 0.9}, {0, 0, 1, 1}), 0.75);
}

TEST(RealismMeter, FindsADifferenceOnlyWhereThereIsOne) {
  torch::manual_seed(3);
  const int n = 200, d = 64;
  std::vector<int> y(n, 0);
  for (int i = n / 2; i < n; ++i) y[size_t(i)] = 1;
  const torch::Tensor same = torch::randn({n, d});
  const double auc_same = cross_validated_auc(same, y, 5, 1);
  EXPECT_NEAR(auc_same, 0.5, 0.12) << "two samples of one distribution were told apart";
  torch::Tensor shifted = torch::randn({n, d});
  shifted.slice(0, n / 2, n).select(1, 7) += 2.5;  // one feature of 64 differs (alone: AUC 0.96)
  const double auc_diff = cross_validated_auc(shifted, y, 5, 1);
  EXPECT_GT(auc_diff, 0.8);
}

TEST(RealismMeter, FamiliesFromManifestIds) {
  EXPECT_EQ(synthetic_family(0, "eyeglasses_03@s=1"), "clean");
  EXPECT_EQ(synthetic_family(2, "mask_photo_kn95_left@s=1.0/r=0"), "masks");
  EXPECT_EQ(synthetic_family(2, "eyeglasses_01@s=1|harvest_lower_0123456789abcdef@s=1"), "harvested");
  EXPECT_EQ(synthetic_family(1, "sunglasses_02@s=1|scarf_01@s=1"), "sunglasses");  // the scarf is a decoy
  EXPECT_EQ(synthetic_family(1, "harvest_upper_0123456789abcdef@s=1"), "harvested");
  EXPECT_EQ(synthetic_family(2, "hand_mouth_03@s=1"), "hands");
  EXPECT_EQ(synthetic_family(1, "hand_eyes_03@s=1"), "hands");
  EXPECT_EQ(synthetic_family(2, "hand_photo_rps_mouth_03_paper@s=1"), "hands");
  EXPECT_EQ(synthetic_family(1, "hand_photo_sld_eyes_01_5@s=1"), "hands");
  EXPECT_EQ(synthetic_family(1, "hair_fringe_01@s=1|hand_photo_rps_cheek_00_paper@s=1"), "hair");  // a hand decoy makes no class
  EXPECT_EQ(synthetic_family(2, "hand_chin_01@s=1"), "chin");
  EXPECT_EQ(synthetic_family(3, "hair_fringe_01@s=1|mask_photo_n95_frontal@s=1"), "");
}

const RealismRow& row_named(const std::vector<RealismRow>& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r.family == name) return r;
  static const RealismRow none;
  ADD_FAILURE() << "no row " << name;
  return none;
}

// Real pretrained network, made-up crops: the real photos are bright noise, the
// synthetic ones dark noise. Drawn sunglasses that look like the cut-outs are
// indistinguishable from them (while both are told from the real photos);
// drawn masks that differ from the lower cut-outs are told apart from them.
TEST(RealismMeter, CutOutRowsCompareDrawnFamiliesWithHarvestedOnes) {
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  MobileFaceNet net = load_pretrained(default_weights_json());
  torch::manual_seed(5);
  auto noise = [](int n, int lo, int hi) { return torch::randint(lo, hi, {n, 112, 112, 3}, torch::kUInt8); };
  ImageSet real, syn;
  real.images = torch::cat({noise(40, 150, 255), noise(40, 150, 255)});
  real.labels.assign(40, 1);
  real.labels.insert(real.labels.end(), 40, 2);
  syn.images = torch::cat({noise(40, 0, 100), noise(40, 0, 100), noise(40, 0, 100), noise(40, 60, 160)});
  std::vector<std::string> fam;
  for (int k = 0; k < 40; ++k) syn.labels.push_back(1), fam.push_back("harvested");
  for (int k = 0; k < 40; ++k) syn.labels.push_back(1), fam.push_back("sunglasses");
  for (int k = 0; k < 40; ++k) syn.labels.push_back(2), fam.push_back("harvested");
  for (int k = 0; k < 40; ++k) syn.labels.push_back(2), fam.push_back("masks");
  const auto rows = measure_realism(net, real, syn, fam);
  const RealismRow& sg = row_named(rows, "1_1_0 sunglasses vs cut-outs");
  EXPECT_EQ(sg.reference, "cut-outs");
  EXPECT_EQ(sg.real, 40);
  EXPECT_NEAR(sg.auc, 0.5, 0.2);
  EXPECT_GT(row_named(rows, "1_1_0 sunglasses").auc, 0.9);  // against the real photos
  EXPECT_GT(row_named(rows, "1_0_1 masks vs cut-outs").auc, 0.9);
  EXPECT_EQ(row_named(rows, "1_1_0 sunglasses").reference, "real photos");
}

}  // namespace
}  // namespace faceocc
