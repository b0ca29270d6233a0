#include "state/v1_signature_store.h"

namespace cvm::state {
namespace {
constexpr char kAdd[] = "INSERT INTO v1_signatures (signature, expires_at) VALUES (?, ?)";
constexpr char kUnexpired[] =
    "SELECT signature, expires_at FROM v1_signatures WHERE expires_at >= ? "
    "ORDER BY expires_at, id";
constexpr char kDeleteExpired[] = "DELETE FROM v1_signatures WHERE expires_at < ?";
}  // namespace

void V1SignatureStore::Add(std::string_view signature, int64_t expires_at) {
  db_.Cached(kAdd).Bind(1, signature).Bind(2, expires_at).Run();
}

std::vector<AcceptedSignature> V1SignatureStore::Unexpired(int64_t now) {
  std::vector<AcceptedSignature> out;
  Statement s = db_.Cached(kUnexpired);
  s.Bind(1, now);
  while (s.Step()) out.push_back({s.Text(0), s.Int(1)});
  return out;
}

int V1SignatureStore::DeleteExpired(int64_t now) {
  db_.Cached(kDeleteExpired).Bind(1, now).Run();
  return db_.Changes();
}

}  // namespace cvm::state
