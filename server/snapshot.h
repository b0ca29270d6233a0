// Snapshots: all state, or one account's, as one versioned JSON document
// (GET /_emulator/snapshot), and back (POST /_emulator/snapshot, --snapshot).
// README "Snapshots" shows the format; docs/decisions.md D-235..D-239 say
// what a snapshot holds.
//
//   {"format": "cvm-emulator-snapshot", "version": 2,
//    "app_id": null | 1250000000,
//    "clock": {"now_ms", "frozen"},
//    "settings": {"durations": {...}, "quotas": {"default": {...}, "accounts": {...}}},
//    "tables": {"instances": {"columns": [...], "rows": [[...], ...]}, ...}}
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cvm::server {

class Emulator;

inline constexpr int kSnapshotVersion = 2;
// Where snapshots are posted, and the longest one a POST takes (the
// transport's body limit for that path).
inline constexpr std::string_view kSnapshotPath = "/_emulator/snapshot";
inline constexpr size_t kMaxSnapshotBytes = size_t{1} << 30;

// Every snapshot table's rows (of `app_id` only, when given), the clock and
// the settings. Takes the database's lock.
nlohmann::json ExportSnapshot(Emulator& emulator, std::optional<int64_t> app_id);

// Replaces all state (or, with `app_id`, that account's resources and quota)
// with the snapshot's, in one transaction: the document is migrated to the
// current version and checked whole before anything is written, and what is
// written is read back through the stores before the commit. Returns "" or
// the problem (nothing then changed). Takes the database's lock.
std::string ImportSnapshot(Emulator& emulator, nlohmann::json document,
                           std::optional<int64_t> app_id);

// An older snapshot brought to kSnapshotVersion, in place: "" or the problem.
std::string MigrateSnapshot(nlohmann::json& document);

}  // namespace cvm::server
