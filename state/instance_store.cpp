#include "state/instance_store.h"

#include "state/columns.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace cvm::state {
namespace {

constexpr char kColumns[] =
    "i.id, i.app_id, i.region, i.instance_id, i.zone, i.project_id, i.host_id, i.instance_type, "
    "i.cpu, i.memory, i.name, i.host_name, i.charge_type, i.renew_flag, i.expired_at, i.image_id, "
    "i.image_platform, i.image_architecture, i.image_size, i.image_cloud_init, "
    "i.system_disk_type, i.system_disk_id, i.system_disk_size, i.os_name, i.windows, i.restrict_state, i.created_at, i.rest_state, i.phases, i.timer_at, "
    "i.gone_at, i.vpc_id, i.subnet_id, i.as_vpc_gateway, i.private_ip, i.public_ip, "
    "i.internet_charge_type, i.bandwidth_out, i.security_service, i.monitor_service, "
    "i.keep_image_login, i.user_data, i.placement_group_id";

constexpr char kInsert[] =
    "INSERT INTO instances (id, app_id, region, instance_id, zone, project_id, host_id, "
    "instance_type, cpu, memory, name, host_name, charge_type, renew_flag, expired_at, image_id, "
    "image_platform, image_architecture, image_size, image_cloud_init, "
    "system_disk_type, system_disk_id, system_disk_size, os_name, windows, "
    "restrict_state, created_at, rest_state, phases, timer_at, gone_at, vpc_id, subnet_id, "
    "as_vpc_gateway, private_ip, public_ip, internet_charge_type, bandwidth_out, security_service, "
    "monitor_service, keep_image_login, user_data, placement_group_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?)";

constexpr char kUpdate[] =
    "UPDATE instances SET zone = ?, project_id = ?, host_id = ?, instance_type = ?, cpu = ?, "
    "memory = ?, name = ?, host_name = ?, charge_type = ?, renew_flag = ?, expired_at = ?, "
    "image_id = ?, image_platform = ?, image_architecture = ?, image_size = ?, "
    "image_cloud_init = ?, system_disk_type = ?, system_disk_id = ?, system_disk_size = ?, os_name = ?, "
    "windows = ?, restrict_state = ?, created_at = ?, rest_state = ?, "
    "phases = ?, timer_at = ?, gone_at = ?, vpc_id = ?, subnet_id = ?, as_vpc_gateway = ?, "
    "private_ip = ?, public_ip = ?, internet_charge_type = ?, bandwidth_out = ?, "
    "security_service = ?, monitor_service = ?, keep_image_login = ?, user_data = ?, "
    "placement_group_id = ? WHERE id = ?";

constexpr char kUpdateLifecycle[] =
    "UPDATE instances SET rest_state = ?, phases = ?, timer_at = ?, gone_at = ? WHERE id = ?";

constexpr char kCountAdd[] =
    "INSERT INTO instance_counts (app_id, region, count) VALUES (?, ?, ?) "
    "ON CONFLICT (app_id, region) DO UPDATE SET count = count + excluded.count";
constexpr char kCountRead[] = "SELECT count FROM instance_counts WHERE app_id = ? AND region = ?";

constexpr char kHasGone[] = "SELECT 1 FROM instances WHERE gone_at <= ? LIMIT 1";
constexpr char kPurge[] = "DELETE FROM instances WHERE gone_at <= ? RETURNING app_id, region";

constexpr char kIdExists[] = "SELECT 1 FROM instances WHERE instance_id = ?";
constexpr char kNextRowId[] = "SELECT IFNULL(MAX(id), 0) + 1 FROM instances";
constexpr char kPrivateIpUsed[] =
    "SELECT 1 FROM instances WHERE app_id = ? AND region = ? AND vpc_id = ? AND private_ip = ?";
constexpr char kPublicIpUsed[] = "SELECT 1 FROM instances WHERE public_ip = ?";

constexpr char kDeleteDisks[] = "DELETE FROM instance_data_disks WHERE instance_rowid = ?";
constexpr char kDeleteTags[] = "DELETE FROM instance_tags WHERE instance_rowid = ?";
constexpr char kDeleteGroups[] = "DELETE FROM instance_security_groups WHERE instance_rowid = ?";
constexpr char kDeleteKeys[] = "DELETE FROM instance_key_pairs WHERE instance_rowid = ?";
constexpr char kInsertDisk[] =
    "INSERT INTO instance_data_disks (instance_rowid, position, disk_type, disk_id, size_gb, "
    "delete_with_instance) VALUES (?, ?, ?, ?, ?, ?)";
constexpr char kInsertTag[] =
    "INSERT INTO instance_tags (instance_rowid, position, key, value) VALUES (?, ?, ?, ?)";
constexpr char kInsertGroup[] =
    "INSERT INTO instance_security_groups (instance_rowid, position, sg_id) VALUES (?, ?, ?)";
constexpr char kInsertKey[] =
    "INSERT INTO instance_key_pairs (instance_rowid, position, key_id) VALUES (?, ?, ?)";

constexpr char kDisksOf[] =
    "SELECT instance_rowid, disk_type, disk_id, size_gb, delete_with_instance FROM instance_data_disks "
    "WHERE instance_rowid IN (SELECT value FROM json_each(?)) ORDER BY instance_rowid, position";
constexpr char kTagsOf[] =
    "SELECT instance_rowid, key, value FROM instance_tags "
    "WHERE instance_rowid IN (SELECT value FROM json_each(?)) ORDER BY instance_rowid, position";
constexpr char kGroupsOf[] =
    "SELECT instance_rowid, sg_id FROM instance_security_groups "
    "WHERE instance_rowid IN (SELECT value FROM json_each(?)) ORDER BY instance_rowid, position";
constexpr char kKeysOf[] =
    "SELECT instance_rowid, key_id FROM instance_key_pairs "
    "WHERE instance_rowid IN (SELECT value FROM json_each(?)) ORDER BY instance_rowid, position";

constexpr char kInstancesWithKey[] =
    "SELECT i.instance_id FROM instance_key_pairs k JOIN instances i ON i.id = k.instance_rowid "
    "WHERE k.key_id = ? AND i.app_id = ? AND i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?) "
    "ORDER BY i.id";

// The fixed fragments a listing is assembled from; every value is bound.
constexpr char kFrom[] =
    " FROM instances i WHERE i.app_id = ? AND i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?)";
// The same, for lookups by instance ID or public IP: the unary + keeps the
// owner index out of the plan, so the unique index on the ID (or the public
// IP index) finds the few rows instead of a walk over the whole account.
constexpr char kFromById[] =
    " FROM instances i WHERE +i.app_id = ? AND +i.region = ? AND (i.gone_at IS NULL OR i.gone_at > ?)";
constexpr char kIn[] = " IN (SELECT value FROM json_each(?))";
// Tag and security group filters start from their own indexes.
constexpr char kTagMatch[] = " AND i.id IN (SELECT t.instance_rowid FROM instance_tags t WHERE ";
constexpr char kGroupMatch[] =
    " AND i.id IN (SELECT g.instance_rowid FROM instance_security_groups g WHERE "
    "g.sg_id IN (SELECT value FROM json_each(?)))";

// Columns a simple filter compares, by filter name.
const std::map<std::string, const char*, std::less<>> kFilterColumns = {
    {"zone", " AND i.zone"},
    {"project-id", " AND CAST(i.project_id AS TEXT)"},
    {"host-id", " AND i.host_id"},
    {"vpc-id", " AND i.vpc_id"},
    {"instance-id", " AND i.instance_id"},
    {"instance-name", " AND i.name"},
    {"instance-charge-type", " AND i.charge_type"},
    {"private-ip-address", " AND i.private_ip"},
    {"public-ip-address", " AND i.public_ip"},
};

void BindInstanceColumns(Statement& s, const Instance& in, int first) {
  int i = first;
  s.Bind(i++, in.zone);
  s.Bind(i++, in.project_id);
  s.Bind(i++, in.host_id);
  s.Bind(i++, in.instance_type);
  s.Bind(i++, in.cpu);
  s.Bind(i++, in.memory);
  s.Bind(i++, in.name);
  s.Bind(i++, in.host_name);
  BindField(s, i++, in.charge_type);
  BindField(s, i++, in.renew_flag);
  s.Bind(i++, in.expired_at);
  s.Bind(i++, in.image_id);
  s.Bind(i++, in.image_platform);
  s.Bind(i++, in.image_architecture);
  s.Bind(i++, in.image_size_gb);
  s.Bind(i++, static_cast<int64_t>(in.image_cloud_init));
  BindField(s, i++, in.system_disk.type);
  s.Bind(i++, in.system_disk.disk_id);
  s.Bind(i++, in.system_disk.size_gb);
  s.Bind(i++, in.os_name);
  s.Bind(i++, static_cast<int64_t>(in.windows));
  BindField(s, i++, in.restrict_state);
  s.Bind(i++, in.created_at);
  s.Bind(i++, StateName(in.lifecycle.rest));
  s.Bind(i++, in.lifecycle.EncodePhases());
  s.Bind(i++, in.lifecycle.timer_at);
  s.Bind(i++, in.lifecycle.gone_at);
  s.Bind(i++, in.vpc_id);
  s.Bind(i++, in.subnet_id);
  s.Bind(i++, static_cast<int64_t>(in.as_vpc_gateway));
  s.Bind(i++, in.private_ip);
  s.Bind(i++, in.public_ip);
  BindField(s, i++, in.internet_charge_type);
  s.Bind(i++, in.bandwidth_out);
  s.Bind(i++, static_cast<int64_t>(in.security_service));
  s.Bind(i++, static_cast<int64_t>(in.monitor_service));
  s.Bind(i++, static_cast<int64_t>(in.keep_image_login));
  s.Bind(i++, in.user_data);
  s.Bind(i++, in.placement_group_id);
}

Instance ReadInstance(const Statement& s) {
  Instance in;
  int c = 0;
  in.rowid = s.Int(c++);
  in.app_id = s.Int(c++);
  in.region = s.Text(c++);
  in.instance_id = s.Text(c++);
  in.zone = s.Text(c++);
  in.project_id = s.Int(c++);
  in.host_id = s.OptionalText(c++);
  in.instance_type = s.Text(c++);
  in.cpu = s.Int(c++);
  in.memory = s.Int(c++);
  in.name = s.Text(c++);
  in.host_name = s.OptionalText(c++);
  in.charge_type = ReadName<ChargeType>(s, c++);
  in.renew_flag = ReadOptionalName<RenewFlag>(s, c++);
  in.expired_at = s.OptionalInt(c++);
  in.image_id = s.Text(c++);
  in.image_platform = s.Text(c++);
  in.image_architecture = s.Text(c++);
  in.image_size_gb = s.Int(c++);
  in.image_cloud_init = s.Int(c++) != 0;
  in.system_disk.type = ReadName<DiskType>(s, c++);
  in.system_disk.disk_id = s.OptionalText(c++);
  in.system_disk.size_gb = s.Int(c++);
  in.os_name = s.Text(c++);
  in.windows = s.Int(c++) != 0;
  in.restrict_state = ReadName<RestrictState>(s, c++);
  in.created_at = s.Int(c++);
  if (!ParseState(s.Text(c++), &in.lifecycle.rest)) throw DatabaseError("bad rest_state");
  if (!Lifecycle::DecodePhases(s.Text(c++), &in.lifecycle.phases)) throw DatabaseError("bad phases");
  in.lifecycle.timer_at = s.OptionalInt(c++);
  in.lifecycle.gone_at = s.OptionalInt(c++);
  in.vpc_id = s.OptionalText(c++);
  in.subnet_id = s.OptionalText(c++);
  in.as_vpc_gateway = s.Int(c++) != 0;
  in.private_ip = s.Text(c++);
  in.public_ip = s.OptionalText(c++);
  in.internet_charge_type = ReadOptionalName<InternetChargeType>(s, c++);
  in.bandwidth_out = s.Int(c++);
  in.security_service = s.Int(c++) != 0;
  in.monitor_service = s.Int(c++) != 0;
  in.keep_image_login = s.Int(c++) != 0;
  in.user_data = s.OptionalText(c++);
  in.placement_group_id = s.OptionalText(c++);
  return in;
}

}  // namespace

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
  {
    Statement s = db_.Cached(kInsert);
    if (instance.rowid > 0) {
      s.Bind(1, instance.rowid);
    } else {
      s.BindNull(1);
    }
    s.Bind(2, instance.app_id).Bind(3, instance.region).Bind(4, instance.instance_id);
    BindInstanceColumns(s, instance, 5);
    s.Run();
  }
  instance.rowid = db_.LastInsertRowId();
  InsertChildren(instance);
  db_.Cached(kCountAdd).Bind(1, instance.app_id).Bind(2, instance.region).Bind(3, 1).Run();
}

