#include "faceocc/train/run/json_record.hpp"

#include <fstream>
#include <stdexcept>

namespace faceocc {

namespace {

template <class Json>
Json read_object(const std::filesystem::path& file, const std::string& reader) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open (" + reader + " reads it)");
  const Json j = Json::parse(in, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(file.string() + ": not valid JSON (" + reader + " reads it)");
  if (!j.is_object()) throw std::runtime_error(file.string() + ": not a JSON object (" + reader + " reads it)");
  return j;
}

}  // namespace

nlohmann::json read_json_object(const std::filesystem::path& file, const std::string& reader) {
  return read_object<nlohmann::json>(file, reader);
}

nlohmann::ordered_json read_ordered_json_object(const std::filesystem::path& file, const std::string& reader) {
  return read_object<nlohmann::ordered_json>(file, reader);
}

std::optional<nlohmann::json> read_json_object_if_present(const std::filesystem::path& file, const std::string& reader) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return read_json_object(file, reader);
}

}  // namespace faceocc
