// occgen's landmark cache: what detection found in one photo, in a text file named by the
// photo's content key (content_hash.hpp), so a photo is detected once however often and
// wherever it is used (OUT/landmarks/, or a shared --landmark-cache folder).
//
//   faceocc-landmarks v2
//   <n faces>
//   <score> <box x y w h> <68 x y pairs>     (one line per face; %.17g score, %.9g points)
//
// A file that does not read whole (another version, a torn write, a hand edit) is a miss:
// the photo is detected again and the file rewritten.
//
// Thread safety: each call touches one file; writes go through a temporary and a rename.
#pragma once
#include <filesystem>
#include <optional>
#include <vector>

#include "faceocc/face/landmarks.hpp"

namespace faceocc {

// ensures: the faces the file lists; nullopt when it is absent or not a whole v2 file
// (at most 10 000 faces; every number finite).
std::optional<std::vector<DetectedFace>> read_landmark_cache(const std::filesystem::path& file);

// A read-only or full cache folder only costs speed: failures are ignored.
void write_landmark_cache(const std::filesystem::path& file, const std::vector<DetectedFace>& faces);

}  // namespace faceocc
