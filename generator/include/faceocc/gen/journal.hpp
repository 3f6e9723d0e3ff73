// occgen's journal.csv and manifest.csv rows: the journal gets a row the moment a
// sample's files are in place (what --resume trusts), the manifest is every done row
// sorted by id. Both have the manifest's columns:
//   id,class,source,face,flipped,occluders,upper_coverage,lower_coverage,sample_seed,attempts
//
// Thread safety: read_journal reads one file; no shared state.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace faceocc {

constexpr const char* kJournalHeader =
    "id,class,source,face,flipped,occluders,upper_coverage,lower_coverage,sample_seed,attempts";
constexpr size_t kJournalColumns = 10;

struct JournalRow {
  int64_t index = 0;
  std::string cls, occluders, text;  // class folder, the occluders field, the whole line
  // Of the sample's main output (the image, or the aligned crop with --aligned-only); 0 = not computed yet.
  uint64_t bytes_hash = 0, dhash = 0;
};

// ensures: the well-formed rows of `file` by id (8-digit id, a known class, 10 fields); the header,
// a torn last line (a killed run), and any other malformed line are dropped; a later row for an id
// replaces an earlier one. Empty when the file is absent.
std::map<int64_t, JournalRow> read_journal(const std::filesystem::path& file);

}  // namespace faceocc
