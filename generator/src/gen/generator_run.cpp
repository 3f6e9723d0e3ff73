#include "faceocc/gen/generator_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>

#include "faceocc/atomic_file.hpp"
#include "faceocc/cache_paths.hpp"
#include "faceocc/content_hash.hpp"
#include "faceocc/manifest_csv.hpp"
#include "faceocc/parallel_for.hpp"
#include "faceocc/problem_summary.hpp"
#include "faceocc/real/real_photos.hpp"
#include "faceocc/face/find_and_align.hpp"
#include "faceocc/gen/harvest_run.hpp"
#include "faceocc/gen/journal.hpp"
#include "faceocc/gen/near_duplicates.hpp"
#include "faceocc/gen/photo_pipeline.hpp"

namespace faceocc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::array<double, kNumClasses> parse_class_mix(const std::string& s) {
  std::array<double, kNumClasses> mix{};
  std::stringstream ss(s);
  double total = 0;
  for (std::string item; std::getline(ss, item, ',');) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("--classes: '" + item + "' is not CLASS=WEIGHT");
    const auto c = class_from_string(item.substr(0, eq));
    if (!c) throw std::invalid_argument("--classes: unknown class '" + item.substr(0, eq) + "'");
    double w;
    try {
      w = std::stod(item.substr(eq + 1));
    } catch (const std::exception&) {
      throw std::invalid_argument("--classes: bad weight in '" + item + "'");
    }
    if (!(w >= 0) || !std::isfinite(w)) throw std::invalid_argument("--classes: weights must be >= 0");
    mix[int(*c)] = w;
    total += w;
  }
  if (total <= 0) throw std::invalid_argument("--classes: weights sum to zero");
  for (double& w : mix) w /= total;
  return mix;
}

std::vector<uint8_t> class_targets(int64_t count, const std::array<double, kNumClasses>& mix, uint64_t seed) {
  // Largest-remainder quotas, so the counts are exact.
  std::array<int64_t, kNumClasses> n{};
  std::array<std::pair<double, int>, kNumClasses> rem;
  int64_t given = 0;
  for (int c = 0; c < kNumClasses; ++c) {
    const double q = mix[c] * double(count);
    n[c] = int64_t(std::floor(q));
    rem[c] = {q - double(n[c]), -c};
    given += n[c];
  }
  std::sort(rem.rbegin(), rem.rend());
  for (int k = 0; given < count; ++k, ++given) ++n[-rem[k % kNumClasses].second];
  std::vector<uint8_t> t;
  t.reserve(size_t(count));
  for (int c = 0; c < kNumClasses; ++c) t.insert(t.end(), size_t(n[c]), uint8_t(c));
  Rng rng(seed, 0xC1A55E5ull);
  for (int64_t i = count - 1; i > 0; --i) std::swap(t[size_t(i)], t[size_t(rng.next() % uint64_t(i + 1))]);
  return t;
}

std::pair<int64_t, int64_t> shard_range(int64_t count, int k, int n) {
  return {count * k / n, count * (k + 1) / n};
}

