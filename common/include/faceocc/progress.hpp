// Progress of a long phase, with a count and an ETA: a bar redrawn in place on
// a terminal, else a line at most every `every` seconds (logs, CI). Header-only,
// so every tool and library can use it.
//
// Thread safety: update() may be called from any thread; lines are written
// under a lock.
#pragma once
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace faceocc {

class ProgressMeter {
 public:
  using Log = std::function<void(const std::string&)>;
  // `what`: the phase ("aligning photos"); `unit`: what is counted ("photos").
  // Lines go to `log` when given, else to stderr.
  ProgressMeter(std::string what, std::string unit, long total, Log log = {}, double every = 5.0)
      : what_(std::move(what)), unit_(std::move(unit)), total_(total), log_(std::move(log)), every_(every),
        tty_(!log_ && ::isatty(STDERR_FILENO)), t0_(Clock::now()), last_(t0_) {}

  // `done` of `total` finished; prints when it is time to (the closing line is finish()'s).
  void update(long done) {
    std::lock_guard<std::mutex> g(mu_);
    done_ = std::max(done_, done);
    const auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_).count() < (tty_ ? 0.2 : every_)) return;
    last_ = now;
    print(false);
  }
  // The closing line (always printed).
  void finish() {
    std::lock_guard<std::mutex> g(mu_);
    print(true);
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  void print(bool final) {
    const double el = seconds(), rate = el > 0 ? double(done_) / el : 0;
    char b[256];
    if (final) {
      std::snprintf(b, sizeof b, "%s: %ld/%ld %s in %.0f s (%.1f %s/s)", what_.c_str(), done_, total_, unit_.c_str(), el,
                    rate, unit_.c_str());
    } else {
      std::snprintf(b, sizeof b, "%s: %ld/%ld %s (%.0f %%), %.1f %s/s, ETA %.0f s", what_.c_str(), done_, total_,
                    unit_.c_str(), total_ ? 100.0 * double(done_) / double(total_) : 100.0, rate, unit_.c_str(),
                    rate > 0 ? double(total_ - done_) / rate : 0.0);
    }
    if (log_) log_(b);
    else if (tty_) std::fprintf(stderr, "\r%s   %s", b, final ? "\n" : "");
    else std::fprintf(stderr, "%s\n", b);
  }
  std::string what_, unit_;
  long total_, done_ = 0;
  Log log_;
  double every_;
  bool tty_;
  Clock::time_point t0_, last_;
  std::mutex mu_;
};

}  // namespace faceocc
