// occgen: writes labelled 4-class occlusion images from clean face photos and
// an occluder library. Thin CLI over faceocc::run_generator.
//
//   occgen --occluders assets/ --count 50000
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "faceocc/cache_paths.hpp"
#include "faceocc/cli_config.hpp"
#include "faceocc/gen/generator_run.hpp"
#include "faceocc/real/real_photos.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;

int main(int argc, char** argv) {
  faceocc::GeneratorOptions o;
  std::vector<std::string> more, real;
  std::string harvest_dir;
  bool no_harvest = false;
  std::string upper_region;
  std::string faces, faces_from, occluders, out, cache, predictor, classes, shard, preview, config, detector;
  po::options_description desc(
      "occgen: paste landmark-anchored occluders onto clean faces and write labelled images\n"
      "classes: 0_0_0 none, 1_1_0 upper (eyes/brows), 1_0_1 lower (mouth/chin), 1_1_1 both\n\noptions");
  desc.add_options()
      ("help,h", "show this help")
      ("config", po::value(&config)->default_value("configs/occgen.ini"), "INI file of defaults (skipped if the default is absent); the command line wins")
      ("faces", po::value(&faces), "clean face photos (recursive; jpg/png/webp/bmp); default: the --real photos' training split's 0_0_0 photos, else the shipped faces")
      ("real", po::value(&real)->multitoken(), "real labelled photos, ROOT/<class>/ or path,class CSV (repeatable; default $FACEOCC_REAL, else ../shared/data/dev when present; 'none': do not use any): their training split gives the default faces and harvested occluders")
      ("faces-from", po::value(&faces_from)->default_value("train"), "which split of the --real photos gives the default faces: train, or validation (for failure-mode checks on faces no model trained on; occtrain refuses such a pool)")
      ("split-seed", po::value(&o.split_seed)->default_value(faceocc::kDefaultSplitSeed), "seed of the --real train/validation split (as occtrain --split-seed)")
      ("val-split", po::value(&o.val_split)->default_value(faceocc::kDefaultValSplit), "validation share of the --real split (as occtrain --val-split)")
      ("harvest-dir", po::value(&harvest_dir), "where occluders cut from the --real training split are kept between runs (default: in the faceocc cache, per photos and split)")
      ("no-harvest", po::bool_switch(&no_harvest), "do not cut occluders out of the --real photos")
      ("occluders", po::value(&occluders)->default_value("assets/occluders"), "occluder library (PNG + JSON per asset)")
      ("more-occluders", po::value(&more)->multitoken(), "further occluder folders, e.g. occharvest's cut-outs (repeatable)")
      ("out", po::value(&out)->default_value("out/occgen"), "output folder")
      ("count", po::value(&o.count)->default_value(1000), "images to generate (all shards together)")
      ("seed", po::value(&o.seed)->default_value(1), "random seed: same seed, same bytes")
      ("classes", po::value(&classes)->default_value("0_0_0=1,1_1_0=1,1_0_1=1,1_1_1=1"), "target class mix, CLASS=WEIGHT,...")
      ("threads", po::value(&o.threads)->default_value(0), "worker threads (0 = all cores)")
      ("shard", po::value(&shard)->default_value("0/1"), "k/n: generate the k-th (0-based) of n disjoint index ranges")
      ("resume", po::bool_switch(&o.resume), "finish an interrupted run in --out")
      ("size", po::value(&o.size)->default_value(256), "side of the face-centred output image, px")
      ("min-face", po::value(&o.min_face)->default_value(40), "skip faces smaller than this (landmark extent, px)")
      ("min-score", po::value(&o.min_score)->default_value(0.3), "skip weaker face detections (HOG score; false positives score ~0)")
      ("aligned", po::value(&o.aligned)->default_value(112), "also write the InsightFace-aligned crops occtrain trains on, this size (0 = none), found and aligned as real photos are")
      ("aligned-only", po::bool_switch(&o.aligned_only), "write only the aligned crops (needs --aligned)")
      ("no-masks", "do not write the per-pixel occlusion masks")
      ("jpeg-quality", po::value(&o.jpeg_quality)->default_value(92), "highest JPEG quality: each image is saved at a quality drawn from 55 up to this (its camera's)")
      ("covered", po::value(&o.sample.rule.covered)->default_value(0.40f), "region coverage at or above which it counts as covered")
      ("visible", po::value(&o.sample.rule.visible)->default_value(0.10f), "coverage at or below which it counts as visible (between: re-drawn)")
      ("max-attempts", po::value(&o.sample.max_attempts)->default_value(80), "draws per sample before it is counted unfilled")
      ("upper-region", po::value(&upper_region)->default_value("brows_eyes"), "what \"upper covered\" is measured on: brows_eyes or eyes")
      ("decoy", po::value(&o.sample.decoy)->default_value(0.5), "chance of a near-miss occluder (hard negative)")
      ("poisson", po::bool_switch(&o.sample.poisson), "Poisson-blend photographed occluders (masks, cut-outs) into the photo")
      ("eyeglasses", po::value(&o.sample.eyeglasses)->default_value(0.25), "chance of clear eyeglasses (occluder assets covering \"none\"), any class")
      ("touch", po::value(&o.sample.touch)->default_value(0.25), "chance of a hand decoy (occluder assets covering \"touch\": a hand on a cheek, the chin, the forehead; class still measured), any class")
      ("landmark-cache", po::value(&cache), "landmark cache folder (default OUT/landmarks; for the --real photos' faces the faceocc cache's, shared by every run)")
      ("shape-predictor", po::value(&predictor)->default_value(faceocc::default_shape_predictor().string()), "dlib 68-point model (placement on clean faces)")
      ("detector", po::value(&detector)->default_value(faceocc::default_detector_dir().string()), "folder of the BlazeFace ONNX models (aligned crops)")
      ("preview", po::value(&preview), "write a contact sheet PNG (a row per class)");
  po::variables_map vm;
  try {
    faceocc::parse_with_config(argc, argv, desc, vm);
    if (vm.count("help")) { std::cout << desc; return 0; }
    o.class_mix = faceocc::parse_class_mix(classes);
    int used = 0;
    if (std::sscanf(shard.c_str(), "%d/%d%n", &o.shard_index, &o.shard_count, &used) != 2 || used != int(shard.size()) ||
        o.shard_count < 1 || o.shard_index < 0 || o.shard_index >= o.shard_count)
      throw po::error("--shard must be k/n with 0 <= k < n, got '" + shard + "'");
    // Sizes that would exhaust memory are refused here, not met as an allocation failure later.
    if (o.count < 1 || o.count > 1000000000) throw po::error("--count must be in 1..1 000 000 000");
    if (o.threads < 0 || o.threads > 1024) throw po::error("--threads must be in 0..1024 (0 = all cores)");
    if (o.size < 64 || o.size > 4096) throw po::error("--size must be in 64..4096");
    if (o.aligned_only && o.aligned <= 0) throw po::error("--aligned-only needs --aligned N");
    if (o.aligned != 0 && (o.aligned < 32 || o.aligned > 1024)) throw po::error("--aligned must be 0 or in 32..1024");
    if (o.jpeg_quality < 1 || o.jpeg_quality > 100) throw po::error("--jpeg-quality must be in 1..100");
    if (!(o.sample.rule.visible >= 0 && o.sample.rule.visible < o.sample.rule.covered && o.sample.rule.covered <= 1))
      throw po::error("need 0 <= --visible < --covered <= 1");
    if (o.sample.max_attempts < 1) throw po::error("--max-attempts must be >= 1");
    for (const auto& [name, p] : {std::pair<const char*, double>{"--decoy", o.sample.decoy}, {"--eyeglasses", o.sample.eyeglasses}, {"--touch", o.sample.touch}})
      if (!(p >= 0 && p <= 1)) throw po::error(std::string(name) + " is a chance: it must be in [0, 1]");
    if (upper_region != "brows_eyes" && upper_region != "eyes") throw po::error("--upper-region must be brows_eyes or eyes");
    o.sample.rule.eyes_only = upper_region == "eyes";
    if (!(o.val_split > 0 && o.val_split < 1)) throw po::error("--val-split must be in (0, 1)");
    if (real.empty()) {
      if (const fs::path d = faceocc::default_real_dir(); !d.empty()) real.push_back(d.string());
    } else if (real == std::vector<std::string>{"none"}) {
      real.clear();
    }
    for (const auto& r : real)
      if (!fs::exists(r)) throw po::error("--real " + r + ": no such folder or CSV");
    if (no_harvest && vm.count("harvest-dir")) throw po::error("--no-harvest and --harvest-dir exclude each other");
    if (faces_from != "train" && faces_from != "validation") throw po::error("--faces-from must be train or validation, not '" + faces_from + "'");
    if (faces_from == "validation" && vm.count("faces")) throw po::error("--faces-from validation picks the faces from --real: give no --faces");
    o.validation_faces = faces_from == "validation";
    if (real.empty() && o.validation_faces) throw po::error("--faces-from validation needs real photos (--real)");
    if (real.empty() && (vm.count("harvest-dir") || no_harvest))
      throw po::error("--harvest-dir and --no-harvest need real photos (--real)");
  } catch (const std::exception& e) {
    std::cerr << "occgen: " << e.what() << "\n(see occgen --help)\n";
    return 2;
  }
  o.real.assign(real.begin(), real.end());
  o.faces_dir = vm.count("faces") ? fs::path(faces) : o.real.empty() ? faceocc::default_faces_dir() : fs::path();
  faces = !o.faces_dir.empty() ? o.faces_dir.string() : "the real photos' " + faces_from + " split";
  if (!o.real.empty() && !no_harvest) o.harvest_dir = vm.count("harvest-dir") ? fs::path(harvest_dir) : faceocc::default_harvest_dir(o.real, o.val_split, o.split_seed);
  if (cache.empty() && o.faces_dir.empty()) cache = (faceocc::cache_dir() / "landmarks").string();
  o.occluders_dir = occluders;
  o.more_occluders.assign(more.begin(), more.end());
  o.out_dir = out;
  o.landmark_cache = cache;
  o.shape_predictor = predictor;
  o.detector_dir = detector;
  o.preview = preview;
  o.masks = !vm.count("no-masks");
  if (!o.faces_dir.empty() && !fs::is_directory(o.faces_dir)) {
    std::cerr << "occgen: " << faces << ": faces folder not found (scripts/setup.sh fetches the default faces)\n";
    return 2;
  }
  for (const auto& d : [&] { auto v = more; v.insert(v.begin(), occluders); return v; }())
    if (!fs::is_directory(d)) {
      std::cerr << "occgen: " << d << ": occluder folder not found\n";
      return 2;
    }
  try {
    const auto rep = faceocc::run_generator(o, [](const std::string& line) { std::cerr << "occgen: " << line << "\n"; });
    std::printf("occgen: wrote %lld images in %.2f s (%.0f img/s; %lld resumed, %lld unfilled, %lld write errors) to %s\n",
                (long long)rep.written, rep.generate_seconds,
                rep.generate_seconds > 0 ? double(rep.written) / rep.generate_seconds : 0.0, (long long)rep.resumed,
                (long long)rep.unfilled, (long long)rep.write_errors, out.c_str());
    std::printf("occgen: per class 0_0_0=%lld 1_1_0=%lld 1_0_1=%lld 1_1_1=%lld; index %.2f s\n",
                (long long)rep.per_class[0], (long long)rep.per_class[1], (long long)rep.per_class[2],
                (long long)rep.per_class[3], rep.index_seconds);
    return rep.write_errors > 0 || rep.unfilled > 0 ? 3 : 0;
  } catch (const std::exception& e) {
    std::cerr << "occgen: " << e.what() << "\n";
    return 1;
  }
}
