// occeval's refusals: bad arguments exit 2; a missing or corrupt model exits 1
// with the file named, before any photo is aligned.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_helpers.hpp"

namespace {

namespace fs = std::filesystem;

faceocc::test::CommandResult occeval(const std::string& args) {
  return faceocc::test::run_command(std::string(FACEOCC_OCCEVAL) + " " + args);
}

TEST(OccevalCli, BadArgumentsExit2) {
  EXPECT_EQ(occeval("").code, 2);                                          // no --model
  EXPECT_EQ(occeval("--model a.pt").code, 2);                              // no --real
  EXPECT_EQ(occeval("--model a.pt --real x --compare").code, 2);           // --compare needs two models
  EXPECT_EQ(occeval("--model a --model b --real x --compare --cascade").code, 2);
  EXPECT_EQ(occeval("--model a --model b --real x --compare --alpha 1.5").code, 2);
  EXPECT_EQ(occeval("--model a --label x --label y --real x").code, 2);   // one label per model
}

TEST(OccevalCli, MissingOrCorruptModelIsNamed) {
  const fs::path dir = fs::temp_directory_path() / ("occeval_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto missing = occeval("--model " + (dir / "nope.pt").string() + " --real " + dir.string() + " --out " + (dir / "o").string());
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("nope.pt"), std::string::npos) << missing.output;
  fs::create_directories(dir / "empty_run");
  std::ofstream(dir / "empty_run" / "model.torchscript.pt") << "not a model";
  // A photo so that loading succeeds and the model itself is what fails.
  fs::create_directories(dir / "real" / "0_0_0");
  fs::copy_file(fs::path(FACEOCC_SOURCE_DIR) / "assets" / "occluders" / "scarf_01.png", dir / "real" / "0_0_0" / "a.png");
  const auto corrupt = occeval("--model " + (dir / "empty_run").string() + " --real " + (dir / "real").string() +
                                 " --cache " + (dir / "cache").string() + " --out " + (dir / "o").string());
  EXPECT_EQ(corrupt.code, 1);
  EXPECT_NE(corrupt.output.find("not a TorchScript model"), std::string::npos) << corrupt.output;
  EXPECT_NE(corrupt.output.find("empty_run/model.torchscript.pt"), std::string::npos) << corrupt.output;
  fs::remove_all(dir);
}

}  // namespace
