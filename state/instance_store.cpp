#include "state/instance_store.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "state/columns.h"
#include "state/listing.h"

namespace cvm::state {
namespace {

// The instances table and its children, one column list each.
using I = Instance;
constexpr Column<I> kInstanceColumns[] = {
    Key<&I::rowid>("id"),
    Field<&I::app_id>("app_id", ColumnRole::kFixed),
    Field<&I::region>("region", ColumnRole::kFixed),
    Field<&I::instance_id>("instance_id", ColumnRole::kFixed),
    Field<&I::zone>("zone"),
    Field<&I::project_id>("project_id"),
    Field<&I::host_id>("host_id"),
    Field<&I::instance_type>("instance_type"),
    Field<&I::cpu>("cpu"),
    Field<&I::memory>("memory"),
    Field<&I::name>("name"),
    Field<&I::host_name>("host_name"),
    Field<&I::charge_type>("charge_type"),
    Field<&I::renew_flag>("renew_flag"),
    Field<&I::expired_at>("expired_at"),
    Field<&I::image_id>("image_id"),
    Field<&I::image_platform>("image_platform"),
    Field<&I::image_architecture>("image_architecture"),
    Field<&I::image_size_gb>("image_size"),
    Field<&I::image_cloud_init>("image_cloud_init"),
    Nested<&I::system_disk, &Disk::type>("system_disk_type"),
    Nested<&I::system_disk, &Disk::disk_id>("system_disk_id"),
    Nested<&I::system_disk, &Disk::size_gb>("system_disk_size"),
    Field<&I::os_name>("os_name"),
    Field<&I::windows>("windows"),
    Field<&I::restrict_state>("restrict_state"),
    Field<&I::created_at>("created_at"),
    Nested<&I::lifecycle, &Lifecycle::rest>("rest_state"),
    {"phases", [](Statement& s, int i, const I& in) { s.Bind(i, in.lifecycle.EncodePhases()); },
     [](const Statement& s, int c, I& in) {
       if (!Lifecycle::DecodePhases(s.TextView(c), &in.lifecycle.phases)) {
         throw DatabaseError("bad phases");
       }
     }},
    Nested<&I::lifecycle, &Lifecycle::timer_at>("timer_at"),
    Nested<&I::lifecycle, &Lifecycle::gone_at>("gone_at"),
    Field<&I::vpc_id>("vpc_id"),
    Field<&I::subnet_id>("subnet_id"),
    Field<&I::as_vpc_gateway>("as_vpc_gateway"),
    Field<&I::private_ip>("private_ip"),
    Field<&I::public_ip>("public_ip"),
    Field<&I::internet_charge_type>("internet_charge_type"),
    Field<&I::bandwidth_out>("bandwidth_out"),
    Field<&I::security_service>("security_service"),
    Field<&I::monitor_service>("monitor_service"),
    Field<&I::keep_image_login>("keep_image_login"),
    Field<&I::user_data>("user_data"),
    Field<&I::placement_group_id>("placement_group_id"),
};

const Table<I, kInstanceColumns>& Instances() {
  static const Table<I, kInstanceColumns> table("instances", "i");
  return table;
}

// A child table of instances: rows (instance_rowid, position, the child's
// columns...), one per entry of the instance's list `list`, in order. A
// table that filters search (tags, security groups) also carries its
// owner's app_id and region, so that its indexes list one account's rows.
enum class Owner { kRowId, kAccount };
const std::initializer_list<const char*> kRowIdLead = {"instance_rowid", "position"};
const std::initializer_list<const char*> kAccountLead = {"instance_rowid", "position", "app_id",
                                                         "region"};
template <typename R, const auto& kColumns>
class ChildTable {
 public:
  ChildTable(const char* name, std::vector<R> Instance::*list, Owner owner = Owner::kRowId)
      : table_(name, ""),
        lead_(owner == Owner::kAccount ? kAccountLead : kRowIdLead),
        insert_(table_.Insert(lead_)),
        select_("SELECT instance_rowid, " + table_.select_list() + " FROM " + table_.name() +
                " WHERE instance_rowid IN (SELECT value FROM json_each(?)) "
                "ORDER BY instance_rowid, position"),
        delete_("DELETE FROM " + table_.name() + " WHERE instance_rowid = ?"),
        list_(list) {}

