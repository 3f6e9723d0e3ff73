#include "faceocc/image_read.hpp"

#include <cstring>
#include <fstream>
#include <iterator>

#include "faceocc/image_check.hpp"

namespace faceocc {

namespace {

uint32_t be16(const std::string& b, size_t i) { return uint32_t((unsigned char)b[i]) << 8 | (unsigned char)b[i + 1]; }
uint32_t be32(const std::string& b, size_t i) { return be16(b, i) << 16 | be16(b, i + 2); }
uint32_t le16(const std::string& b, size_t i) { return uint32_t((unsigned char)b[i + 1]) << 8 | (unsigned char)b[i]; }
uint32_t le24(const std::string& b, size_t i) { return le16(b, i) | uint32_t((unsigned char)b[i + 2]) << 16; }
uint32_t le32(const std::string& b, size_t i) { return le16(b, i) | le16(b, i + 2) << 16; }

std::optional<cv::Size> size_of(int64_t w, int64_t h) {
  if (w < 0 || h < 0 || w > INT32_MAX || h > INT32_MAX) return std::nullopt;
  return cv::Size(int(w), int(h));
}

std::optional<cv::Size> jpeg_size(const std::string& b) {
  // Segments from after SOI until a start-of-frame (SOF0..SOF15 but DHT, JPG, DAC) gives the size.
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if ((unsigned char)b[i] != 0xFF) return std::nullopt;
    const unsigned m = (unsigned char)b[i + 1];
    if (m == 0xFF) { ++i; continue; }  // fill byte
    if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { i += 2; continue; }  // no length
    if (m == 0xD9 || m == 0xDA) return std::nullopt;  // image ends or scan starts before a frame header
    const size_t len = be16(b, i + 2);
    if (len < 2) return std::nullopt;
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      if (i + 9 > b.size()) return std::nullopt;
      return size_of(be16(b, i + 7), be16(b, i + 5));
    }
    i += 2 + len;
  }
  return std::nullopt;
}

std::optional<cv::Size> webp_size(const std::string& b) {
  if (b.size() < 30) return std::nullopt;
  const std::string chunk = b.substr(12, 4);
  if (chunk == "VP8X") return size_of(int64_t(le24(b, 24)) + 1, int64_t(le24(b, 27)) + 1);
  if (chunk == "VP8L" && (unsigned char)b[20] == 0x2F) {
    const uint32_t v = le32(b, 21);
    return size_of(int64_t(v & 0x3FFF) + 1, int64_t((v >> 14) & 0x3FFF) + 1);
  }
  if (chunk == "VP8 " && (unsigned char)b[23] == 0x9D && (unsigned char)b[24] == 0x01 && (unsigned char)b[25] == 0x2A)
    return size_of(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
  return std::nullopt;
}

std::optional<cv::Size> bmp_size(const std::string& b) {
  if (b.size() < 26) return std::nullopt;
  const uint32_t dib = le32(b, 14);
  if (dib == 12) return size_of(le16(b, 18), le16(b, 20));  // OS/2 header
  const int64_t w = int32_t(le32(b, 18)), h = int32_t(le32(b, 22));
  return size_of(w < 0 ? -w : w, h < 0 ? -h : h);  // negative height: rows top-down
}

}  // namespace

std::optional<cv::Size> header_size(const std::string& b) {
  if (b.size() >= 24 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0 && b.compare(12, 4, "IHDR") == 0)
    return size_of(be32(b, 16), be32(b, 20));
  if (b.size() >= 4 && (unsigned char)b[0] == 0xFF && (unsigned char)b[1] == 0xD8) return jpeg_size(b);
  if (b.size() >= 16 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WEBP") == 0) return webp_size(b);
  if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') return bmp_size(b);
  return std::nullopt;
}

ImageRead decode_image(const std::string& bytes, int flags) {
  ImageRead r;
  const auto size = header_size(bytes);
  if (!size) {
    r.problem = bytes.empty() ? "empty file" : "not a JPEG, PNG, WebP or BMP image (or its header is damaged)";
    return r;
  }
  const int64_t pixels = int64_t(size->width) * size->height;
  if (pixels <= 0) {
    r.problem = "header claims an empty image (" + std::to_string(size->width) + " x " + std::to_string(size->height) + " px)";
    return r;
  }
  if (pixels > kMaxImagePixels) {
    r.problem = "over the " + std::to_string(kMaxImagePixels / 1'000'000) + " MP limit: its header claims " +
                std::to_string(size->width) + " x " + std::to_string(size->height) + " px (" +
                std::to_string(pixels / 1'000'000) + " MP); refused before decoding";
    return r;
  }
  try {
    r.image = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data())), flags);
  } catch (const cv::Exception&) {
    r.image.release();
  }
  if (r.image.empty()) {
    r.problem = "cannot decode image (corrupt or unsupported)";
    return r;
  }
  if (std::string why = truncated_image_problem(bytes); !why.empty()) {
    r.image.release();
    r.problem = std::move(why);
  }
  return r;
}

ImageRead read_image(const std::filesystem::path& file, int flags) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {{}, "cannot read file"};
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return {{}, "cannot read file"};
  return decode_image(bytes, flags);
}

}  // namespace faceocc
