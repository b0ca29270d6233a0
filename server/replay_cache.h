// Remembers accepted v1 signatures until their timestamp leaves the signature
// window, so the same signed request cannot be accepted twice (D-103).
// The checks are answered from memory; the signatures accepted since the last
// save are handed out (TakeUnsaved) to be written to the database before
// their requests are answered, and Restore loads them back after a restart
// (docs/decisions.md D-82).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "state/v1_signature_store.h"

namespace cvm::server {

class ReplayCache {
 public:
  using Accepted = state::AcceptedSignature;

  // Records `signature`, valid until `expires_at` (seconds, real time), as
  // not yet saved. Returns false iff it is already recorded and not expired
  // at `now`.
  bool Insert(std::string_view signature, int64_t expires_at, int64_t now);
  // Records a signature that was saved before (a restart), if it has not
  // expired at `now`.
  void Restore(std::string_view signature, int64_t expires_at, int64_t now);
  // The signatures recorded since the last call, oldest first; the caller
  // saves them. ReturnUnsaved gives back those it could not save.
  std::vector<Accepted> TakeUnsaved();
  void ReturnUnsaved(std::vector<Accepted> entries);
  // True iff a signature waits to be saved.
  bool HasUnsaved() const;
  // Forgets every signature, saved or not.
  void Clear();
  size_t size() const;

 private:
  bool Record(std::string_view signature, int64_t expires_at, int64_t now);
  void Evict(int64_t now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, int64_t> expiry_;        // signature → expires_at
  std::deque<std::pair<int64_t, std::string>> by_insert_;  // for eviction, oldest first
  std::vector<Accepted> unsaved_;
};

}  // namespace cvm::server
