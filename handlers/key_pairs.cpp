// Key pairs: CreateKeyPair, ImportKeyPair, DescribeKeyPairs,
// ModifyKeyPairAttribute, DeleteKeyPairs, AssociateInstancesKeyPairs,
// DisassociateInstancesKeyPairs (RULES.md "Key pair group"; DECISIONS Q-07,
// docs/decisions.md D-30..).
#include <optional>

#include "handlers/params.h"
#include "handlers/registry.h"
#include "server/ssh_keys.h"
#include "state/instance_store.h"
#include "state/key_pair_rules.h"
#include "state/key_pair_service.h"
#include "state/key_pair_store.h"
#include "state/unit_of_work.h"

namespace cvm::handlers {
namespace {

using state::KeyPair;



// A KeyPair structure. The public key carries the KeyId as its comment
// (D-33); the private key is known only to CreateKeyPair (CKP-1).
Json KeyPairJson(const KeyPair& k, const std::vector<std::string>& instance_ids,
                 const std::optional<std::string>& private_key) {
  return Json{{"KeyId", k.key_id},
              {"KeyName", k.name},
              {"ProjectId", k.project_id},
              {"Description", k.description ? Json(*k.description) : Json()},
              {"PublicKey", k.public_key + " " + k.key_id},
              {"PrivateKey", private_key ? Json(*private_key) : Json()},
              {"AssociatedInstanceIds", instance_ids},
              {"CreatedTime", state::FormatIso8601(k.created_at / 1000)}};
}

// The checks CreateKeyPair and ImportKeyPair share (CKP-2, CKP-3).
Result<state::NewKeyPair> ReadNewKeyPair(RequestContext& ctx, const Json& p) {
  state::NewKeyPair request;
  request.app_id = ctx.account.app_id;
  request.region = ctx.region;
  request.name = p["KeyName"].get<std::string>();
  CVM_RETURN_IF_ERROR(state::CheckKeyPairName(request.name, "KeyName"));
  request.project_id = p["ProjectId"].get<int64_t>();
  CVM_RETURN_IF_ERROR(state::CheckKeyPairProject(request.project_id));
  return request;
}

HandlerResult CreateKeyPair(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::NewKeyPair request, ReadNewKeyPair(ctx, p));
  // Generated before the database lock is taken: it takes a while.
  server::ssh::GeneratedKey generated = server::ssh::GenerateRsaKeyPair();
  request.public_key = generated.openssh_public;
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(KeyPair k, state::AddKeyPair(ctx.services.db, ctx.services.random,
                                                     ctx.services.settings, request,
                                                     errors::kInvalidKeyPairNameDuplicate, now));
  work.Commit();
  return Json{{"KeyPair", KeyPairJson(k, {}, generated.private_pem)}};
}

HandlerResult ImportKeyPair(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(state::NewKeyPair request, ReadNewKeyPair(ctx, p));
  CVM_ASSIGN_OR_RETURN(request.public_key,
                       server::ssh::NormalizeOpenSshPublicKey(p["PublicKey"].get<std::string>()));
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_ASSIGN_OR_RETURN(KeyPair k, state::AddKeyPair(ctx.services.db, ctx.services.random,
                                                     ctx.services.settings, request,
                                                     errors::kInvalidKeyPairNameDuplicate, now));
  work.Commit();
  return Json{{"KeyId", k.key_id}};
}

HandlerResult DescribeKeyPairs(RequestContext& ctx, const Json& p) {
  state::KeyPairQuery query;
  if (p.contains("KeyIds")) query.key_ids = Strings(p["KeyIds"]);
  if (p.contains("Filters")) {
    for (const Json& f : p["Filters"]) {
      query.conditions.push_back({f["Name"].get<std::string>(), Strings(f["Values"])});
    }
  }
  query.offset = p["Offset"].get<int64_t>();
  query.limit = p["Limit"].get<int64_t>();
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  state::KeyPairPage page = state::KeyPairStore(ctx.services.db).List(ctx.account.app_id, ctx.region, query);
  state::InstanceStore instances(ctx.services.db);
  Json set = Json::array();
  for (const KeyPair& k : page.items) {
    set.push_back(KeyPairJson(k, instances.InstancesWithKey(ctx.account.app_id, ctx.region, k.key_id, now),
                              std::nullopt));
  }
  work.Commit();
  return Json{{"TotalCount", page.total}, {"KeyPairSet", std::move(set)}};
}

HandlerResult ModifyKeyPairAttribute(RequestContext& ctx, const Json& p) {
  std::optional<std::string> name = OptionalString(p, "KeyName");
  std::optional<std::string> description = OptionalString(p, "Description");
  if (!name && !description) {
    return ApiError::Make(errors::kMissingParameterAtLeastOne, "KeyName, Description");
  }
  if (name) CVM_RETURN_IF_ERROR(state::CheckNewKeyPairName(*name, "KeyName"));
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_RETURN_IF_ERROR(state::ModifyKeyPair(ctx.services.db, ctx.account.app_id, ctx.region,
                                           p["KeyId"].get<std::string>(), name, description));
  work.Commit();
  return Json::object();
}

HandlerResult DeleteKeyPairs(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_RETURN_IF_ERROR(state::DeleteKeyPairs(ctx.services.db, ctx.account.app_id, ctx.region,
                                            Strings(p["KeyIds"]), now));
  work.Commit();
  return Json::object();
}

template <bool bind>
HandlerResult ChangeBindings(RequestContext& ctx, const Json& p) {
  state::TimeMs now = ctx.now();
  state::UnitOfWork work(ctx.services.db, now);
  CVM_RETURN_IF_ERROR(state::ChangeInstanceKeyPairs(
      ctx.services.db, ctx.services.settings, ctx.account.app_id, ctx.region, Strings(p["InstanceIds"]),
      Strings(p["KeyIds"]), bind, p["ForceStop"].get<bool>(), ctx.action.name, now));
  work.Commit();
  return Json::object();
}

}  // namespace

void RegisterKeyPairHandlers(Registry& registry) {
  registry.Add("CreateKeyPair", CreateKeyPair);
  registry.Add("ImportKeyPair", ImportKeyPair);
  registry.Add("DescribeKeyPairs", DescribeKeyPairs);
  registry.Add("ModifyKeyPairAttribute", ModifyKeyPairAttribute);
  registry.Add("DeleteKeyPairs", DeleteKeyPairs);
  registry.Add("AssociateInstancesKeyPairs", ChangeBindings<true>);
  registry.Add("DisassociateInstancesKeyPairs", ChangeBindings<false>);
}

}  // namespace cvm::handlers
