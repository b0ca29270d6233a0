#include "state/meta_store.h"

#include <cstdio>

namespace cvm::state {
namespace {
constexpr char kGetMeta[] = "SELECT value FROM meta WHERE key = ?";
constexpr char kPutMeta[] =
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
constexpr char kClockKey[] = "clock";
}  // namespace

std::optional<std::string> MetaStore::Get(std::string_view key) {
  Statement s = db_.Cached(kGetMeta);
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void MetaStore::Put(std::string_view key, std::string_view value) {
  db_.Cached(kPutMeta).Bind(1, key).Bind(2, value).Run();
}

std::optional<VirtualClock::Snapshot> MetaStore::LoadClock() {
  auto text = Get(kClockKey);
  if (!text) return std::nullopt;
  long long offset = 0, frozen_at = 0;
  int frozen = 0;
  if (std::sscanf(text->c_str(), "%lld %d %lld", &offset, &frozen, &frozen_at) != 3) {
    return std::nullopt;
  }
  return VirtualClock::Snapshot{offset, frozen != 0, frozen_at};
}

void MetaStore::SaveClock(const VirtualClock::Snapshot& s) {
  Put(kClockKey, std::to_string(s.offset_ms) + " " + (s.frozen ? "1" : "0") + " " +
                     std::to_string(s.frozen_at_ms));
}

}  // namespace cvm::state
