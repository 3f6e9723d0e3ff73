// Per-sample randomness that depends only on (seed, index, attempt): the
// reason outputs are byte-identical for any thread count or shard split.
// Own distributions, not <random>'s, whose algorithms vary between libraries.
#pragma once
#include <cmath>
#include <cstdint>

namespace faceocc {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(splitmix64(seed)) {}
  Rng(uint64_t seed, uint64_t a, uint64_t b = 0) : s_(splitmix64(splitmix64(splitmix64(seed) ^ a) ^ b)) {}

  uint64_t next() { return s_ = splitmix64(s_); }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int below(int n) { return int(uniform() * n); }                 // [0, n)
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller
    const double u = 1.0 - uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  uint64_t s_;
};

}  // namespace faceocc