namespace {

std::string sample_id(int64_t i) {
  char b[32];
  std::snprintf(b, sizeof b, "%08lld", static_cast<long long>(i));
  return b;
}

// Aligned crops: JPEG q95, like the real photos they are mixed with; PNG
// costs ~4x the whole sample.
fs::path aligned_path(const fs::path& out, int size, const std::string& cls, int64_t id) {
  return out / ("aligned" + std::to_string(size)) / cls / (sample_id(id) + ".jpg");
}


// upper_coverage is what the label was judged on: the brows and eyes, or the eyes alone (--upper-region eyes).
std::string manifest_row(int64_t index, const Sample& s, const FaceSource& src, bool eyes_only) {
  std::string occ;
  char b[160];
  for (const Placement& p : s.occluders) {
    std::snprintf(b, sizeof b, "%s@s=%.3f/r=%.2f/dx=%.3f/dy=%.3f/shadow=%d", p.asset_id.c_str(), p.scale,
                  p.rotation_deg, p.dx, p.dy, int(p.shadow));
    occ += (occ.empty() ? "" : "|") + std::string(b);
  }
  std::ostringstream row;
  std::snprintf(b, sizeof b, "%.4f,%.4f,%016llx,%d", eyes_only ? s.coverage.eyes : s.coverage.upper, s.coverage.lower,
                static_cast<unsigned long long>(s.seed), s.attempts);
  row << sample_id(index) << "," << class_folder(s.cls) << "," << csv_field(src.photo) << "," << src.face_index << ","
      << int(s.flipped) << "," << csv_field(occ) << "," << b;
  return row.str();
}

// Sample files: checked writes without an fsync each (the journal marks what is done).
bool write_atomic(const fs::path& dst, const std::vector<uchar>& bytes) {
  return write_file_atomic(dst, bytes.data(), bytes.size(), /*sync=*/false);
}

nlohmann::ordered_json settings_json(const GeneratorOptions& o) {
  nlohmann::ordered_json j;
  auto abs = [](const fs::path& p) { return fs::absolute(p).lexically_normal().string(); };
  j["faces"] = !o.faces_dir.empty()   ? abs(o.faces_dir)
               : o.validation_faces ? std::string("the real photos' validation split, 0_0_0")
                                    : std::string("the real photos' training split, 0_0_0");
  if (!o.real.empty()) {
    j["real"] = nlohmann::ordered_json::array();
    for (const auto& r : o.real) j["real"].push_back(abs(r));
    j["val_split"] = o.val_split;
    j["split_seed"] = o.split_seed;
    if (!o.harvest_dir.empty()) j["harvest"] = abs(o.harvest_dir);
  }
  j["occluders"] = fs::absolute(o.occluders_dir).lexically_normal().string();
  if (!o.more_occluders.empty()) {
    j["more_occluders"] = nlohmann::ordered_json::array();
    for (const auto& d : o.more_occluders) j["more_occluders"].push_back(fs::absolute(d).lexically_normal().string());
  }
  j["count"] = o.count;
  j["seed"] = o.seed;
  j["classes"] = o.class_mix;
  j["shard"] = std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count);
  j["size"] = o.size;
  j["min_face"] = o.min_face;
  j["min_score"] = o.min_score;
  j["aligned"] = o.aligned;
  j["aligned_only"] = o.aligned_only;
  j["masks"] = o.masks;
  j["jpeg_quality"] = o.jpeg_quality;
  j["covered"] = o.sample.rule.covered;
  j["visible"] = o.sample.rule.visible;
  if (o.sample.rule.eyes_only) j["upper_region"] = "eyes";
  j["max_attempts"] = o.sample.max_attempts;
  j["decoy"] = o.sample.decoy;
  j["eyeglasses"] = o.sample.eyeglasses;
  j["touch"] = o.sample.touch;
  if (o.sample.poisson) j["poisson"] = true;
  return j;
}

// The contact sheet: one row of up to 8 thumbnails per class, labelled.
void write_preview(const fs::path& file, const fs::path& out, const std::map<int64_t, JournalRow>& rows,
                   bool aligned_only, int aligned) {
  const int thumb = 128, per_row = 8, label_w = 90;
  cv::Mat sheet(kNumClasses * thumb, label_w + per_row * thumb, CV_8UC3, cv::Scalar(40, 40, 40));
  for (int c = 0; c < kNumClasses; ++c) {
    const std::string folder = class_folder(OccClass(c));
    cv::putText(sheet, folder, {6, c * thumb + thumb / 2 - 6}, cv::FONT_HERSHEY_SIMPLEX, 0.55, {255, 255, 255}, 1, cv::LINE_AA);
    cv::putText(sheet, class_name(OccClass(c)), {6, c * thumb + thumb / 2 + 16}, cv::FONT_HERSHEY_SIMPLEX, 0.5,
                {200, 200, 200}, 1, cv::LINE_AA);
    int k = 0;
    for (const auto& [id, r] : rows) {
      if (r.cls != folder || k >= per_row) continue;
      const fs::path img = aligned_only ? aligned_path(out, aligned, folder, id)
                                        : out / folder / (sample_id(id) + ".jpg");
      cv::Mat im = cv::imread(img.string());
      if (im.empty()) continue;
      cv::resize(im, im, {thumb, thumb}, 0, 0, cv::INTER_AREA);
      im.copyTo(sheet(cv::Rect(label_w + k * thumb, c * thumb, thumb, thumb)));
      ++k;
    }
  }
  std::vector<uchar> png;
  cv::imencode(".png", sheet, png);
  write_atomic(file, png);
}

}  // namespace

