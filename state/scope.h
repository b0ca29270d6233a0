// Where an action's business rules run: the caller's account and region,
// the request's instant, and the emulator's shared state.
//
// Every mutating action is two steps over one Scope, beside its store:
//
//   Result<XChange> PlanX(const Scope&, const XRequest&)
//     Every check the action makes, in the order the API reports them:
//     parameter combinations, lookups, states, quotas, the ClientToken.
//     Reads only; never writes, never draws IDs. Returns the Change: a plain
//     value saying what Apply will write, complete enough to price it.
//   ApplyX(const Scope&, const XChange&)
//     Writes the change: draws IDs and inserts, updates or deletes. Makes no
//     check that could refuse the request (only the database can fail).
//
// A price inquiry runs the action's Plan and prices its Change, so the two
// can never check different things. The pipeline runs both steps inside one
// unit of work (state/unit_of_work.h), so what the plan read is what the
// apply writes over.
#pragma once

#include <cstdint>
#include <string>

#include "state/accounts.h"
#include "state/clock.h"

namespace cvm::state {

class Catalog;
class Database;
class Random;
class SettingsView;

struct Scope {
  Database& db;
  Random& random;
  const SettingsView& settings;
  const Catalog& catalog;
  const AccountRegistry& accounts;
  const Account& account;     // the caller
  const std::string& region;  // the request's region
  TimeMs now;                 // the request's instant (its unit of work's)

  int64_t app_id() const { return account.app_id; }
};

}  // namespace cvm::state
