// The options occpredict and occcheck share, for their photo loop
// (judge_photos in verdict.hpp): which photos, where the face finder's models
// are, and how to print. Header-only, Boost.Program_options (the CLIs only).
//
// Thread safety: option plumbing for main(); no shared state.
#pragma once
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "faceocc/cache_paths.hpp"

namespace faceocc {

struct PhotoOptions {
  std::vector<std::string> inputs;  // photos or folders (the bare arguments)
  std::string detector;             // BlazeFace's ONNX models
  bool jsonl = false, all_faces = false;
  std::string operating_point;      // --operating-point ("" = the model's own; resolve_operating_point)
};

inline void add_photo_options(boost::program_options::options_description& d, PhotoOptions& o,
                              boost::program_options::positional_options_description& pos) {
  namespace po = boost::program_options;
  d.add_options()("jsonl", po::bool_switch(&o.jsonl), "one JSON object per photo instead of text")
      ("all-faces", po::bool_switch(&o.all_faces), "judge every face found (default: the largest, and say how many there are)")
      ("detector", po::value(&o.detector)->default_value(default_detector_dir().string()), "folder of the BlazeFace ONNX models")
      ("operating-point", po::value(&o.operating_point),
       "when to ask for a retake: a threshold on 1 - p(none) such as 0.6, a clean-face false-reject rate the model "
       "stores a threshold for such as 1%, or argmax (the most probable class); default: the model's own")
      ("input", po::value(&o.inputs), "photos or folders");
  pos.add("input", -1);
}

}  // namespace faceocc