void InstanceStore::InsertChildren(const Instance& in) {
  auto disk = [&](int position, const Disk& d) {
    db_.Cached(kInsertDisk)
        .Bind(1, in.rowid)
        .Bind(2, position)
        .Bind(3, NameOf(d.type))
        .Bind(4, d.disk_id)
        .Bind(5, d.size_gb)
        .Bind(6, static_cast<int64_t>(d.delete_with_instance))
        .Run();
  };
  for (size_t i = 0; i < in.data_disks.size(); ++i) disk(static_cast<int>(i), in.data_disks[i]);
  for (size_t i = 0; i < in.tags.size(); ++i) {
    db_.Cached(kInsertTag)
        .Bind(1, in.rowid)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, in.tags[i].key)
        .Bind(4, in.tags[i].value)
        .Run();
  }
  for (size_t i = 0; i < in.security_group_ids.size(); ++i) {
    db_.Cached(kInsertGroup)
        .Bind(1, in.rowid)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, in.security_group_ids[i])
        .Run();
  }
  for (size_t i = 0; i < in.key_ids.size(); ++i) {
    db_.Cached(kInsertKey).Bind(1, in.rowid).Bind(2, static_cast<int64_t>(i)).Bind(3, in.key_ids[i]).Run();
  }
}

void InstanceStore::Update(const Instance& instance) {
  {
    Statement s = db_.Cached(kUpdate);
    BindInstanceColumns(s, instance, 1);
    s.Bind(40, instance.rowid);
    s.Run();
  }
  for (const char* sql : {kDeleteDisks, kDeleteTags, kDeleteGroups, kDeleteKeys}) {
    db_.Cached(sql).Bind(1, instance.rowid).Run();
  }
  InsertChildren(instance);
}

