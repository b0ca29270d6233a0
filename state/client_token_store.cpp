#include "state/client_token_store.h"

namespace cvm::state {
namespace {
constexpr char kFindToken[] =
    "SELECT request, response FROM client_tokens WHERE app_id = ? AND region = ? AND action = ? "
    "AND token = ? AND created_at > ?";
constexpr char kPutToken[] =
    "INSERT INTO client_tokens (app_id, region, action, token, request, response, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, region, action, token) DO UPDATE SET "
    "request = excluded.request, response = excluded.response, created_at = excluded.created_at";
constexpr char kExpireTokens[] = "DELETE FROM client_tokens WHERE created_at <= ?";
}  // namespace

std::optional<ClientTokenStore::Record> ClientTokenStore::Find(int64_t app_id,
                                                               const std::string& region,
                                                               const std::string& action,
                                                               const std::string& token,
                                                               TimeMs now) {
  Statement s = db_.Cached(kFindToken);
  s.Bind(1, app_id).Bind(2, region).Bind(3, action).Bind(4, token).Bind(5, now - kClientTokenLifetime);
  if (!s.Step()) return std::nullopt;
  return Record{s.Text(0), s.Text(1)};
}

void ClientTokenStore::Put(int64_t app_id, const std::string& region, const std::string& action,
                           const std::string& token, const Record& record, TimeMs now) {
  db_.Cached(kExpireTokens).Bind(1, now - kClientTokenLifetime).Run();
  db_.Cached(kPutToken)
      .Bind(1, app_id)
      .Bind(2, region)
      .Bind(3, action)
      .Bind(4, token)
      .Bind(5, record.request)
      .Bind(6, record.response)
      .Bind(7, now)
      .Run();
}

}  // namespace cvm::state
