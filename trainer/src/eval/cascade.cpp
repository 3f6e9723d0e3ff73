#include "faceocc/train/eval/cascade.hpp"

#include <algorithm>
#include <stdexcept>

namespace faceocc {

std::vector<int> cascade_predict(const std::vector<std::vector<float>>& bin, const std::vector<std::vector<float>>& reg) {
  if (bin.size() != reg.size()) throw std::invalid_argument("cascade_predict: the two models saw different image counts");
  std::vector<int> out(bin.size());
  for (size_t i = 0; i < bin.size(); ++i) {
    if (bin[i].size() != 2 || reg[i].size() != 4) throw std::invalid_argument("cascade_predict: need a 2-class and a 4-class model");
    out[i] = bin[i][1] > bin[i][0] ? int(std::max_element(reg[i].begin() + 1, reg[i].end()) - reg[i].begin()) : 0;
  }
  return out;
}

}  // namespace faceocc
