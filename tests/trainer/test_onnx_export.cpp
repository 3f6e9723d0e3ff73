// The ONNX export: for every feature tap, the file passes ONNX's checker and,
// run through OpenCV's dnn module (what the capture-time check and many apps
// use), gives the LibTorch model's probabilities within 1e-4 on the real
// aligned parity crops of ../shared/testdata/mobilefacenet; its metadata, the
// operating point included, reads the same through occcheck's own reader.
#include <fstream>

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/check/covered_threshold.hpp"
#include "faceocc/check/onnx_metadata.hpp"
#include "faceocc/train/data/image_batch.hpp"
#include "faceocc/train/export/onnx_export.hpp"
#include "faceocc/train/model/pretrained.hpp"
#include "test_helpers.hpp"

namespace faceocc {
namespace {

namespace fs = std::filesystem;

TEST(OnnxExport, OpenCvMatchesLibTorchForEveryTap) {
  ASSERT_TRUE(test::have(default_weights_json(), test::kRunSetup));
  ASSERT_TRUE(test::have(test::parity_dir() / "images.txt", "../shared/testdata is needed"));
  std::vector<cv::Mat> crops;
  std::ifstream names(test::parity_dir() / "images.txt");
  for (std::string n; std::getline(names, n);)
    if (!n.empty()) crops.push_back(cv::imread((test::parity_dir() / n).string(), cv::IMREAD_COLOR));
  ASSERT_GE(crops.size(), 4u);
  const torch::Tensor rgb = to_rgb_batch(crops);  // uint8 [N,112,112,3]
  const fs::path d = fs::temp_directory_path() / ("faceocc_onnx_" + std::to_string(::getpid()));
  fs::create_directories(d);
  for (FeatureTap tap : {FeatureTap::Map7, FeatureTap::GDConv, FeatureTap::Embedding})
    for (int classes : {4, 2}) {
      torch::manual_seed(11);
      OcclusionNet net(tap, classes);
      net->backbone = net->replace_module("backbone", load_pretrained(default_weights_json()));
      torch::NoGradGuard ng;
      net->eval();
      const torch::Tensor logits = net->forward(preprocess_rgb_u8(rgb)), want = torch::softmax(logits, 1);
      const fs::path file = d / (std::string(tap_name(tap)) + std::to_string(classes) + ".onnx");
      export_onnx(net, file);
      EXPECT_NO_THROW(check_onnx_file(file));
      cv::dnn::Net cvnet = cv::dnn::readNetFromONNX(file.string());
      const torch::Tensor in = rgb.to(torch::kFloat).contiguous();
      const int shape[] = {int(in.size(0)), 112, 112, 3};
      cv::Mat blob(4, shape, CV_32F, in.data_ptr<float>());
      cvnet.setInput(blob);
      const cv::Mat out = cvnet.forward();
      ASSERT_EQ(out.rows, int(in.size(0)));
      ASSERT_EQ(out.cols, classes);
      double worst = 0;
      for (int i = 0; i < out.rows; ++i)
        for (int k = 0; k < classes; ++k) worst = std::max(worst, std::abs(double(out.at<float>(i, k)) - want[i][k].item<double>()));
      EXPECT_LE(worst, 1e-4) << tap_name(tap) << ", " << classes << " classes";
      // The logits too (the Gemm node's output): probabilities near 0 or 1 would hide a difference.
      onnx::ModelProto m;
      std::ifstream f(file, std::ios::binary);
      ASSERT_TRUE(m.ParseFromIstream(&f));
      std::string gemm;
      for (const auto& nd : m.graph().node())
        if (nd.op_type() == "Gemm") gemm = nd.output(0);
      cvnet.setInput(blob);
      const cv::Mat cv_logits = cvnet.forward("onnx_node!" + gemm);  // OpenCV 4.6 names layers after their ONNX node
      double worst_logit = 0, scale = 0;
      for (int i = 0; i < out.rows; ++i)
        for (int k = 0; k < classes; ++k) {
          worst_logit = std::max(worst_logit, std::abs(double(cv_logits.at<float>(i, k)) - logits[i][k].item<double>()));
          scale = std::max(scale, std::abs(logits[i][k].item<double>()));
        }
      EXPECT_LE(worst_logit, 1e-4 * std::max(1.0, scale)) << tap_name(tap) << ", " << classes << " classes";
      std::cout << "[ info ] " << tap_name(tap) << " " << classes << " classes: max |OpenCV - LibTorch| probability " << worst
                << ", logit " << worst_logit << " (logits up to " << scale << ")\n";
      // What an app reads from the file: the class order and the crop it expects.
      std::map<std::string, std::string> meta;
      for (const auto& p : m.metadata_props()) meta[p.key()] = p.value();
      EXPECT_EQ(meta["classes"], classes == 4 ? "0_0_0,1_1_0,1_0_1,1_1_1" : "not_occluded,occluded");
      EXPECT_EQ(meta["tap"], tap_name(tap));
      EXPECT_NE(meta["alignment_template_112"].find("38.2946,51.6963"), std::string::npos) << meta["alignment_template_112"];
      EXPECT_EQ(m.opset_import(0).version(), kOnnxOpset);
      // occcheck's own metadata reader sees exactly what ONNX's parser sees.
      EXPECT_EQ(read_onnx_metadata(file), meta) << tap_name(tap) << ", " << classes << " classes";
    }
  {  // The operating point round-trips through the file: ONNX's parser and occcheck's reader alike.
    torch::manual_seed(11);
    OcclusionNet net(FeatureTap::Map7, 4);
    CoveredThreshold t;
    t.threshold = 0.4321, t.false_reject = 0.02, t.clean_faces = 261, t.temperature = 1.37, t.by_rate = {{0.01, 0.61}, {0.02, 0.4321}};
    export_onnx(net, d / "op.onnx", model_metadata(t, 1.37));
    onnx::ModelProto m;
    std::ifstream f(d / "op.onnx", std::ios::binary);
    ASSERT_TRUE(m.ParseFromIstream(&f));
    std::map<std::string, std::string> meta;
    for (const auto& p : m.metadata_props()) meta[p.key()] = p.value();
    EXPECT_EQ(read_onnx_metadata(d / "op.onnx"), meta);
    const auto back = threshold_from_metadata(meta, "op.onnx");
    ASSERT_TRUE(back);
    EXPECT_DOUBLE_EQ(back->threshold, 0.4321);
    EXPECT_EQ(back->by_rate, t.by_rate);
    EXPECT_EQ(meta.at("classes"), "0_0_0,1_1_0,1_0_1,1_1_1");  // the model's own keys are kept
  }
  // A file that is not ONNX is named by the checker.
  std::ofstream(d / "junk.onnx") << "junk";
  try {
    check_onnx_file(d / "junk.onnx");
    ADD_FAILURE() << "junk passed the checker";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.onnx"), std::string::npos) << e.what();
  }
  fs::remove_all(d);
}

}  // namespace
}  // namespace faceocc
