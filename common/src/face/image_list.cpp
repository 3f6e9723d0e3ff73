#include "faceocc/face/image_list.hpp"

#include <algorithm>
#include <set>

namespace faceocc {

namespace fs = std::filesystem;

std::vector<fs::path> list_files(const fs::path& dir, FileProblems* problems) {
  std::vector<fs::path> files;
  std::error_code ec;
  auto report = [&](const fs::path& p, const std::error_code& e) {
    if (problems) problems->emplace_back(p.string(), e.message());
  };
  std::set<fs::path> seen{fs::weakly_canonical(dir, ec)};
  fs::recursive_directory_iterator it(
      dir, fs::directory_options::skip_permission_denied | fs::directory_options::follow_directory_symlink, ec), end;
  if (ec) { report(dir, ec); return files; }
  for (; it != end; it.increment(ec)) {
    if (ec) { report(it->path(), ec); ec.clear(); continue; }
    std::error_code fe;
    const fs::file_status st = it->status(fe);
    if (fe) { report(it->path(), fe); continue; }
    if (fs::is_directory(st)) {
      const fs::path real = fs::canonical(it->path(), fe);
      if (fe || !seen.insert(real).second) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_regular_file(st)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<fs::path> list_images(const fs::path& dir, FileProblems* problems) {
  std::vector<fs::path> images;
  for (const fs::path& f : list_files(dir, problems)) {
    std::string ext = f.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp" || ext == ".bmp") images.push_back(f);
  }
  return images;
}

}  // namespace faceocc