  const Table<R, kColumns>& table() const { return table_; }
  // The columns the store binds before the child's own.
  std::initializer_list<const char*> lead() const { return lead_; }

  void Insert(Database& db, const Instance& in) const {
    const std::vector<R>& rows = in.*list_;
    for (size_t i = 0; i < rows.size(); ++i) {
      Statement s = db.Cached(insert_.sql());
      s.Bind(1, in.rowid).Bind(2, static_cast<int64_t>(i));
      int next = 3;
      if (lead_.size() == 4) {
        s.Bind(3, in.app_id).Bind(4, in.region);
        next = 5;
      }
      insert_.Bind(s, rows[i], next);
      s.Run();
    }
  }
  void Delete(Database& db, int64_t rowid) const { db.Cached(delete_.c_str()).Bind(1, rowid).Run(); }
  // Appends every child row of the instances in `by_rowid` (`rowids` is
  // their JSON array) to its owner's list.
  void Load(Database& db, const std::string& rowids,
            const std::unordered_map<int64_t, Instance*>& by_rowid) const {
    Statement s = db.Cached(select_.c_str());
    s.Bind(1, rowids);
    while (s.Step()) {
      std::vector<R>& rows = by_rowid.at(s.Int(0))->*list_;
      rows.emplace_back();
      table_.Read(s, rows.back(), 1);
    }
  }

