// The realism meter: AUC is computed right, the cross-validated regression
// finds a real difference and does not invent one, and synthetic samples are
// sorted into families from occgen's manifest ids.
#include <gtest/gtest.h>

#include "faceocc/train/realism_meter.hpp"

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
  EXPECT_EQ(synthetic_family(2, "hand_chin_01@s=1"), "chin");
  EXPECT_EQ(synthetic_family(3, "hair_fringe_01@s=1|mask_photo_n95_frontal@s=1"), "");
}

}  // namespace
}  // namespace faceocc