void InstanceStore::UpdateLifecycle(const Instance& instance) {
  db_.Cached(kUpdateLifecycle)
      .Bind(1, StateName(instance.lifecycle.rest))
      .Bind(2, instance.lifecycle.EncodePhases())
      .Bind(3, instance.lifecycle.timer_at)
      .Bind(4, instance.lifecycle.gone_at)
      .Bind(5, instance.rowid)
      .Run();
}

void InstanceStore::LoadChildren(std::vector<Instance>& instances) {
  if (instances.empty()) return;
  std::unordered_map<int64_t, Instance*> by_rowid;
  std::vector<std::string> rowids;
  for (Instance& in : instances) {
    by_rowid[in.rowid] = &in;
    rowids.push_back(std::to_string(in.rowid));
    in.data_disks.clear();
    in.tags.clear();
    in.security_group_ids.clear();
    in.key_ids.clear();
  }
  // json_each yields text for the quoted rowids; compare as integers.
  std::string list = "[";
  for (size_t i = 0; i < rowids.size(); ++i) list += (i ? "," : "") + rowids[i];
  list += "]";
  {
    Statement s = db_.Cached(kDisksOf);
    s.Bind(1, list);
    while (s.Step()) {
      by_rowid.at(s.Int(0))->data_disks.push_back(
          Disk{ReadName<DiskType>(s, 1), s.OptionalText(2), s.Int(3), s.Int(4) != 0});
    }
  }
  {
    Statement s = db_.Cached(kTagsOf);
    s.Bind(1, list);
    while (s.Step()) by_rowid.at(s.Int(0))->tags.push_back(Tag{s.Text(1), s.Text(2)});
  }
  {
    Statement s = db_.Cached(kGroupsOf);
    s.Bind(1, list);
    while (s.Step()) by_rowid.at(s.Int(0))->security_group_ids.push_back(s.Text(1));
  }
  {
    Statement s = db_.Cached(kKeysOf);
    s.Bind(1, list);
    while (s.Step()) by_rowid.at(s.Int(0))->key_ids.push_back(s.Text(1));
  }
}

