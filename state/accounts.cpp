#include "state/accounts.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace cvm::state {

AccountRegistry::AccountRegistry(std::vector<Account> accounts) : accounts_(std::move(accounts)) {
  if (accounts_.empty()) throw std::runtime_error("the accounts file lists no accounts");
  std::unordered_set<int64_t> app_ids;
  std::unordered_set<std::string> uins;
  for (size_t a = 0; a < accounts_.size(); ++a) {
    const Account& account = accounts_[a];
    if (!app_ids.insert(account.app_id).second) {
      throw std::runtime_error("duplicate AppId " + std::to_string(account.app_id));
    }
    if (!uins.insert(account.uin).second) throw std::runtime_error("duplicate Uin " + account.uin);
    for (size_t k = 0; k < account.keys.size(); ++k) {
      const Credential& key = account.keys[k];
      if (key.secret_id.rfind("AKID", 0) != 0) {
        throw std::runtime_error("SecretId " + key.secret_id + " must start with AKID");
      }
      if (key.secret_key.empty()) {
        throw std::runtime_error("SecretId " + key.secret_id + " has an empty SecretKey");
      }
      if (!by_secret_id_.emplace(key.secret_id, std::make_pair(a, k)).second) {
        throw std::runtime_error("duplicate SecretId " + key.secret_id);
      }
    }
  }
}

AccountRegistry AccountRegistry::Default() {
  Account account;
  account.app_id = kDefaultAppId;
  account.uin = std::string(kDefaultUin);
  account.name = "default";
  account.keys.push_back(
      Credential{std::string(kDefaultSecretId), std::string(kDefaultSecretKey), std::nullopt});
  return AccountRegistry({std::move(account)});
}

AccountRegistry AccountRegistry::FromJson(std::string_view text) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("accounts file is not valid JSON: ") + e.what());
  }
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("accounts")) throw std::runtime_error("accounts file needs \"accounts\"");
    list = &doc["accounts"];
  }
  if (!list->is_array()) throw std::runtime_error("\"accounts\" must be an array");
  std::vector<Account> accounts;
  for (const auto& item : *list) {
    try {
      Account account;
      account.app_id = item.at("AppId").get<int64_t>();
      const auto& uin = item.at("Uin");
      account.uin = uin.is_string() ? uin.get<std::string>() : std::to_string(uin.get<int64_t>());
      account.name = item.value("Name", account.uin);
      for (const auto& key : item.at("Keys")) {
        Credential c;
        c.secret_id = key.at("SecretId").get<std::string>();
        c.secret_key = key.at("SecretKey").get<std::string>();
        if (key.contains("Token") && !key["Token"].is_null()) c.token = key["Token"].get<std::string>();
        account.keys.push_back(std::move(c));
      }
      accounts.push_back(std::move(account));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("malformed account entry: ") + e.what());
    }
  }
  return AccountRegistry(std::move(accounts));
}

AccountRegistry AccountRegistry::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read accounts file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str());
}

std::optional<AccountRegistry::KeyRef> AccountRegistry::FindKey(std::string_view secret_id) const {
  auto it = by_secret_id_.find(std::string(secret_id));
  if (it == by_secret_id_.end()) return std::nullopt;
  const Account& account = accounts_[it->second.first];
  return KeyRef{&account, &account.keys[it->second.second]};
}

const Account* AccountRegistry::FindByUin(std::string_view uin) const {
  for (const Account& a : accounts_) {
    if (a.uin == uin) return &a;
  }
  return nullptr;
}

const Account* AccountRegistry::FindByAppId(int64_t app_id) const {
  for (const Account& a : accounts_) {
    if (a.app_id == app_id) return &a;
  }
  return nullptr;
}

}  // namespace cvm::state