GeneratorReport run_generator(const GeneratorOptions& opt, const std::function<void(const std::string&)>& log) {
  GeneratorReport rep;
  if (opt.count < 1) throw std::invalid_argument("count must be >= 1");
  if (opt.shard_count < 1 || opt.shard_index < 0 || opt.shard_index >= opt.shard_count)
    throw std::invalid_argument("shard must be k/n with 0 <= k < n");
  cv::setNumThreads(0);  // parallelism is TBB's, over samples; OpenCV's own pool would fight it
  prepare_opencv_statics();  // before any thread: OpenCV fills some tables lazily, not thread-safely
  const fs::path out = opt.out_dir;
  fs::create_directories(out);
  const fs::path journal_file = out / "journal.csv", settings_file = out / "run.json";

  // Resume guard: same settings or nothing.
  const nlohmann::ordered_json settings = settings_json(opt);
  const bool has_run = fs::exists(settings_file);
  if (has_run && !opt.resume)
    throw std::runtime_error(out.string() + " already holds an occgen run: pass --resume to finish it, or use another --out");
  if (has_run) {
    std::ifstream in(settings_file);
    nlohmann::ordered_json prev;
    try {
      prev = nlohmann::ordered_json::parse(in);
    } catch (const std::exception&) {
      throw std::runtime_error(settings_file.string() + ": unreadable; cannot resume safely");
    }
    if (prev != settings)
      throw std::runtime_error(settings_file.string() + ": settings differ from this command (" + prev.dump() +
                               "); resume with the same options");
  } else if (!write_file_atomic(settings_file, settings.dump(1) + "\n")) {
    throw std::runtime_error(settings_file.string() + ": cannot write (is the output folder writable?)");
  }

  // Inputs. With real labelled photos: their training split (as occtrain makes it) gives the
  // clean faces and, cut out of its occluded photos, more occluders; validation photos give nothing.
  auto t0 = Clock::now();
  std::vector<fs::path> face_files;
  std::vector<std::string> face_names;
  if (!opt.real.empty()) {
    const RealPhotoList real = list_real_photos(opt.real, opt.threads, log);
    if (!real.problems.empty())
      log("real photos left out: " + summarise_problems(real.problems));
    std::vector<std::string> keys;
    for (const RealPhoto& p : real.photos) keys.push_back(p.key);
    const auto split = group_split(keys, opt.val_split, opt.split_seed);
    const auto& train = split.first;
    if (opt.faces_dir.empty())
      for (int64_t i : opt.validation_faces ? split.second : split.first)
        if (real.photos[size_t(i)].label == int(OccClass::None)) {
          face_files.push_back(real.photos[size_t(i)].path);
          face_names.push_back(real.photos[size_t(i)].path.generic_string());
        }
    log("real photos: " + std::to_string(real.photos.size()) + " (" + std::to_string(train.size()) +
        " in the training split, split seed " + std::to_string(opt.split_seed) + ", validation share " +
        std::to_string(opt.val_split).substr(0, 4) + ")" +
        (opt.faces_dir.empty() ? std::string("; faces: the ") + (opt.validation_faces ? "validation" : "training") +
                                     " split's " + std::to_string(face_files.size()) + " clean photos"
                               : std::string()));
    if (!opt.harvest_dir.empty()) {
      HarvestRunOptions h;
      h.real = opt.real;
      h.photos = &real;
      h.val_split = opt.val_split;
      h.split_seed = opt.split_seed;
      h.out = opt.harvest_dir;
      h.detector_dir = opt.detector_dir;
      h.threads = opt.threads;
      h.log = log;
      const HarvestRunReport hr = harvest_training_split(h);
      log("occluders cut from the real training split: " + std::to_string(hr.written + hr.kept) + " in " +
          opt.harvest_dir.string() + " (" + std::to_string(hr.written) + " new)");
    }
  }
  OccluderLibrary lib = load_occluders(opt.occluders_dir);
  for (const auto& d : opt.more_occluders) merge_occluders(lib, load_occluders(d), d);
  if (!opt.harvest_dir.empty() && fs::is_directory(opt.harvest_dir))
    merge_occluders(lib, load_occluders(opt.harvest_dir), opt.harvest_dir);
  for (const auto& [file, why] : lib.rejected) log("warning: occluder " + file + ": " + why + " (skipped)");
  if (lib.assets.empty()) throw std::runtime_error(opt.occluders_dir.string() + ": no usable occluder");
  rep.assets = int(lib.assets.size());
  FaceIndexOptions fio;
  fio.shape_predictor = opt.shape_predictor;
  fio.cache_dir = opt.landmark_cache.empty() ? out / "landmarks" : opt.landmark_cache;
  fio.size = opt.size;
  fio.min_face = opt.min_face;
  fio.min_score = opt.min_score;
  fio.detector_dir = opt.detector_dir.empty() ? default_detector_dir() : opt.detector_dir;
  fio.threads = opt.threads;
  fio.log = log;
  const FaceIndex index = opt.faces_dir.empty() ? index_faces(face_files, face_names, fio) : index_faces(opt.faces_dir, fio);
  rep.photos = index.photos;
  rep.faces = int(index.faces.size());
  rep.index_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!index.skipped.empty()) {
    std::vector<std::pair<std::string, std::string>> skipped;
    for (const auto& s : index.skipped) skipped.emplace_back(s.file, s.reason);
    log("skipped " + std::to_string(skipped.size()) + " photos or faces: " + summarise_problems(skipped) + " (all in " +
        (out / "summary.json").string() + ")");
  }
  log("faces: " + std::to_string(index.faces.size()) + " from " + std::to_string(index.photos) + " photos (" +
      std::to_string(index.detections) + " detected, " + std::to_string(index.cache_hits) + " from the landmark cache, " +
      std::to_string(index.skipped.size()) + " skipped); occluders: " + std::to_string(lib.assets.size()) + " (" +
      std::to_string(lib.rejected.size()) + " rejected)");
  if (index.faces.empty())
    throw std::runtime_error((opt.faces_dir.empty() ? std::string("the real photos' training split") : opt.faces_dir.string()) +
                             ": no usable face in any photo");
  std::set<std::string> identities;
  for (const FaceSource& f : index.faces) identities.insert(f.key);
  rep.identities = int(identities.size());
  if (rep.identities < 100)
    log("faces from " + std::to_string(rep.identities) + " photos: few identities for a pool that helps training; "
        "more clean faces are advised (--faces DIR, or real labelled photos: --real DIR)");
  const OccluderPools pools(lib);

  // Work list: this shard's indices that are not already done.
  const auto targets = class_targets(opt.count, opt.class_mix, opt.seed);
  const auto [begin, end] = shard_range(opt.count, opt.shard_index, opt.shard_count);
  std::map<int64_t, JournalRow> done;
  if (opt.resume) {
    for (auto& [id, r] : read_journal(journal_file)) {
      const bool have = opt.aligned_only ? fs::exists(aligned_path(out, opt.aligned, r.cls, id))
                                         : fs::exists(out / r.cls / (sample_id(id) + ".jpg"));
      if (have && id >= begin && id < end) done.emplace(id, std::move(r));
    }
    rep.resumed = int64_t(done.size());
    if (rep.resumed) log("resume: " + std::to_string(rep.resumed) + " samples already done");
    if (const long stray = remove_temporaries(out)) log("resume: removed " + std::to_string(stray) + " temporary file(s) a killed run left behind");
  }
  std::vector<int64_t> todo;
  for (int64_t i = begin; i < end; ++i)
    if (!done.count(i)) todo.push_back(i);

  for (int c = 0; c < kNumClasses; ++c) {
    if (!opt.aligned_only) fs::create_directories(out / class_folder(OccClass(c)));
    if (opt.aligned > 0) fs::create_directories(out / ("aligned" + std::to_string(opt.aligned)) / class_folder(OccClass(c)));
  }
  if (opt.masks) fs::create_directories(out / "masks");
  std::ofstream journal(journal_file, std::ios::app);
  if (!journal) throw std::runtime_error(journal_file.string() + ": cannot write");

  std::mutex mu;  // journal, new rows, error list
  std::map<int64_t, JournalRow> fresh;
  std::vector<std::string> errors;
  std::atomic<int64_t> finished{0}, unfilled{0}, write_errors{0};
  const bool tty = ::isatty(STDERR_FILENO);
  auto last_print = Clock::now();
  const auto t1 = Clock::now();
  auto progress = [&](bool final) {
    const double el = std::chrono::duration<double>(Clock::now() - t1).count();
    const int64_t n = finished.load(), total = int64_t(todo.size());
    const double rate = el > 0 ? double(n) / el : 0;
    char b[200];
    if (tty) {
      const int w = 30, fill = total ? int(w * n / total) : w;
      std::snprintf(b, sizeof b, "\r[%s%s] %lld/%lld  %.0f img/s  ETA %.0fs ", std::string(size_t(fill), '#').c_str(),
                    std::string(size_t(w - fill), ' ').c_str(), (long long)n, (long long)total, rate,
                    rate > 0 ? double(total - n) / rate : 0.0);
      std::fputs(b, stderr);
      if (final) std::fputs("\n", stderr);
    } else {
      std::snprintf(b, sizeof b, "progress: %lld/%lld samples, %.0f img/s", (long long)n, (long long)total, rate);
      log(b);
    }
  };

  const int threads = opt.threads > 0 ? opt.threads : int(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, size_t(threads));
  // Aligned crops come from the same find-and-align path as real photos: the
  // detector runs on the composited image as written (JPEG-decoded), so a
  // crop's framing never says "synthetic". A draw whose face the detector
  // cannot find is re-drawn: at capture time such a photo never reaches the
  // classifier (occpredict: "no face found"), and a centre crop would be a
  // framing only synthetic occluders produce.
  std::optional<BlazeFace> proto;
  if (opt.aligned > 0) proto.emplace(opt.detector_dir.empty() ? default_detector_dir() : opt.detector_dir);
  tbb::enumerable_thread_specific<std::optional<BlazeFace>> detectors([&] {
    return proto ? std::optional<BlazeFace>(proto->clone()) : std::optional<BlazeFace>();
  });
  SampleOptions sample_opt = opt.sample;
  sample_opt.camera.jpeg_max = opt.jpeg_quality;  // each sample is saved at a quality drawn up to this
  std::atomic<int64_t> undetected{0};
  if (opt.aligned > 0)
    sample_opt.accept = [&](Sample& s) {
      cv::imencode(".jpg", s.image, s.encoded, {cv::IMWRITE_JPEG_QUALITY, s.jpeg_quality});
      // The face is where the clean face's landmarks put it: one short-range pass around it
      // finds its keypoints, as the last step of a real photo's search does.
      // The aligned crop reaches past the sample's canvas at its corners; there the photo went on, so
      // the canvas is continued (reflected; replicated when the source photo itself ends inside the
      // canvas, so that its black edge stays black, as aligning that real photo leaves it), never black.
      cv::Mat image = cv::imdecode(s.encoded, cv::IMREAD_COLOR);
      const int pad = image.cols / 4;
      const bool cut = !index.faces[size_t(s.source)].inside.empty();
      cv::copyMakeBorder(image, image, pad, pad, pad, pad, cut ? cv::BORDER_REPLICATE : cv::BORDER_REFLECT_101);
      AlignedFace a = align_known_face(image, *detectors.local(), blazeface_box(s.points) + cv::Point2f(float(pad), float(pad)),
                                       opt.aligned);
      if (!a.face_found) { ++undetected; return false; }
      s.aligned = std::move(a.crop);
      return true;
    };
  // No BLAS or LAPACK on these threads (blas_lock.hpp): the sample path solves its fits in
  // closed form, so no sample's bytes depend on what another thread is doing.
  parallel_for(0, todo.size(), 8, [&](size_t range_begin, size_t range_end) {
    std::vector<uchar> buf;
    for (size_t k = range_begin; k != range_end; ++k) {
      const int64_t i = todo[k];
      const auto s = generate_sample(opt.seed, i, OccClass(targets[size_t(i)]), index.faces, lib, pools, sample_opt);
      if (!s) {
        ++unfilled;
        std::lock_guard<std::mutex> g(mu);
        if (errors.size() < 50) errors.push_back(sample_id(i) + ": no draw reached class " + class_folder(OccClass(targets[size_t(i)])));
      } else {
        const std::string id = sample_id(i), folder = class_folder(s->cls);
        bool ok = true;
        std::string failed;
        if (opt.masks) {
          // RLE: masks are runs of 0 and 255; ~10x faster than deflate at similar size.
          cv::imencode(".png", s->mask, buf, {cv::IMWRITE_PNG_STRATEGY, cv::IMWRITE_PNG_STRATEGY_RLE});
          if (!write_atomic(out / "masks" / (id + ".png"), buf)) ok = false, failed = "masks/" + id + ".png";
        }
        if (ok && opt.aligned > 0) {
          cv::imencode(".jpg", s->aligned, buf, {cv::IMWRITE_JPEG_QUALITY, 95});
          const fs::path p = aligned_path(out, opt.aligned, folder, i);
          if (!write_atomic(p, buf)) ok = false, failed = p.string();
        }
        if (ok && !opt.aligned_only) {  // the image is written last: its presence marks the sample done
          if (s->encoded.empty()) cv::imencode(".jpg", s->image, buf, {cv::IMWRITE_JPEG_QUALITY, s->jpeg_quality});
          else buf = s->encoded;
          if (!write_atomic(out / folder / (id + ".jpg"), buf)) ok = false, failed = (out / folder / (id + ".jpg")).string();
        }
        std::lock_guard<std::mutex> g(mu);
        if (ok) {
          const std::string row = manifest_row(i, *s, index.faces[size_t(s->source)], opt.sample.rule.eyes_only);
          journal << row << "\n" << std::flush;
          const auto f = csv_split(row);
          fresh[i] = {i, f[1], f[5], row, fnv1a(buf.data(), buf.size()) | 1, dhash(opt.aligned_only ? s->aligned : s->image)};
        } else {
          ++write_errors;
          if (errors.size() < 50) errors.push_back(failed + ": cannot write");
        }
      }
      ++finished;
      if (Clock::now() - last_print > std::chrono::milliseconds(tty ? 200 : 5000)) {
        std::lock_guard<std::mutex> g(mu);
        if (Clock::now() - last_print > std::chrono::milliseconds(tty ? 200 : 5000)) {
          last_print = Clock::now();
          progress(false);
        }
      }
    }
  });
  progress(true);
  journal.close();
  rep.generate_seconds = std::chrono::duration<double>(Clock::now() - t1).count();

  // Manifest: every done row of this shard, sorted by id.
  for (auto& [id, r] : fresh) done[id] = std::move(r);
  std::string manifest = std::string(kJournalHeader) + "\n";
  std::map<std::string, int64_t> per_category;
  std::map<std::string, std::string> category_of, licence_of;
  for (const auto& a : lib.assets) category_of[a.id] = a.category, licence_of[a.id] = a.licence;
  std::set<std::string> licences;  // of the occluders the samples use: what a dataset made of them carries
  std::map<std::string, int64_t> images_per_licence;
  for (const auto& [id, r] : done) {
    manifest += r.text + "\n";
    if (auto c = class_from_string(r.cls)) ++rep.per_class[int(*c)];
    std::set<std::string> of_this;  // an image counts once per licence, however many of its occluders carry it
    for (const std::string& aid : occluder_ids(r.occluders)) {
      ++per_category[category_of.count(aid) ? category_of[aid] : "unknown"];
      if (licence_of.count(aid) && !licence_of[aid].empty()) licences.insert(licence_of[aid]), of_this.insert(licence_of[aid]);
    }
    for (const std::string& l : of_this) ++images_per_licence[l];
  }
  // A full disk fails the manifest too: that is one more write error (exit 3, with every
  // per-sample error listed), not a different failure; the journal still holds the finished rows.
  if (!write_file_atomic(out / "manifest.csv", manifest)) {
    ++write_errors;
    errors.push_back((out / "manifest.csv").string() + ": cannot write (disk full?); --resume rewrites it from the journal");
  }

  // Duplicates: byte-identical files and near-duplicate images (dHash within 3 bits), and how many
  // source faces the samples come from. Resumed samples are hashed from their files.
  std::vector<uint64_t> dhashes;
  std::set<uint64_t> distinct_bytes;
  std::set<std::pair<std::string, std::string>> sources_used;
  for (auto& [id, r] : done) {
    if (r.bytes_hash == 0) {
      const fs::path f = opt.aligned_only ? aligned_path(out, opt.aligned, r.cls, id) : out / r.cls / (sample_id(id) + ".jpg");
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const cv::Mat img = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())), cv::IMREAD_COLOR);
      if (img.empty()) continue;
      r.bytes_hash = fnv1a(bytes.data(), bytes.size()) | 1;
      r.dhash = dhash(img);
    }
    distinct_bytes.insert(r.bytes_hash);
    dhashes.push_back(r.dhash);
    const auto f = csv_split(r.text);
    sources_used.insert({f[2], f[3]});
  }
  const long identical = long(dhashes.size()) - long(distinct_bytes.size());
  const long near_dups = count_near_duplicates(dhashes, 3);
  if (opt.count > 200 * int64_t(index.faces.size()))
    log("warning: " + std::to_string(opt.count) + " samples from " + std::to_string(index.faces.size()) +
        " faces (over 200 per face): identities repeat; give more clean faces (--faces)");
  rep.written = int64_t(fresh.size());
  rep.unfilled = unfilled;
  rep.write_errors = write_errors;
  for (const auto& e : errors) log("error: " + e);

  nlohmann::ordered_json sum;
  sum["settings"] = settings;
  sum["threads"] = threads;
  sum["images"] = int64_t(done.size());
  sum["written_this_run"] = rep.written;
  sum["resumed"] = rep.resumed;
  sum["unfilled"] = rep.unfilled;
  sum["write_errors"] = rep.write_errors;
  for (int c = 0; c < kNumClasses; ++c) sum["per_class"][class_folder(OccClass(c))] = rep.per_class[c];
  sum["per_occluder_category"] = per_category;
  sum["distinct_source_faces"] = sources_used.size();
  sum["byte_identical_images"] = identical;
  sum["near_duplicate_images"] = near_dups;
  sum["near_duplicate_rule"] = "dHash (9x8 grey) within 3 of 64 bits of an earlier image";
  if (opt.aligned > 0) sum["draws_redrawn_face_not_detected"] = undetected.load();
  sum["photos"] = index.photos;
  sum["faces"] = index.faces.size();
  sum["identities"] = rep.identities;
  sum["occluder_licences"] = licences;
  sum["images_per_occluder_licence"] = images_per_licence;
  for (const auto& [l, n] : images_per_licence)
    if (l.rfind("CC BY-SA", 0) == 0)  // ShareAlike: the images are adaptations of those photos
      sum["share_alike"] = std::to_string(n) + " images carry a CC BY-SA occluder (photographed hands): each is an "
                           "adaptation under CC BY-SA 4.0 with the credit in the asset's licence; see the README's licence table";
  // The photos the faces come from, by content key: occtrain refuses a run whose validation photos are among them.
  std::set<std::string> face_keys;
  for (const FaceSource& f : index.faces) face_keys.insert(f.key);
  sum["source_photo_keys"] = face_keys;
  sum["landmark_detections"] = index.detections;
  sum["landmark_cache_hits"] = index.cache_hits;
  sum["skipped_inputs"] = nlohmann::ordered_json::array();
  for (const auto& s : index.skipped) sum["skipped_inputs"].push_back({{"file", s.file}, {"reason", s.reason}});
  sum["rejected_occluders"] = nlohmann::ordered_json::array();
  for (const auto& [f, why] : lib.rejected) sum["rejected_occluders"].push_back({{"file", f}, {"reason", why}});
  sum["occluder_ids"] = nlohmann::ordered_json::array();  // every asset loaded, shipped, --more-occluders and harvested
  for (const OccluderAsset& a : lib.assets) sum["occluder_ids"].push_back(a.id);
  sum["errors"] = errors;
  sum["seconds"] = {{"index", rep.index_seconds}, {"generate", rep.generate_seconds}};
  sum["images_per_second"] = rep.generate_seconds > 0 ? double(rep.written) / rep.generate_seconds : 0.0;
  write_file_atomic(out / "summary.json", sum.dump(1) + "\n");
  if (!opt.preview.empty()) write_preview(opt.preview, out, done, opt.aligned_only, opt.aligned);
  return rep;
}

}  // namespace faceocc
