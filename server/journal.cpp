#include "server/journal.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace cvm::server {
namespace {

using nlohmann::json;

constexpr std::string_view kSecretNames[] = {"Password", "Signature", "Token", "SecretKey",
                                             "PrivateKey", "Authorization"};

constexpr std::string_view kPrivateKey = "\"PrivateKey\"";

bool IsSecret(std::string_view name) {
  return std::find(std::begin(kSecretNames), std::end(kSecretNames), name) !=
         std::end(kSecretNames);
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Cuts `text` to at most `limit` bytes, not inside a UTF-8 sequence.
void CutUtf8(std::string& text, size_t limit) {
  if (text.size() <= limit) return;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

}  // namespace

void Redact(json& params) {
  if (params.is_array()) {
    for (json& item : params) Redact(item);
    return;
  }
  if (!params.is_object()) return;
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (IsSecret(it.key())) {
      it.value() = "<redacted>";
    } else if (it.key() == "UserData") {
      size_t bytes = it.value().is_string() ? it.value().get_ref<const std::string&>().size() : 0;
      it.value() = "<redacted: " + std::to_string(bytes) + " bytes>";
    } else {
      Redact(it.value());
    }
  }
}

std::string RedactedBody(const std::string& body, size_t limit, bool* truncated) {
  std::string out;
  // Only an answer that names a secret is parsed again. (memmem: find()
  // would stop at every quote of the answer.)
  if (::memmem(body.data(), body.size(), kPrivateKey.data(), kPrivateKey.size())) {
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      out = "<an answer naming PrivateKey that is not JSON: not recorded>";
    } else {
      Redact(parsed);
      out = Dump(parsed);
    }
  } else {
    out = body;
  }
  *truncated = out.size() > limit;
  CutUtf8(out, limit);
  return out;
}

bool JournalFilter::Matches(const JournalEntry& e) const {
  if (!action.empty() && e.action != action) return false;
  if (errors_only ? e.code.empty() : (!code.empty() && e.code != code)) return false;
  if (!request_id.empty() && e.request_id != request_id) return false;
  if (!region.empty() && e.region != region) return false;
  if (app_id && e.app_id != app_id) return false;
  if (!uin.empty() && e.uin != uin) return false;
  if (since_ms && e.emulator_ms < *since_ms) return false;
  if (until_ms && e.emulator_ms > *until_ms) return false;
  return true;
}

json EntryJson(const JournalEntry& e, bool with_response) {
  json out = {{"Sequence", e.sequence},
              {"Time", e.time_ms},
              {"EmulatorTime", e.emulator_ms},
              {"RequestId", e.request_id},
              {"Kind", e.kind},
              {"AppId", e.app_id ? json(*e.app_id) : json(nullptr)},
              {"Uin", e.uin},
              {"Region", e.region},
              {"Action", e.action},
              {"Params", e.params},
              {"Code", e.code.empty() ? json(nullptr) : json(e.code)},
              {"Status", e.status},
              {"LatencyUs", e.latency_us},
              {"Fault", e.fault.empty() ? json(nullptr) : json(e.fault)}};
  if (!e.message.empty()) out["Message"] = e.message;
  if (with_response) {
    out["Response"] = e.response;
    out["ResponseBytes"] = e.response_bytes;
    out["ResponseTruncated"] = e.response_truncated;
  }
  return out;
}

Journal::Journal(size_t capacity, const std::string& file) : capacity_(capacity) {
  if (!file.empty()) {
    file_ = std::fopen(file.c_str(), "a");
    if (!file_) throw std::runtime_error("cannot open the journal file " + file);
  }
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::Record(JournalEntry entry) {
  std::vector<std::shared_ptr<Follower>> followers;
  std::optional<JournalEntry> evicted;  // destroyed after the lock is released
  std::unique_lock lock(mutex_);
  entry.sequence = next_sequence_++;
  if (file_) {
    std::string line = Dump(EntryJson(entry, true)) + "\n";
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  if (!followers_.empty()) {
    std::erase_if(followers_, [&](const std::weak_ptr<Follower>& w) {
      std::shared_ptr<Follower> f = w.lock();
      if (!f) return true;
      followers.push_back(std::move(f));
      return false;
    });
  }
  if (followers.empty()) {
    if (capacity_ == 0) return;
    if (entries_.size() == capacity_) {
      evicted.emplace(std::move(entries_.front()));
      entries_.pop_front();
    }
    entries_.push_back(std::move(entry));
    lock.unlock();
    return;
  }
  if (capacity_ > 0) {
    if (entries_.size() == capacity_) {
      evicted.emplace(std::move(entries_.front()));
      entries_.pop_front();
    }
    entries_.push_back(entry);
  }
  lock.unlock();
  // Outside the journal's lock: a follower's delivery posts to its connection.
  for (const auto& f : followers) f->Offer(entry);
}

std::vector<JournalEntry> Journal::Find(const JournalFilter& filter) const {
  std::vector<JournalEntry> out;
  std::lock_guard lock(mutex_);
  for (auto it = entries_.rbegin(); it != entries_.rend() && out.size() < filter.limit; ++it) {
    if (filter.Matches(*it)) out.push_back(*it);
  }
  return out;
}

void Journal::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::shared_ptr<Journal::Follower> Journal::Follow(JournalFilter filter) {
  auto follower = std::make_shared<Follower>(std::move(filter));
  std::lock_guard lock(mutex_);
  followers_.push_back(follower);
  return follower;
}

void Journal::Follower::Offer(const JournalEntry& entry) {
  if (!filter_.Matches(entry)) return;
  Deliver deliver;
  std::string lines;
  bool end = false;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_ || cut_off_) return;
    if (backlog_.size() >= kMaxFollowerBacklog) {
      // The reader is too slow: cut it off rather than hold more (D-234).
      cut_off_ = true;
      backlog_.clear();
      backlog_.push_back(Dump(json{{"error", "the reader fell behind by more than " +
                                                 std::to_string(kMaxFollowerBacklog) +
                                                 " entries; the stream ends here"}}) +
                         "\n");
    } else {
      backlog_.push_back(Dump(EntryJson(entry, false)) + "\n");
    }
    if (!waiting_) return;
    deliver = std::move(waiting_);
    waiting_ = nullptr;
    for (std::string& l : backlog_) lines += l;
    backlog_.clear();
    end = cut_off_;
  }
  deliver(std::move(lines), end);
}

void Journal::Follower::Next(Deliver deliver) {
  std::string lines;
  bool end;
  {
    std::lock_guard lock(mutex_);
    if (backlog_.empty() && !cut_off_ && !cancelled_) {
      waiting_ = std::move(deliver);
      return;
    }
    for (std::string& l : backlog_) lines += l;
    backlog_.clear();
    end = cut_off_ || cancelled_;
  }
  deliver(std::move(lines), end);
}

void Journal::Follower::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  waiting_ = nullptr;
  backlog_.clear();
}

}  // namespace cvm::server
