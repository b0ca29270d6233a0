// The v1 signatures the emulator has accepted, each until its signature
// window has passed (docs/decisions.md D-82). The replay cache in memory
// answers the checks; this table lets it survive a restart.
//
// REQUIRES (every method): the caller holds the database's lock, or is
// inside its batch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "state/database.h"

namespace cvm::state {

struct AcceptedSignature {
  std::string signature;
  int64_t expires_at = 0;  // real time, seconds
};

class V1SignatureStore {
 public:
  explicit V1SignatureStore(Database& db) : db_(db) {}

  // Records `signature` until `expires_at`. A signature accepted again
  // (after it expired) is recorded again: the latest expiry counts.
  void Add(std::string_view signature, int64_t expires_at);
  // Every record that has not expired at `now` (expires_at >= now), soonest
  // expiry first.
  std::vector<AcceptedSignature> Unexpired(int64_t now);
  // Forgets the signatures that expired before `now`. Returns how many.
  int DeleteExpired(int64_t now);

 private:
  Database& db_;
};

}  // namespace cvm::state
