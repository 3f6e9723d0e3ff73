#include "faceocc/check/onnx_metadata.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace faceocc {

namespace {

// The protobuf wire format, as far as skipping fields and reading strings needs.
class Wire {
 public:
  Wire(const char* p, size_t n, const std::string& name) : p_(p), end_(p + n), name_(name) {}
  bool done() const { return p_ == end_; }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) fail("truncated number");
      const auto b = uint8_t(*p_++);
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail("a number longer than 10 bytes");
  }

  std::string bytes() {  // a length-delimited field's contents
    const uint64_t n = varint();
    if (n > uint64_t(end_ - p_)) fail("a field runs past the end of the file");
    std::string s(p_, size_t(n));
    p_ += n;
    return s;
  }

  void skip(int wire_type) {
    switch (wire_type) {
      case 0: varint(); return;
      case 1: advance(8); return;
      case 2: { const uint64_t n = varint(); advance(n); return; }
      case 5: advance(4); return;
      default: fail("wire type " + std::to_string(wire_type) + " (not a protobuf message)");
    }
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error(name_ + ": not an ONNX model (" + why + ")");
  }

 private:
  void advance(uint64_t n) {
    if (n > uint64_t(end_ - p_)) fail("a field runs past the end of the file");
    p_ += n;
  }
  const char* p_;
  const char* end_;
  const std::string& name_;
};

constexpr uint64_t kMetadataProps = 14;  // ModelProto.metadata_props (onnx.proto)

}  // namespace

std::map<std::string, std::string> parse_onnx_metadata(const std::string& bytes, const std::string& name) {
  std::map<std::string, std::string> meta;
  Wire w(bytes.data(), bytes.size(), name);
  while (!w.done()) {
    const uint64_t tag = w.varint();
    const int type = int(tag & 7);
    if (tag >> 3 == 0) w.fail("field number 0");
    if (tag >> 3 != kMetadataProps || type != 2) {
      w.skip(type);
      continue;
    }
    const std::string entry = w.bytes();  // StringStringEntryProto: key = 1, value = 2
    Wire e(entry.data(), entry.size(), name);
    std::string key, value;
    while (!e.done()) {
      const uint64_t t = e.varint();
      if (t == (1 << 3 | 2)) key = e.bytes();
      else if (t == (2 << 3 | 2)) value = e.bytes();
      else if (t >> 3 == 0) e.fail("field number 0");
      else e.skip(int(t & 7));
    }
    meta[key] = value;
  }
  return meta;
}

std::map<std::string, std::string> read_onnx_metadata(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw std::runtime_error(file.string() + ": cannot be read");
  return parse_onnx_metadata(s.str(), file.string());
}

}  // namespace faceocc