 private:
  Table<R, kColumns> table_;
  std::initializer_list<const char*> lead_;
  typename Table<R, kColumns>::Write insert_;
  std::string select_, delete_;
  std::vector<R> Instance::*list_;
};

constexpr Column<Disk> kDiskColumns[] = {
    Field<&Disk::type>("disk_type"), Field<&Disk::disk_id>("disk_id"),
    Field<&Disk::size_gb>("size_gb"), Field<&Disk::delete_with_instance>("delete_with_instance")};
constexpr Column<Tag> kTagColumns[] = {Field<&Tag::key>("key"), Field<&Tag::value>("value")};
constexpr Column<std::string> kSecurityGroupColumns[] = {Value<std::string>("sg_id")};
constexpr Column<std::string> kKeyIdColumns[] = {Value<std::string>("key_id")};

const auto& DataDisks() {
  static const ChildTable<Disk, kDiskColumns> table("instance_data_disks", &Instance::data_disks);
  return table;
}
const auto& Tags() {
  static const ChildTable<Tag, kTagColumns> table("instance_tags", &Instance::tags,
                                                  Owner::kAccount);
  return table;
}
const auto& SecurityGroups() {
  static const ChildTable<std::string, kSecurityGroupColumns> table(
      "instance_security_groups", &Instance::security_group_ids, Owner::kAccount);
  return table;
}
const auto& KeyIds() {
  static const ChildTable<std::string, kKeyIdColumns> table("instance_key_pairs",
                                                            &Instance::key_ids);
  return table;
}

const std::string& SelectInstances() {
  static const std::string sql = "SELECT " + Instances().select_list();
  return sql;
}

constexpr char kCountAdd[] =
    "INSERT INTO instance_counts (app_id, region, count) VALUES (?, ?, ?) "
    "ON CONFLICT (app_id, region) DO UPDATE SET count = count + excluded.count";
constexpr char kCountRead[] = "SELECT count FROM instance_counts WHERE app_id = ? AND region = ?";

constexpr char kHasGone[] = "SELECT 1 FROM instances WHERE gone_at <= ? LIMIT 1";
constexpr char kPurge[] = "DELETE FROM instances WHERE gone_at <= ? RETURNING app_id, region";
// The tags and security groups the purge takes with it (their counters):
// the gone instances from instances_gone, then each one's child rows. CROSS
// JOIN keeps that order; else SQLite would rather scan the whole child
// table, which is in the order asked for.
constexpr char kGoneTags[] =
    "SELECT t.instance_rowid, t.app_id, t.region, t.key, t.value FROM instances i "
    "CROSS JOIN instance_tags t ON t.instance_rowid = i.id WHERE i.gone_at <= ? "
    "ORDER BY t.instance_rowid, t.position";
constexpr char kGoneGroups[] =
    "SELECT g.instance_rowid, g.app_id, g.region, g.sg_id FROM instances i "
    "CROSS JOIN instance_security_groups g ON g.instance_rowid = i.id WHERE i.gone_at <= ? "
    "ORDER BY g.instance_rowid, g.position";

// instance_value_counts (D-255): how many instances of an account hold each
// tag key, tag value, tag key with its value and security group.
constexpr char kValueCountAdd[] =
    "INSERT INTO instance_value_counts (app_id, region, filter, key, value, count) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, region, filter, key, value) "
    "DO UPDATE SET count = count + excluded.count";
// A counter that falls is there (the counters are exact); one at 0 goes.
// All three take the counter's key as ?1 to ?5.
constexpr char kValueCountTake[] =
    "UPDATE instance_value_counts SET count = count - ?6 "
    "WHERE app_id = ?1 AND region = ?2 AND filter = ?3 AND key = ?4 AND value = ?5";
constexpr char kValueCountDrop[] =
    "DELETE FROM instance_value_counts "
    "WHERE app_id = ?1 AND region = ?2 AND filter = ?3 AND key = ?4 AND value = ?5 AND count = 0";

// One counter of instance_value_counts: the filter, tag:<key>'s key ('' for
// the others) and the value.
using CountedValue = std::tuple<std::string_view, std::string, std::string>;

// The counters an instance with these tags and groups adds 1 to, each once.
std::set<CountedValue> CountedValues(const std::vector<Tag>& tags,
                                     const std::vector<std::string>& groups) {
  std::set<CountedValue> out;
  for (const Tag& t : tags) {
    out.emplace("tag-key", "", t.key);
    out.emplace("tag-value", "", t.value);
    out.emplace("tag:", t.key, t.value);
  }
  for (const std::string& g : groups) out.emplace("security-group-id", "", g);
  return out;
}

// Changes of the counters, per account and region.
using Account = std::pair<int64_t, std::string>;
using CountChanges = std::map<Account, std::map<CountedValue, int64_t>>;

void AddChanges(CountChanges& changes, const Account& owner, const std::set<CountedValue>& values,
           int64_t delta) {
  for (const CountedValue& v : values) changes[owner][v] += delta;
}

// Applies the changes; a counter that falls to 0 is deleted.
void ApplyCounts(Database& db, const CountChanges& changes) {
  for (const auto& [owner, counts] : changes) {
    for (const auto& [value, delta] : counts) {
      if (delta == 0) continue;
      auto counter = [&](const char* sql) {
        const auto& [filter, key, text] = value;
        Statement s = db.Cached(sql);
        s.Bind(1, owner.first).Bind(2, owner.second).Bind(3, filter).Bind(4, key).Bind(5, text);
        return s;
      };
      if (delta > 0) {
        counter(kValueCountAdd).Bind(6, delta).Run();
      } else {
        counter(kValueCountTake).Bind(6, -delta).Run();
        counter(kValueCountDrop).Run();
      }
    }
  }
}

constexpr char kIdExists[] = "SELECT 1 FROM instances WHERE instance_id = ?";
constexpr char kNextRowId[] = "SELECT IFNULL(MAX(id), 0) + 1 FROM instances";
constexpr char kPrivateIpUsed[] =
    "SELECT 1 FROM instances WHERE app_id = ? AND region = ? AND vpc_id = ? AND private_ip = ?";
constexpr char kPublicIpUsed[] = "SELECT 1 FROM instances WHERE public_ip = ?";

constexpr char kInstancesWithKey[] =
    "SELECT i.instance_id FROM instance_key_pairs k JOIN instances i ON i.id = k.instance_rowid "
    "WHERE k.key_id = ? AND i.app_id = ? AND i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?) "
    "ORDER BY i.id";

// The unfiltered listing; every value is bound.
constexpr char kFrom[] =
    " FROM instances i WHERE i.app_id = ? AND i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?)";
// The same, for lookups by instance ID: the unary + keeps the owner index
// out of the plan, so the unique index on the ID finds the few rows instead
// of a walk over the whole account.
constexpr char kFromById[] =
    " FROM instances i WHERE +i.app_id = ? AND +i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?)";
constexpr char kIn[] = " IN (SELECT value FROM json_each(?))";
constexpr char kNotIn[] = " NOT IN (SELECT value FROM json_each(?))";

// The filters of DescribeInstances and the indexes that answer them
// (migrations 2, 4 and 8); on a tie in the choice of the driver, the
// earlier wins, so the likelier to be selective come first.
using P = FilterPath;
// clang-format off: one filter a row or two
constexpr FilterSpec kFilters[] = {
    {.name = "instance-id",
     .path = P::kPoint,
     .index = "sqlite_autoindex_instances_1",
     .column = "instance_id"},
    {.name = "public-ip-address",
     .path = P::kPoint,
     .index = "instances_public_ip",
     .column = "public_ip"},
    {.name = "private-ip-address",
     .path = P::kPoint,
     .index = "instances_by_private_ip",
     .column = "private_ip"},
    {.name = "host-id", .path = P::kRange, .index = "instances_by_host", .column = "host_id"},
    {.name = "vpc-id", .path = P::kRange, .index = "instances_by_vpc", .column = "vpc_id"},
    {.name = "tag:",
     .path = P::kChild,
     .index = "instance_tags_by_key_value",
     .column = "value",
     .child_table = "instance_tags",
     .child_owner = "instance_rowid",
     .key_column = "key",
     .once_per_owner = true,
     .counted = true},
    {.name = "instance-name",
     .path = P::kRange,
     .index = "instances_by_name",
     .column = "name",
     .every_row = true},
    {.name = "security-group-id",
     .path = P::kChild,
     .index = "instance_security_groups_by_sg",
     .column = "sg_id",
     .child_table = "instance_security_groups",
     .child_owner = "instance_rowid",
     .counted = true},
    {.name = "tag-value",
     .path = P::kChild,
     .index = "instance_tags_by_value",
     .column = "value",
     .child_table = "instance_tags",
     .child_owner = "instance_rowid",
     .counted = true},
    {.name = "tag-key",
     .path = P::kChild,
     .index = "instance_tags_by_key",
     .column = "key",
     .child_table = "instance_tags",
     .child_owner = "instance_rowid",
     .once_per_owner = true,
     .counted = true},
    {.name = "project-id",
     .path = P::kRange,
     .index = "instances_by_project",
     .column = "project_id",
     .integer = true,
     .every_row = true},
    {.name = "instance-charge-type",
     .path = P::kRange,
     .index = "instances_by_charge_type",
     .column = "charge_type",
     .every_row = true},
    {.name = "zone",
     .path = P::kRange,
     .index = "instances_by_zone",
     .column = "zone",
     .every_row = true},
};
// clang-format on
constexpr ListedTable kListed{.name = "instances",
                              .visible = "(r.gone_at IS NULL OR r.gone_at > ?)",
                              .owner_index = "instances_by_owner",
                              .value_counts = "instance_value_counts"};

}  // namespace

std::vector<TableColumns> InstanceStore::Columns() {
  return {ColumnsOf(Instances()), ColumnsOf(DataDisks().table(), DataDisks().lead()),
          ColumnsOf(Tags().table(), Tags().lead()),
          ColumnsOf(SecurityGroups().table(), SecurityGroups().lead()),
          ColumnsOf(KeyIds().table(), KeyIds().lead())};
}

std::string JsonStringArray(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (unsigned char c : values[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

bool InstanceStore::HasGone(TimeMs now) {
  Statement s = db_.Cached(kHasGone);
  s.Bind(1, now);
  return s.Step();
}

int64_t InstanceStore::Purge(TimeMs now) {
  // The counters of what the gone instances hold, before the rows go.
  CountChanges changes;
  {
    struct Held {
      Account owner;
      std::vector<Tag> tags;
      std::vector<std::string> groups;
    };
    std::map<int64_t, Held> held;
    Statement tags = db_.Cached(kGoneTags);
    tags.Bind(1, now);
    while (tags.Step()) {
      Held& h = held[tags.Int(0)];
      h.owner = {tags.Int(1), tags.Text(2)};
      h.tags.push_back({tags.Text(3), tags.Text(4)});
    }
    Statement groups = db_.Cached(kGoneGroups);
    groups.Bind(1, now);
    while (groups.Step()) {
      Held& h = held[groups.Int(0)];
      h.owner = {groups.Int(1), groups.Text(2)};
      h.groups.push_back(groups.Text(3));
    }
    for (const auto& [rowid, h] : held) AddChanges(changes, h.owner, CountedValues(h.tags, h.groups), -1);
  }
  std::map<std::pair<int64_t, std::string>, int64_t> removed;
  int64_t total = 0;
  {
    Statement s = db_.Cached(kPurge);
    s.Bind(1, now);
    while (s.Step()) {
      ++removed[{s.Int(0), s.Text(1)}];
      ++total;
    }
  }
  for (const auto& [owner, n] : removed) {
    db_.Cached(kCountAdd).Bind(1, owner.first).Bind(2, owner.second).Bind(3, -n).Run();
  }
  ApplyCounts(db_, changes);
  return total;
}

int64_t InstanceStore::Count(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kCountRead);
  s.Bind(1, app_id).Bind(2, region);
  return s.Step() ? s.Int(0) : 0;
}

bool InstanceStore::IdExists(const std::string& instance_id) {
  Statement s = db_.Cached(kIdExists);
  s.Bind(1, instance_id);
  return s.Step();
}

bool InstanceStore::PrivateIpUsed(int64_t app_id, const std::string& region,
                                  const std::string& vpc_id, const std::string& ip) {
  Statement s = db_.Cached(kPrivateIpUsed);
  s.Bind(1, app_id).Bind(2, region).Bind(3, vpc_id).Bind(4, ip);
  return s.Step();
}

int64_t InstanceStore::NextRowId() {
  Statement s = db_.Cached(kNextRowId);
  s.Step();
  return s.Int(0);
}

bool InstanceStore::PublicIpUsed(const std::string& ip) {
  Statement s = db_.Cached(kPublicIpUsed);
  s.Bind(1, ip);
  return s.Step();
}

void InstanceStore::Insert(Instance& instance) {
  static const auto insert = Instances().Insert();
  {
    Statement s = db_.Cached(insert.sql());
    insert.Bind(s, instance);
    s.Run();
  }
  instance.rowid = db_.LastInsertRowId();
  InsertChildren(instance);
  db_.Cached(kCountAdd).Bind(1, instance.app_id).Bind(2, instance.region).Bind(3, 1).Run();
  CountChanges changes;
  AddChanges(changes, {instance.app_id, instance.region},
        CountedValues(instance.tags, instance.security_group_ids), 1);
  ApplyCounts(db_, changes);
}

void InstanceStore::InsertChildren(const Instance& in) {
  DataDisks().Insert(db_, in);
  Tags().Insert(db_, in);
  SecurityGroups().Insert(db_, in);
  KeyIds().Insert(db_, in);
}

void InstanceStore::Update(const Instance& instance) {
  static const auto update = Instances().UpdateAll();
  {
    Statement s = db_.Cached(update.sql());
    update.Bind(s, instance);
    s.Run();
  }
  DataDisks().Delete(db_, instance.rowid);
  DataDisks().Insert(db_, instance);
  KeyIds().Delete(db_, instance.rowid);
  KeyIds().Insert(db_, instance);
  // Tags and security groups are rewritten only when they changed, and
  // their counters with them.
  Instance before;
  before.rowid = instance.rowid;
  std::string rowids = "[" + std::to_string(instance.rowid) + "]";
  std::unordered_map<int64_t, Instance*> by_rowid{{instance.rowid, &before}};
  Tags().Load(db_, rowids, by_rowid);
  SecurityGroups().Load(db_, rowids, by_rowid);
  if (before.tags == instance.tags && before.security_group_ids == instance.security_group_ids) {
    return;
  }
  Tags().Delete(db_, instance.rowid);
  Tags().Insert(db_, instance);
  SecurityGroups().Delete(db_, instance.rowid);
  SecurityGroups().Insert(db_, instance);
  CountChanges changes;
  Account owner{instance.app_id, instance.region};
  AddChanges(changes, owner, CountedValues(before.tags, before.security_group_ids), -1);
  AddChanges(changes, owner, CountedValues(instance.tags, instance.security_group_ids), 1);
  ApplyCounts(db_, changes);
}

void InstanceStore::UpdateLifecycle(const Instance& instance) {
  static const auto update = Instances().Update({"rest_state", "phases", "timer_at", "gone_at"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, instance);
  s.Run();
}

void InstanceStore::LoadChildren(std::vector<Instance>& instances) {
  if (instances.empty()) return;
  std::unordered_map<int64_t, Instance*> by_rowid;
  // json_each yields numbers for the rowids; compare as integers.
  std::string list = "[";
  for (Instance& in : instances) {
    by_rowid[in.rowid] = &in;
    if (list.size() > 1) list += ',';
    list += std::to_string(in.rowid);
    in.data_disks.clear();
    in.tags.clear();
    in.security_group_ids.clear();
    in.key_ids.clear();
  }
  list += "]";
  DataDisks().Load(db_, list, by_rowid);
  Tags().Load(db_, list, by_rowid);
  SecurityGroups().Load(db_, list, by_rowid);
  KeyIds().Load(db_, list, by_rowid);
}

std::optional<Instance> InstanceStore::Find(int64_t app_id, const std::string& region,
                                            const std::string& instance_id, TimeMs now) {
  std::vector<Instance> found = FindMany(app_id, region, {instance_id}, now);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Instance> InstanceStore::FindMany(int64_t app_id, const std::string& region,
                                              const std::vector<std::string>& ids, TimeMs now) {
  static const std::string sql = SelectInstances() + kFromById + " AND i.instance_id" + kIn;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, now).Bind(4, JsonStringArray(ids));
  std::unordered_map<std::string, Instance> by_id;
  while (s.Step()) {
    Instance in = Instances().Read(s);
    std::string id = in.instance_id;
    by_id.emplace(std::move(id), std::move(in));
  }
  std::vector<Instance> out;
  for (const std::string& id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) {
      out.push_back(std::move(it->second));
      by_id.erase(it);
    }
  }
  LoadChildren(out);
  return out;
}

std::span<const FilterSpec> InstanceStore::Filters() { return kFilters; }

std::vector<const char*> InstanceStore::PurgeReads() { return {kHasGone, kGoneTags, kGoneGroups}; }

namespace {

// The query's InstanceIds and filters, as the listing takes them.
std::vector<FilterValues> FiltersOf(const InstanceQuery& query) {
  std::vector<FilterValues> filters;
  if (query.instance_ids) filters.push_back({&kFilters[0], "", *query.instance_ids});
  for (const InstanceCondition& c : query.conditions) {
    const FilterSpec* spec = FindFilter(std::begin(kFilters), std::end(kFilters), c.name);
    if (!spec) throw DatabaseError("unknown instance filter " + c.name);
    std::string key = spec->key_column ? c.name.substr(spec->name.size()) : "";
    filters.push_back({spec, std::move(key), c.values});
  }
  return filters;
}

}  // namespace

InstancePage InstanceStore::List(int64_t app_id, const std::string& region,
                                 const InstanceQuery& query, TimeMs now) {
  InstancePage page;
  // Inside a unit of work (which purges first) every row is visible; the
  // check on gone_at is needed only for a store used without one.
  bool all_visible = !HasGone(now);
  std::vector<int64_t> hidden;
  if (query.hidden_created) {
    hidden = RowsCreatedIn(db_, kListed, app_id, region, *query.hidden_created);
  }
  if (!query.instance_ids && query.conditions.empty() && !hidden.empty()) {
    // The unfiltered listing less the new instances (D-219).
    if (all_visible) {
      IdPage ids = ListAllIds(db_, kListed, app_id, region, Count(app_id, region), query.offset,
                              query.limit, hidden);
      page.total = ids.total;
      page.items = ReadRows(ids.ids);
    } else {
      std::string hidden_ids = JsonIntArray(hidden);
      {
        static const std::string sql =
            std::string("SELECT COUNT(*)") + kFrom + " AND i.id" + kNotIn;
        Statement s = db_.Cached(sql.c_str());
        s.Bind(1, app_id).Bind(2, region).Bind(3, now).Bind(4, hidden_ids);
        s.Step();
        page.total = s.Int(0);
      }
      static const std::string sql =
          SelectInstances() + kFrom + " AND i.id" + kNotIn + " ORDER BY i.id LIMIT ? OFFSET ?";
      Statement s = db_.Cached(sql.c_str());
      s.Bind(1, app_id).Bind(2, region).Bind(3, now).Bind(4, hidden_ids);
      s.Bind(5, query.limit).Bind(6, query.offset);
      while (s.Step()) page.items.push_back(Instances().Read(s));
    }
  } else if (!query.instance_ids && query.conditions.empty()) {
    if (all_visible) {
      // The counter gives TotalCount; the Offset is skipped on the owner
      // index alone (it covers the row ID), and only the page's rows are read.
      page.total = Count(app_id, region);
      if (query.offset >= page.total) return page;
      static const std::string sql =
          SelectInstances() +
          " FROM instances i WHERE i.id IN (SELECT id FROM instances WHERE app_id = ? AND "
          "region = ? ORDER BY id LIMIT ? OFFSET ?) ORDER BY i.id";
      Statement s = db_.Cached(sql.c_str());
      s.Bind(1, app_id).Bind(2, region).Bind(3, query.limit).Bind(4, query.offset);
      while (s.Step()) page.items.push_back(Instances().Read(s));
    } else {
      {
        static const std::string sql = std::string("SELECT COUNT(*)") + kFrom;
        Statement s = db_.Cached(sql.c_str());
        s.Bind(1, app_id).Bind(2, region).Bind(3, now);
        s.Step();
        page.total = s.Int(0);
      }
      static const std::string sql = SelectInstances() + kFrom + " ORDER BY i.id LIMIT ? OFFSET ?";
      Statement s = db_.Cached(sql.c_str());
      s.Bind(1, app_id).Bind(2, region).Bind(3, now).Bind(4, query.limit).Bind(5, query.offset);
      while (s.Step()) page.items.push_back(Instances().Read(s));
    }
  } else {
    IdPage ids = all_visible ? ListIds(db_, kListed, app_id, region, FiltersOf(query), std::nullopt,
                                       Count(app_id, region), query.offset, query.limit, hidden)
                             : ListIds(db_, kListed, app_id, region, FiltersOf(query), now,
                                       std::nullopt, query.offset, query.limit, hidden);
    page.total = ids.total;
    page.items = ReadRows(ids.ids);
  }
  LoadChildren(page.items);
  return page;
}

std::vector<Instance> InstanceStore::ReadRows(const std::vector<int64_t>& rowids) {
  std::vector<Instance> out;
  if (rowids.empty()) return out;
  static const std::string sql =
      SelectInstances() +
      " FROM instances i WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id";
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, JsonIntArray(rowids));
  while (s.Step()) out.push_back(Instances().Read(s));
  return out;
}

std::vector<std::string> InstanceStore::InstancesWithKey(int64_t app_id, const std::string& region,
                                                         const std::string& key_id, TimeMs now) {
  Statement s = db_.Cached(kInstancesWithKey);
  s.Bind(1, key_id).Bind(2, app_id).Bind(3, region).Bind(4, now);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

}  // namespace cvm::state
