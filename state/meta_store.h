// Small key/value facts about the emulator itself (the virtual clock's state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "state/clock.h"
#include "state/database.h"

namespace cvm::state {

class MetaStore {
 public:
  explicit MetaStore(Database& db) : db_(db) {}

  std::optional<std::string> Get(std::string_view key);
  void Put(std::string_view key, std::string_view value);

  // The virtual clock's offset/frozen state, so emulator time continues
  // across a restart instead of jumping back to real time.
  std::optional<VirtualClock::Snapshot> LoadClock();
  void SaveClock(const VirtualClock::Snapshot& s);

 private:
  Database& db_;
};

}  // namespace cvm::state