std::optional<Instance> InstanceStore::Find(int64_t app_id, const std::string& region,
                                            const std::string& instance_id, TimeMs now) {
  std::vector<Instance> found = FindMany(app_id, region, {instance_id}, now);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Instance> InstanceStore::FindMany(int64_t app_id, const std::string& region,
                                              const std::vector<std::string>& ids, TimeMs now) {
  static const std::string sql = std::string("SELECT ") + kColumns + kFromById + " AND i.instance_id" + kIn;
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, now).Bind(4, JsonStringArray(ids));
  std::unordered_map<std::string, Instance> by_id;
  while (s.Step()) {
    Instance in = ReadInstance(s);
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

InstancePage InstanceStore::List(int64_t app_id, const std::string& region,
                                 const InstanceQuery& query, TimeMs now) {
  // The WHERE clause: fixed fragments, one bound value each.
  // A filter with an index of its own finds its few rows there; the page is
  // then sorted (ORDER BY +i.id), instead of walking the owner index in
  // order and testing every instance of the account.
  bool by_id = query.instance_ids.has_value();
  bool indexed = by_id;
  for (const InstanceCondition& c : query.conditions) {
    by_id = by_id || c.name == "instance-id" || c.name == "public-ip-address";
    indexed = indexed || by_id || c.name == "instance-name" || c.name == "private-ip-address";
  }
  std::string where = by_id ? kFromById : kFrom;
  std::vector<std::string> binds;
  if (query.instance_ids) {
    where += std::string(" AND i.instance_id") + kIn;
    binds.push_back(JsonStringArray(*query.instance_ids));
  }
  for (const InstanceCondition& c : query.conditions) {
    if (auto it = kFilterColumns.find(c.name); it != kFilterColumns.end()) {
      where += std::string(it->second) + kIn;
      binds.push_back(JsonStringArray(c.values));
    } else if (c.name == "security-group-id") {
      where += kGroupMatch;
      binds.push_back(JsonStringArray(c.values));
    } else if (c.name == "tag-key") {
      where += std::string(kTagMatch) + "t.key" + kIn + ")";
      binds.push_back(JsonStringArray(c.values));
    } else if (c.name == "tag-value") {
      where += std::string(kTagMatch) + "t.value" + kIn + ")";
      binds.push_back(JsonStringArray(c.values));
    } else if (c.name.rfind("tag:", 0) == 0) {
      where += std::string(kTagMatch) + "t.key = ? AND t.value" + kIn + ")";
      binds.push_back(c.name.substr(4));
      binds.push_back(JsonStringArray(c.values));
    } else {
      throw DatabaseError("unknown instance filter " + c.name);
    }
  }
  auto bind_where = [&](Statement& s) {
    s.Bind(1, app_id).Bind(2, region).Bind(3, now);
    for (size_t i = 0; i < binds.size(); ++i) s.Bind(static_cast<int>(i + 4), binds[i]);
  };

  InstancePage page;
  // The counter answers unfiltered listings, unless unpurged gone instances
  // would make it count too many.
  bool unfiltered = !query.instance_ids && query.conditions.empty();
  bool all_visible = unfiltered && !HasGone(now);
  if (all_visible) {
    page.total = Count(app_id, region);
  } else {
    Statement count = db_.Prepare("SELECT COUNT(*)" + where);
    bind_where(count);
    count.Step();
    page.total = count.Int(0);
  }
  if (page.total == 0 || query.offset >= page.total) return page;

  std::string select = std::string("SELECT ") + kColumns + where +
                       (indexed ? " ORDER BY +i.id" : " ORDER BY i.id") + " LIMIT ? OFFSET ?";
  auto read = [&](Statement& s) {
    bind_where(s);
    s.Bind(static_cast<int>(binds.size() + 4), query.limit);
    s.Bind(static_cast<int>(binds.size() + 5), query.offset);
    while (s.Step()) page.items.push_back(ReadInstance(s));
  };
  if (all_visible) {
    // Every row of the owner is visible: the Offset is skipped on the owner
    // index alone (it covers the row ID), and only the page's rows are read.
    static const std::string cached = std::string("SELECT ") + kColumns +
                                      " FROM instances i WHERE i.id IN (SELECT id FROM instances "
                                      "WHERE app_id = ? AND region = ? ORDER BY id LIMIT ? OFFSET ?) "
                                      "ORDER BY i.id";
    Statement s = db_.Cached(cached.c_str());
    s.Bind(1, app_id).Bind(2, region).Bind(3, query.limit).Bind(4, query.offset);
    while (s.Step()) page.items.push_back(ReadInstance(s));
  } else if (unfiltered) {
    static const std::string cached = std::string("SELECT ") + kColumns + kFrom +
                                      " ORDER BY i.id LIMIT ? OFFSET ?";
    Statement s = db_.Cached(cached.c_str());
    read(s);
  } else {
    Statement s = db_.Prepare(select);
    read(s);
  }
  LoadChildren(page.items);
  return page;
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
