// Reading the JSON records the tools write (a run's data.json, calibration_val.json,
// operating_point.json, metrics; occgen's summary.json): one reader, so a damaged
// record always stops the caller with the file's name and the problem, never as an
// empty object that silently means "nothing recorded".
//
// Thread safety: reentrant (reads only the file it is given).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faceocc {

// The JSON object in `file`.
// ensures: throws std::runtime_error "<file>: <problem> (<reader> reads it)" when the file
//          cannot be opened, is not valid JSON, or holds something other than an object.
nlohmann::json read_json_object(const std::filesystem::path& file, const std::string& reader);

// The same, keeping the keys in the file's order (for records copied into another record).
nlohmann::ordered_json read_ordered_json_object(const std::filesystem::path& file, const std::string& reader);

// The same as read_json_object, but a file that does not exist gives std::nullopt (an optional record).
std::optional<nlohmann::json> read_json_object_if_present(const std::filesystem::path& file, const std::string& reader);

}  // namespace faceocc
