// The request journal: the last N API and control requests, in memory, for
// GET /_emulator/requests and the console (docs/decisions.md D-230..D-236).
//
// An entry holds the request's real and emulator time, account, region,
// action, parameters (secrets redacted: Redact), outcome, latency, the
// injected fault if one fired, its RequestId, and the start of its answer
// (kMaxRecordedBody bytes; longer answers are cut and say so).
//
// Recording takes one mutex for a moment: the entry is built before it, and
// a follower's line (JSON) is only made when someone follows. Readers copy
// what they match under the same mutex.
//
// Following: Follow() returns a Follower that receives every entry recorded
// from then on as one JSON line. A follower holds at most kMaxFollowerBacklog
// lines it has not taken yet; a reader slower than that is cut off (its
// stream ends with a line saying so), so no reader grows memory without
// limit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/http_message.h"

namespace cvm::server {

struct JournalEntry {
  uint64_t sequence = 0;   // 1, 2, ... in the order recorded (set by Record)
  int64_t time_ms = 0;     // real time (Unix ms)
  int64_t emulator_ms = 0; // the emulator clock
  std::string request_id;  // "" for a control request
  std::string kind;        // "api" or "control"
  std::optional<int64_t> app_id;
  std::string uin;
  std::string region;
  std::string action;      // API: the Action; control: "POST /_emulator/clock/advance"
  nlohmann::json params;   // redacted (Redact)
  std::string code;        // "" on success; an API error code, or "HTTP 400"
  std::string message;     // the error's message
  int status = 200;        // the HTTP status
  int64_t latency_us = 0;
  std::string fault;       // the injected fault that answered, if one did
  std::string response;    // the answer's first kMaxRecordedBody bytes (redacted)
  size_t response_bytes = 0;  // the answer's whole length
  bool response_truncated = false;
};

// What GET /_emulator/requests asks for; empty fields match anything.
struct JournalFilter {
  std::string action, code, request_id, region;
  std::optional<int64_t> app_id;
  std::string uin;
  bool errors_only = false;        // code "!" : any error
  std::optional<int64_t> since_ms; // emulator time, inclusive
  std::optional<int64_t> until_ms;
  size_t limit = 100;

  bool Matches(const JournalEntry& e) const;
};

class Journal {
 public:
  // The longest part of an answer an entry keeps.
  static constexpr size_t kMaxRecordedBody = 16 * 1024;
  // The longest parameters an entry keeps (as JSON text); larger ones are
  // replaced by a note of their size.
  static constexpr size_t kMaxRecordedParams = 16 * 1024;
  static constexpr size_t kMaxFollowerBacklog = 1000;

  // Keeps the last `capacity` entries (0: records nothing). With `file`, every
  // entry is also appended there as a JSON line. Throws std::runtime_error
  // if the file cannot be opened.
  explicit Journal(size_t capacity, const std::string& file = "");
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Sets entry.sequence and keeps the entry. Thread-safe.
  void Record(JournalEntry entry);
  // Entries matching `filter`, newest first, at most filter.limit.
  std::vector<JournalEntry> Find(const JournalFilter& filter) const;
  void Clear();
  size_t capacity() const { return capacity_; }
  bool enabled() const { return capacity_ > 0 || file_ != nullptr; }

  class Follower;
  // A follower of the entries recorded from now on that match `filter`
  // (its limit is ignored).
  std::shared_ptr<Follower> Follow(JournalFilter filter);

 private:
  size_t capacity_;
  std::FILE* file_ = nullptr;
  mutable std::mutex mutex_;
  std::deque<JournalEntry> entries_;  // oldest first
  uint64_t next_sequence_ = 1;
  std::vector<std::weak_ptr<Follower>> followers_;
};

// Entries for one reader, as JSON lines.
class Journal::Follower final : public BodyStream {
 public:
  explicit Follower(JournalFilter filter) : filter_(std::move(filter)) {}

  // Calls `deliver` once with every line waiting (now), or with the next one
  // when it comes (from the recording thread). `end` is true once the
  // follower was cut off: the lines then say so, and nothing follows.
  void Next(Deliver deliver) override;
  // No more lines wanted (the reader went away).
  void Cancel() override;

 private:
  friend class Journal;
  void Offer(const JournalEntry& entry);

  JournalFilter filter_;
  std::mutex mutex_;
  std::deque<std::string> backlog_;
  Deliver waiting_;
  bool cut_off_ = false;
  bool cancelled_ = false;
};

// The entry as GET /_emulator/requests shows it.
nlohmann::json EntryJson(const JournalEntry& entry, bool with_response);

// Secrets out of a request's parameters, in place, at any depth: Password
// (LoginSettings.Password, ...), Signature, Token, SecretKey, PrivateKey
// become "<redacted>"; UserData becomes "<redacted: N bytes>" (D-232).
void Redact(nlohmann::json& params);
// An answer's text with its secrets out (CreateKeyPair's PrivateKey), cut to
// `limit` bytes; `truncated` says whether it was cut.
std::string RedactedBody(const std::string& body, size_t limit, bool* truncated);

}  // namespace cvm::server
