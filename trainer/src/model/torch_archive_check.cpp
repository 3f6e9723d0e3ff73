#include "faceocc/train/model/torch_archive_check.hpp"

#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>

namespace faceocc {

namespace fs = std::filesystem;

namespace {

// Little-endian reads inside [0, size): every offset is checked by the caller's `need`.
uint64_t le(const std::string& b, uint64_t at, int bytes) {
  uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = v << 8 | uint8_t(b[size_t(at) + size_t(k)]);
  return v;
}

struct Record {
  std::string name;
  uint64_t data = 0, size = 0;  // where the stored bytes are
};

// Walks a pickle's opcodes and refuses a length operand that runs past the record.
// Unknown opcodes are refused too: LibTorch's unpickler refuses them as well.
void walk_pickle(const std::string& b, const Record& r, const std::function<void(const std::string&)>& bad) {
  const uint64_t end = r.data + r.size;
  uint64_t at = r.data;
  auto need = [&](uint64_t n, const char* what) {
    if (n > end - at) bad(r.name + ": " + what + " at byte " + std::to_string(at - r.data) + " claims " + std::to_string(n) +
                         " bytes, " + std::to_string(end - at) + " are left");
  };
  auto line = [&]() {  // newline-terminated operand
    while (at < end && b[size_t(at)] != '\n') ++at;
    if (at == end) bad(r.name + ": a text operand without its newline");
    ++at;
  };
  auto sized = [&](int width) {  // a length operand, then that many bytes: the length must fit what is left
    need(width, "a length");
    const uint64_t n = le(b, at, width);
    at += width;
    need(n, "a string");
    at += n;
  };
  while (at < end) {
    const uint8_t op = uint8_t(b[size_t(at++)]);
    switch (op) {
      case '.': return;  // STOP
      case '(': case '0': case '1': case '2': case 'N': case 'R': case 's': case 'u': case 'a': case 'e': case 'b':
      case 't': case ')': case ']': case '}': case 'l': case 'd': case 'Q': case 0x85: case 0x86: case 0x87: case 0x88:
      case 0x89: case 0x81: case 0x94: case 0x8f: case 0x90: case 0x91: case 0x93: case 0x92: case 0x97: case 0x98:
        break;  // no operand
      case 'K': case 'q': case 'h': case 0x80: case 0x82: need(1, "an operand"); at += 1; break;
      case 'M': case 0x83: need(2, "an operand"); at += 2; break;
      case 'J': case 'r': case 'j': case 0x84: need(4, "an operand"); at += 4; break;
      case 'G': case 0x95: need(8, "an operand"); at += 8; break;
      case 0x8a: case 'C': case 'U': case 0x8c: sized(1); break;  // a 1-byte length, then the bytes
      case 0x8b: case 'X': case 'B': case 'T': sized(4); break;   // a 4-byte length
      case 0x8d: case 0x8e: case 0x96: sized(8); break;           // an 8-byte length
      case 'c': case 'i': line(); line(); break;
      case 'I': case 'L': case 'F': case 'S': case 'V': case 'P': case 'p': case 'g': line(); break;
      default:
        bad(r.name + ": unknown pickle opcode " + std::to_string(op) + " at byte " + std::to_string(at - 1 - r.data));
    }
  }
  bad(r.name + ": the pickle does not end (no STOP)");
}

}  // namespace

void check_torch_archive(const fs::path& file) {
  auto bad = [&](const std::string& why) -> void { throw std::runtime_error(file.string() + ": not a readable PyTorch archive (" + why + ")"); };
  std::error_code ec;
  const uintmax_t n = fs::file_size(file, ec);
  if (ec) bad("cannot read it: " + ec.message());
  if (n > (uintmax_t(1) << 32)) bad("larger than 4 GiB, far beyond any model faceocc writes");
  std::ifstream in(file, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) bad("cannot read it");
  const uint64_t size = b.size();
  auto need = [&](uint64_t at, uint64_t len, const char* what) {
    if (at > size || len > size - at) bad(std::string(what) + " runs past the end of the file");
  };
  // End of central directory: the last signature in the final 64 KiB + 22 bytes.
  if (size < 22) bad("too short for a zip archive");
  uint64_t eocd = size - 22;
  while (le(b, eocd, 4) != 0x06054b50) {
    if (eocd == 0 || size - eocd > 65557) bad("no zip directory");
    --eocd;
  }
  uint64_t entries = le(b, eocd + 10, 2), cd_size = le(b, eocd + 12, 4), cd_at = le(b, eocd + 16, 4);
  if (entries == 0xffff || cd_size == 0xffffffff || cd_at == 0xffffffff) {  // zip64, as PyTorch writes
    if (eocd < 20 || le(b, eocd - 20, 4) != 0x07064b50) bad("a zip64 directory without its locator");
    const uint64_t e64 = le(b, eocd - 20 + 8, 8);
    need(e64, 56, "the zip64 directory record");
    if (le(b, e64, 4) != 0x06064b50) bad("a broken zip64 directory record");
    entries = le(b, e64 + 32, 8), cd_size = le(b, e64 + 40, 8), cd_at = le(b, e64 + 48, 8);
  }
  need(cd_at, cd_size, "the zip directory");
  if (entries > cd_size / 46) bad("more directory entries than the directory holds");
  uint64_t at = cd_at;
  for (uint64_t k = 0; k < entries; ++k) {
    need(at, 46, "a directory entry");
    if (le(b, at, 4) != 0x02014b50) bad("a broken directory entry");
    const uint64_t method = le(b, at + 10, 2), name_len = le(b, at + 28, 2), extra_len = le(b, at + 30, 2),
                   comment_len = le(b, at + 32, 2);
    uint64_t comp = le(b, at + 20, 4), uncomp = le(b, at + 24, 4), local = le(b, at + 42, 4);
    need(at + 46, name_len + extra_len + comment_len, "a directory entry");
    Record r;
    r.name = b.substr(size_t(at + 46), size_t(name_len));
    // Sizes and offset that do not fit 32 bits are in the zip64 extra field, in this order.
    for (uint64_t x = at + 46 + name_len, xe = x + extra_len; x + 4 <= xe;) {
      const uint64_t id = le(b, x, 2), len = le(b, x + 2, 2);
      if (x + 4 + len > xe) bad(r.name + ": a broken extra field");
      if (id == 0x0001) {
        uint64_t y = x + 4;
        for (uint64_t* v : {&uncomp, &comp, &local})
          if (*v == 0xffffffff) {
            if (y + 8 > x + 4 + len) bad(r.name + ": a short zip64 field");
            *v = le(b, y, 8), y += 8;
          }
      }
      x += 4 + len;
    }
    const bool pickle = r.name.size() >= 4 && r.name.compare(r.name.size() - 4, 4, ".pkl") == 0;
    // PyTorch stores its pickles and tensors and deflates its code: a deflated record cannot
    // grow more than 1032-fold, so a larger claim is a lie LibTorch would allocate for.
    if (method == 0 && comp != uncomp) bad(r.name + ": a stored record whose two sizes differ");
    if (method == 8 && (pickle || uncomp > comp * 1032 + 65536)) bad(r.name + (pickle ? ": a deflated pickle (PyTorch stores them)" : ": claims more than deflate can expand to"));
    if (method != 0 && method != 8) bad(r.name + ": compression method " + std::to_string(method));
    need(local, 30, (r.name + "'s header").c_str());
    if (le(b, local, 4) != 0x04034b50) bad(r.name + ": a broken record header");
    r.data = local + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
    r.size = comp;
    need(r.data, r.size, (r.name + "'s bytes").c_str());
    if (pickle) walk_pickle(b, r, bad);
    at += 46 + name_len + extra_len + comment_len;
  }
}

}  // namespace faceocc
