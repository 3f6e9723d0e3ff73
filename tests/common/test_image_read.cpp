// The guarded image reader (image_read.hpp): header sizes of real encoded images,
// decompression bombs (a small file claiming 30 000 x 30 000 px) refused before any
// pixel is allocated, and refused by name in every tool that reads a user's photos.
#include <sys/resource.h>
#include <sys/wait.h>

#include <fstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/image_read.hpp"
#include "faceocc/train/model/checkpoint.hpp"
#include "faceocc/train/export/onnx_export.hpp"
#include "faceocc/train/export/torchscript_export.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

std::string encode(const std::string& ext, const cv::Mat& img, std::vector<int> params = {}) {
  std::vector<uchar> b;
  if (!cv::imencode(ext, img, b, params)) return "";
  return std::string(b.begin(), b.end());
}

cv::Mat pattern(cv::Size s) {
  cv::Mat m(s, CV_8UC3);
  cv::randu(m, 0, 255);
  return m;
}

uint32_t crc32(const std::string& s, size_t from, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = from; i < from + n; ++i) {
    c ^= (unsigned char)s[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

void put_be(std::string& s, size_t at, uint32_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) s[at + k] = char(v >> (8 * (bytes - 1 - k)));
}

// A real JPEG whose frame header now claims w x h: libjpeg allocates the whole frame, then
// fills the rows the data does not cover with grey (2.7 GB for 30 000 x 30 000 BGR).
std::string jpeg_bomb(int w, int h) {
  std::string j = encode(".jpg", pattern({16, 16}));
  for (size_t i = 2; i + 9 < j.size();) {
    const unsigned m = (unsigned char)j[i + 1];
    if (m == 0xC0) {
      put_be(j, i + 5, uint32_t(h), 2);
      put_be(j, i + 7, uint32_t(w), 2);
      return j;
    }
    i += 2 + (((unsigned char)j[i + 2] << 8) | (unsigned char)j[i + 3]);
  }
  return "";
}

// A real PNG whose IHDR (its CRC redone) claims w x h.
std::string png_bomb(int w, int h) {
  std::string p = encode(".png", pattern({16, 16}));
  put_be(p, 16, uint32_t(w), 4);
  put_be(p, 20, uint32_t(h), 4);
  put_be(p, 29, crc32(p, 12, 17), 4);
  return p;
}

long peak_rss_mb(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_maxrss / 1024;
}

TEST(ImageRead, HeaderSizeOfRealEncodedImages) {
  const cv::Mat img = pattern({37, 23});
  for (const char* ext : {".jpg", ".png", ".bmp", ".webp"}) {
    const std::string bytes = encode(ext, img);
    ASSERT_FALSE(bytes.empty()) << ext;
    const auto s = header_size(bytes);
    ASSERT_TRUE(s) << ext;
    EXPECT_EQ(*s, cv::Size(37, 23)) << ext;
    const ImageRead r = decode_image(bytes);
    EXPECT_EQ(r.problem, "") << ext;
    EXPECT_EQ(r.image.size(), cv::Size(37, 23)) << ext;
  }
  // Lossless WebP (VP8L) and a progressive JPEG.
  EXPECT_EQ(header_size(encode(".webp", img, {cv::IMWRITE_WEBP_QUALITY, 101})), cv::Size(37, 23));
  EXPECT_EQ(header_size(encode(".jpg", img, {cv::IMWRITE_JPEG_PROGRESSIVE, 1})), cv::Size(37, 23));
}

TEST(ImageRead, NonImagesAndTruncatedImagesAreNamedProblems) {
  EXPECT_EQ(decode_image("").problem, "empty file");
  EXPECT_NE(decode_image("not an image").problem.find("not a JPEG, PNG, WebP or BMP"), std::string::npos);
  const std::string jpg = encode(".jpg", pattern({64, 64}));
  EXPECT_NE(decode_image(jpg.substr(0, jpg.size() / 2)).problem.find("truncated JPEG"), std::string::npos);
  EXPECT_NE(read_image("/nonexistent/photo.jpg").problem.find("cannot read"), std::string::npos);
}

TEST(ImageRead, BombsAreRefusedBeforeAnyPixelIsAllocated) {
  const long before = peak_rss_mb(RUSAGE_SELF);
  for (const std::string& bomb : {jpeg_bomb(30000, 30000), png_bomb(30000, 30000)}) {
    ASSERT_FALSE(bomb.empty());
    EXPECT_LT(bomb.size(), 100'000u);
    EXPECT_EQ(header_size(bomb), cv::Size(30000, 30000));
    const ImageRead r = decode_image(bomb);
    EXPECT_TRUE(r.image.empty());
    EXPECT_EQ(r.problem.rfind("over the 120 MP limit", 0), 0u) << r.problem;
    EXPECT_NE(r.problem.find("30000 x 30000 px (900 MP)"), std::string::npos) << r.problem;
  }
  EXPECT_LT(peak_rss_mb(RUSAGE_SELF) - before, 200) << "MB allocated while refusing the bombs";
  // Within the limit the header passes (what the data then holds is the decoder's business).
  EXPECT_EQ(header_size(jpeg_bomb(2000, 1000)), cv::Size(2000, 1000));
  EXPECT_EQ(decode_image(jpeg_bomb(2000, 1000)).problem.find("limit"), std::string::npos);
}

// Every tool that reads a user's photos names the bomb and goes on (or stops) without
// allocating it: the tools' peak memory stays far below the 2.7 GB one decode would take.
TEST(ImageRead, EveryPhotoToolRefusesBombsByName) {
  ASSERT_TRUE(test::have(test_photos_dir() / "audrey.jpg", test::kRunSetup));
  const fs::path d = fs::temp_directory_path() / ("faceocc_bomb_" + std::to_string(::getpid()));
  fs::remove_all(d);
  for (const char* c : {"0_0_0", "1_1_0"}) fs::create_directories(d / "real" / c);
  fs::copy_file(test_photos_dir() / "audrey.jpg", d / "real" / "0_0_0" / "audrey.jpg");
  fs::copy_file(test_photos_dir() / "cage.jpg", d / "real" / "1_1_0" / "cage.jpg");
  std::ofstream(d / "real" / "0_0_0" / "bomb.jpg", std::ios::binary) << jpeg_bomb(30000, 30000);
  std::ofstream(d / "real" / "1_1_0" / "bomb.png", std::ios::binary) << png_bomb(30000, 30000);
  // Models for the tools that need one: an untrained head is enough to read photos.
  OcclusionNet net(FeatureTap::Map7, 4);
  fs::create_directories(d / "run");
  save_checkpoint(net, d / "run" / "best.pt");
  export_torchscript(net, d / "run" / "model.torchscript.pt");
  export_onnx(net, d / "run" / "model.onnx");
  // Occluders: the shipped ones plus an asset whose image is a bomb.
  fs::copy(fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders", d / "occ", fs::copy_options::recursive);
  std::ofstream(d / "occ" / "scarf_00.png", std::ios::binary) << png_bomb(30000, 30000);

  const std::string bin = FACEOCC_BUILD_DIR, real = (d / "real").string();
  struct Tool {
    std::string cmd, bomb;
  };
  const std::vector<Tool> tools = {
      {bin + "/generator/occgen --faces " + real + " --occluders " + (d / "occ").string() + " --count 8 --out " + (d / "gen").string(), "bomb.jpg"},
      {bin + "/generator/occgen --faces " + real + " --occluders " + (d / "occ").string() + " --count 8 --out " + (d / "gen2").string(), "scarf_00.png"},
      {bin + "/trainer/occtrain --real " + real + " --epochs 1 --epoch-size 8 --mix 0 --cache " + (d / "cache").string() + " --out " + (d / "t").string(), "bomb.png"},
      {bin + "/trainer/occeval --model " + (d / "run").string() + " --real " + real + " --cache " + (d / "cache").string() + " --out " + (d / "e").string(), "bomb.jpg"},
      {bin + "/trainer/occpredict --run " + (d / "run").string() + " " + real, "bomb.png"},
      {bin + "/check/occcheck --model " + (d / "run" / "model.onnx").string() + " " + real, "bomb.jpg"},
      {bin + "/generator/occharvest --real " + real + " --out " + (d / "h").string(), "bomb.png"},
  };
  for (const Tool& t : tools) {
    const auto [rc, out] = test::run_command("timeout -k 5 300 " + t.cmd);
    EXPECT_NE(rc, 124) << t.cmd;
    EXPECT_LT(rc, 128) << t.cmd << " died\n" << out;
    EXPECT_NE(out.find(t.bomb), std::string::npos) << t.cmd << "\n" << out;
    EXPECT_NE(out.find("over the 120 MP limit"), std::string::npos) << t.cmd << "\n" << out;
  }
  EXPECT_LT(peak_rss_mb(RUSAGE_CHILDREN), 2000) << "MB at the peak of a tool's run";
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
