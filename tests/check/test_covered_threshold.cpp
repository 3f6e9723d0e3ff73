// The shipped operating point: its metadata round-trips (through our own ONNX
// metadata reader too), --operating-point values resolve or are refused saying
// why, and decide() calls a face covered by the threshold, then names the most
// probable covered class. Malformed metadata and protobuf are refused by name.
#include <fstream>

#include <gtest/gtest.h>

#include "faceocc/check/covered_threshold.hpp"
#include "faceocc/check/onnx_metadata.hpp"
#include "faceocc/check/verdict.hpp"

namespace faceocc {
namespace {

CoveredThreshold stored() {
  CoveredThreshold t;
  t.threshold = 0.37;
  t.false_reject = 0.02;
  t.clean_faces = 251;
  t.temperature = 1.43;
  t.by_rate = {{0.005, 0.81}, {0.01, 0.6}, {0.02, 0.37}, {0.05, 0.12}, {0.1, 0.05}};
  return t;
}

TEST(CoveredThreshold, MetadataRoundTrips) {
  const auto back = threshold_from_metadata(threshold_metadata(stored()), "m.onnx");
  ASSERT_TRUE(back);
  EXPECT_DOUBLE_EQ(back->threshold, 0.37);
  EXPECT_DOUBLE_EQ(back->false_reject, 0.02);
  EXPECT_EQ(back->clean_faces, 251);
  EXPECT_DOUBLE_EQ(back->temperature, 1.43);
  EXPECT_EQ(back->by_rate, stored().by_rate);
  EXPECT_FALSE(threshold_from_metadata({{"classes", "0_0_0,1_1_0,1_0_1,1_1_1"}}, "old.onnx"));
}

TEST(CoveredThreshold, MalformedMetadataIsRefusedByName) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"covered_threshold", "1.5"}, {"covered_threshold", "abc"}, {"covered_threshold", ""}, {"temperature", "0"},
           {"covered_thresholds_by_false_reject", "0.01-0.6"}, {"covered_thresholds_by_false_reject", "0.01:nan"},
           {"covered_threshold_clean_faces", "-3"}}) {
    auto meta = threshold_metadata(stored());
    meta[key] = value;
    try {
      threshold_from_metadata(meta, "shipped.onnx");
      ADD_FAILURE() << key << " = " << value << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("shipped.onnx"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
  auto meta = threshold_metadata(stored());
  meta.erase("covered_threshold_false_reject");
  EXPECT_THROW(threshold_from_metadata(meta, "x"), std::runtime_error);
}

TEST(CoveredThreshold, OperatingPointValues) {
  const auto s = std::optional<CoveredThreshold>(stored());
  EXPECT_DOUBLE_EQ(resolve_operating_point("", s)->threshold, 0.37);
  EXPECT_FALSE(resolve_operating_point("argmax", s));
  EXPECT_FALSE(resolve_operating_point("", std::nullopt));
  const auto one = resolve_operating_point("1%", s);
  ASSERT_TRUE(one);
  EXPECT_DOUBLE_EQ(one->threshold, 0.6);
  EXPECT_DOUBLE_EQ(one->false_reject, 0.01);
  EXPECT_DOUBLE_EQ(resolve_operating_point("0.5%", s)->threshold, 0.81);
  const auto given = resolve_operating_point("0.62", s);
  EXPECT_DOUBLE_EQ(given->threshold, 0.62);
  EXPECT_EQ(given->clean_faces, 0);
  EXPECT_DOUBLE_EQ(resolve_operating_point("0.62", std::nullopt)->threshold, 0.62);
  try {
    resolve_operating_point("3%", s);
    ADD_FAILURE() << "3% resolved";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("0.5%, 1%, 2%, 5%, 10%"), std::string::npos) << e.what();
  }
  EXPECT_THROW(resolve_operating_point("1%", std::nullopt), std::invalid_argument);
  for (const char* bad : {"0", "1", "1.2", "-0.1", "x", "0.5x", "%", "100%", "0%", "nan"})
    EXPECT_THROW(resolve_operating_point(bad, s), std::invalid_argument) << bad;
  EXPECT_NE(describe(s).find("2 % of 251 clean validation faces"), std::string::npos) << describe(s);
  EXPECT_NE(describe(std::nullopt).find("most probable class"), std::string::npos);
}

TEST(CoveredThreshold, DecideUsesTheThresholdThenTheMostProbableCoveredClass) {
  CoveredThreshold t;
  t.threshold = 0.3;
  // none is the most probable class, but 1 - p(none) = 0.4 >= 0.3: covered, and lower is the most probable covered class.
  Verdict v = decide({0.6f, 0.1f, 0.25f, 0.05f}, t);
  EXPECT_EQ(v.cls, OccClass::Lower);
  EXPECT_DOUBLE_EQ(v.threshold, 0.3);
  EXPECT_EQ(decide({0.6f, 0.1f, 0.25f, 0.05f}, std::nullopt).cls, OccClass::None);
  EXPECT_LT(decide({0.6f, 0.1f, 0.25f, 0.05f}, std::nullopt).threshold, 0);
  // Below the threshold: clean, even when a covered class is the most probable.
  t.threshold = 0.7;
  EXPECT_EQ(decide({0.35f, 0.4f, 0.15f, 0.1f}, t).cls, OccClass::None);
  EXPECT_EQ(decide({0.35f, 0.4f, 0.15f, 0.1f}, std::nullopt).cls, OccClass::Upper);
  // At the threshold exactly: covered (>=).
  t.threshold = 0.5;
  EXPECT_EQ(decide({0.5f, 0.1f, 0.1f, 0.3f}, t).cls, OccClass::Both);
  const auto j = verdict_json("a.jpg", decide({0.5f, 0.1f, 0.1f, 0.3f}, t), 0, false);
  EXPECT_DOUBLE_EQ(j["threshold"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["covered"].get<double>(), 0.5);
  EXPECT_TRUE(verdict_json("a.jpg", decide({0.5f, 0.1f, 0.1f, 0.3f}, std::nullopt), 0, false)["threshold"].is_null());
}

// A ModelProto by hand: ir_version, a graph (skipped), and two metadata entries.
std::string varint(uint64_t v) {
  std::string s;
  do {
    s += char((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return s;
}
std::string field(int number, const std::string& bytes) { return varint(uint64_t(number) << 3 | 2) + varint(bytes.size()) + bytes; }
std::string entry(const std::string& k, const std::string& v) { return field(14, field(1, k) + field(2, v)); }

TEST(OnnxMetadata, ReadsEntriesAndRefusesBrokenFilesByName) {
  const std::string model = varint(1 << 3 | 0) + varint(8) + field(7, std::string(300, 'g')) + entry("covered_threshold", "0.37") +
                            varint(5 << 3 | 0) + varint(1) + entry("temperature", "1.43") + varint(6 << 3 | 5) + "abcd";
  const auto meta = parse_onnx_metadata(model, "m.onnx");
  EXPECT_EQ(meta.size(), 2u);
  EXPECT_EQ(meta.at("covered_threshold"), "0.37");
  EXPECT_EQ(meta.at("temperature"), "1.43");
  for (size_t cut : {size_t(1), size_t(5), model.size() - 3, model.size() - 1}) {
    try {
      parse_onnx_metadata(model.substr(0, cut), "cut.onnx");
      ADD_FAILURE() << "a model cut at " << cut << " bytes was read";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("cut.onnx"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(parse_onnx_metadata(std::string("\x0b\x01", 2), "group.onnx"), std::runtime_error);  // wire type 3
  EXPECT_THROW(parse_onnx_metadata(std::string(11, '\xff'), "long.onnx"), std::runtime_error);
  EXPECT_THROW(read_onnx_metadata("/nonexistent/model.onnx"), std::runtime_error);
}

}  // namespace
}  // namespace faceocc
