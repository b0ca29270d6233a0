#include "state/migrations.h"

#include <span>
#include <string>
#include <vector>

namespace cvm::state {
namespace {

// Conventions for every resource table: the owning account's AppId and the
// region come first, every index starts with them, and every read filters on
// both, so one account never sees another's resources and regions stay apart.
constexpr const char* kMigrations[] = {
    // 1: emulator metadata (the virtual clock survives restarts).
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: instances, their disks, tags, security groups and key pairs; the
    // per-account instance count (quota and TotalCount without a scan); the
    // subnets the emulator has seen; ClientToken replay records.
    R"sql(
CREATE TABLE instances (
  id                   INTEGER PRIMARY KEY,
  app_id               INTEGER NOT NULL,
  region               TEXT NOT NULL,
  instance_id          TEXT NOT NULL UNIQUE,
  zone                 TEXT NOT NULL,
  project_id           INTEGER NOT NULL,
  host_id              TEXT,
  instance_type        TEXT NOT NULL,
  cpu                  INTEGER NOT NULL,
  memory               INTEGER NOT NULL,
  name                 TEXT NOT NULL,
  host_name            TEXT,
  charge_type          TEXT NOT NULL,
  renew_flag           TEXT,
  expired_at           INTEGER,
  image_id             TEXT NOT NULL,
  image_platform       TEXT NOT NULL,  -- what the image it runs says of itself,
  image_architecture   TEXT NOT NULL,  -- so CreateImage can carry it over even
  image_size           INTEGER NOT NULL,  -- after that image is gone
  image_cloud_init     INTEGER NOT NULL,
  system_disk_type     TEXT NOT NULL,
  system_disk_id       TEXT,
  system_disk_size     INTEGER NOT NULL,
  os_name              TEXT NOT NULL,
  windows              INTEGER NOT NULL,
  restrict_state       TEXT NOT NULL,
  created_at           INTEGER NOT NULL,
  rest_state           TEXT NOT NULL,
  phases               TEXT NOT NULL,
  timer_at             INTEGER,
  gone_at              INTEGER,
  vpc_id               TEXT,
  subnet_id            TEXT,
  as_vpc_gateway       INTEGER NOT NULL,
  private_ip           TEXT NOT NULL,
  public_ip            TEXT,
  internet_charge_type TEXT,
  bandwidth_out        INTEGER NOT NULL,
  security_service     INTEGER NOT NULL,
  monitor_service      INTEGER NOT NULL,
  keep_image_login     INTEGER NOT NULL,
  user_data            TEXT,
  placement_group_id   TEXT
);
-- Pages of an account's instances walk this index in order; filters without
-- an index of their own (migration 4 adds some) are evaluated on that walk.
CREATE INDEX instances_by_owner ON instances (app_id, region, id);
-- Basic-network addresses are derived from the row ID, so only VPC
-- addresses need this index.
CREATE UNIQUE INDEX instances_private_ip ON instances (app_id, region, vpc_id, private_ip)
  WHERE vpc_id IS NOT NULL;
CREATE INDEX instances_public_ip ON instances (public_ip) WHERE public_ip IS NOT NULL;
CREATE INDEX instances_gone ON instances (gone_at) WHERE gone_at IS NOT NULL;

CREATE TABLE instance_data_disks (
  instance_rowid       INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  position             INTEGER NOT NULL,
  disk_type            TEXT NOT NULL,
  disk_id              TEXT,
  size_gb              INTEGER NOT NULL,
  delete_with_instance INTEGER NOT NULL,
  PRIMARY KEY (instance_rowid, position)
) WITHOUT ROWID;

CREATE TABLE instance_tags (
  instance_rowid INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  key            TEXT NOT NULL,
  value          TEXT NOT NULL,
  PRIMARY KEY (instance_rowid, position)
) WITHOUT ROWID;
CREATE INDEX instance_tags_by_key ON instance_tags (key, value);

CREATE TABLE instance_security_groups (
  instance_rowid INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  sg_id          TEXT NOT NULL,
  PRIMARY KEY (instance_rowid, position)
) WITHOUT ROWID;
CREATE INDEX instance_security_groups_by_sg ON instance_security_groups (sg_id);

CREATE TABLE instance_key_pairs (
  instance_rowid INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  key_id         TEXT NOT NULL,
  PRIMARY KEY (instance_rowid, position)
) WITHOUT ROWID;
CREATE INDEX instance_key_pairs_by_key ON instance_key_pairs (key_id);

CREATE TABLE instance_counts (
  app_id INTEGER NOT NULL,
  region TEXT NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (app_id, region)
) WITHOUT ROWID;

CREATE TABLE subnets (
  app_id    INTEGER NOT NULL,
  region    TEXT NOT NULL,
  subnet_id TEXT NOT NULL,
  vpc_id    TEXT NOT NULL,
  prefix    TEXT NOT NULL,  -- the subnet's addresses: prefix || host number
  next_host INTEGER NOT NULL,
  PRIMARY KEY (app_id, region, subnet_id)
) WITHOUT ROWID;

CREATE TABLE client_tokens (
  app_id     INTEGER NOT NULL,
  region     TEXT NOT NULL,
  action     TEXT NOT NULL,
  token      TEXT NOT NULL,
  request    TEXT NOT NULL,
  response   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, region, action, token)
) WITHOUT ROWID;
CREATE INDEX client_tokens_by_age ON client_tokens (created_at);
)sql",
    // 3: custom images and whom they are shared with; key pairs (their
    // bindings to instances are instance_key_pairs).
    R"sql(
CREATE TABLE images (
  id              INTEGER PRIMARY KEY,
  app_id          INTEGER NOT NULL,
  region          TEXT NOT NULL,
  image_id        TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  description     TEXT,
  os_name         TEXT NOT NULL,
  platform        TEXT NOT NULL,
  windows         INTEGER NOT NULL,
  architecture    TEXT NOT NULL,
  image_size      INTEGER NOT NULL,
  cloud_init      INTEGER NOT NULL,
  source          TEXT NOT NULL,   -- CREATE_IMAGE, EXTERNAL_IMPORT
  source_instance TEXT,            -- CreateImage: the instance captured
  creator         TEXT NOT NULL,   -- the owner's Uin
  created_at      INTEGER NOT NULL,
  pending_state   TEXT NOT NULL,   -- CREATING, IMPORTING or SYNCING until ready_at
  ready_at        INTEGER NOT NULL,
  sync_started_at INTEGER,         -- a SyncImages copy from this image runs
  sync_done_at    INTEGER          --   from sync_started_at to sync_done_at
);
CREATE INDEX images_by_owner ON images (app_id, region, id);
CREATE UNIQUE INDEX images_by_name ON images (app_id, region, name);

CREATE TABLE image_shares (
  image_rowid INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  app_id      INTEGER NOT NULL,  -- the account the image is shared with
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (image_rowid, app_id)
) WITHOUT ROWID;
CREATE INDEX image_shares_by_account ON image_shares (app_id, image_rowid);

CREATE TABLE key_pairs (
  id          INTEGER PRIMARY KEY,
  app_id      INTEGER NOT NULL,
  region      TEXT NOT NULL,
  key_id      TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT,
  project_id  INTEGER NOT NULL,
  public_key  TEXT NOT NULL,  -- OpenSSH "<type> <base64>", without a comment
  created_at  INTEGER NOT NULL
);
CREATE INDEX key_pairs_by_owner ON key_pairs (app_id, region, id);
CREATE UNIQUE INDEX key_pairs_by_name ON key_pairs (app_id, region, name);
CREATE UNIQUE INDEX key_pairs_by_public_key ON key_pairs (app_id, region, public_key);
)sql",

    // 4: the filters people look instances up by (a name, an address) answer
    // from an index, not from a walk over all of the account's instances.
    R"sql(
CREATE INDEX instances_by_name ON instances (app_id, region, name);
CREATE INDEX instances_by_private_ip ON instances (app_id, region, private_ip);
)sql",

    // 5: accepted v1 signatures, kept until their signature window has passed
    // (real time, seconds), so a restart does not accept the same signed
    // request a second time. Rows are only appended, read back whole at
    // start-up and deleted by age: nothing looks a signature up here (the
    // replay cache in memory does), so both B-trees grow at their right
    // edge and a batch of accepted requests touches a few pages.
    R"sql(
CREATE TABLE v1_signatures (
  id         INTEGER PRIMARY KEY,
  signature  TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX v1_signatures_by_expiry ON v1_signatures (expires_at);
)sql",

    // 6: dedicated hosts and placement groups (D-126..D-129). A host's state
    // follows from its stored times (running_at, expired_at, renew_flag) and
    // the clock, so the host-state filter reads those columns. What a host or
    // a group holds is read from the instances on it through a partial index
    // each, bounded by its capacity (24 vCPU, at most 50 members), never from
    // a walk over every instance: instances_by_placement_group below, and
    // instances_by_host, which migration 8 creates for DescribeInstances'
    // host-id filter as well.
    R"sql(
CREATE TABLE hosts (
  id           INTEGER PRIMARY KEY,
  app_id       INTEGER NOT NULL,
  region       TEXT NOT NULL,
  host_id      TEXT NOT NULL UNIQUE,
  zone         TEXT NOT NULL,
  project_id   INTEGER NOT NULL,
  host_name    TEXT NOT NULL,
  host_type    TEXT NOT NULL,
  renew_flag   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  running_at   INTEGER NOT NULL,  -- PENDING until then
  expired_at   INTEGER NOT NULL,
  launch_failed INTEGER NOT NULL,
  host_ip      TEXT NOT NULL,
  cpu          INTEGER NOT NULL,
  memory       INTEGER NOT NULL,  -- GiB
  disk         INTEGER NOT NULL   -- GiB of local disk
);
CREATE INDEX hosts_by_owner ON hosts (app_id, region, id);
CREATE INDEX hosts_by_zone ON hosts (app_id, region, zone, id);
CREATE INDEX hosts_by_project ON hosts (app_id, region, project_id, id);
CREATE INDEX hosts_by_name ON hosts (app_id, region, host_name, id);
-- The host-state filter's TotalCount without a walk over every host: the
-- count of hosts (Insert keeps it; hosts are never deleted but by reset),
-- less the hosts in the other states, each counted on an index of its own.
CREATE TABLE host_counts (
  app_id INTEGER NOT NULL,
  region TEXT NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (app_id, region)
) WITHOUT ROWID;
CREATE INDEX hosts_failed ON hosts (app_id, region) WHERE launch_failed = 1;
CREATE INDEX hosts_by_start ON hosts (app_id, region, running_at) WHERE launch_failed = 0;
CREATE INDEX hosts_by_expiry ON hosts (app_id, region, expired_at)
  WHERE launch_failed = 0 AND renew_flag <> 'NOTIFY_AND_AUTO_RENEW';

CREATE TABLE placement_groups (
  id          INTEGER PRIMARY KEY,
  app_id      INTEGER NOT NULL,
  region      TEXT NOT NULL,
  group_id    TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX placement_groups_by_owner ON placement_groups (app_id, region, id);
CREATE INDEX instances_by_placement_group ON instances (app_id, region, placement_group_id)
  WHERE placement_group_id IS NOT NULL;
)sql",

    // 7: an instance's BANDWIDTH_PREPAID bandwidth configurations beside its
    // own (ResetInstancesInternetMaxBandwidth with StartTime and EndTime,
    // D-132, D-180): each runs from start_at to end_at (milliseconds, end
    // exclusive; NULL: open-ended), and outside them the instance's own
    // bandwidth applies. Rows are kept as history; they go with the instance.
    R"sql(
CREATE TABLE instance_bandwidth_configs (
  instance_rowid       INTEGER NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  start_at             INTEGER NOT NULL,
  end_at               INTEGER,
  internet_charge_type TEXT NOT NULL,
  bandwidth_out        INTEGER NOT NULL,
  public_ip_assigned   INTEGER NOT NULL,
  PRIMARY KEY (instance_rowid, start_at)
) WITHOUT ROWID;
)sql",

    // 8: every filter of DescribeInstances, DescribeKeyPairs and
    // DescribeImages answers from an index (D-250, D-252). Each index lists
    // one value's rows in row ID order (SQLite ends every index with the
    // row ID, or a child table's key), so a page walks it and stops when
    // full, and a value that matches nothing costs one probe. Tags and
    // security groups carry their instance's account and region, so that
    // their indexes list one account's rows and count them alone. Images:
    // by state, which is their pending_state until ready_at. Images and key
    // pairs are counted per account as instances are (D-253).
    R"sql(
CREATE INDEX instances_by_zone ON instances (app_id, region, zone);
CREATE INDEX instances_by_project ON instances (app_id, region, project_id);
CREATE INDEX instances_by_charge_type ON instances (app_id, region, charge_type);
CREATE INDEX instances_by_host ON instances (app_id, region, host_id) WHERE host_id IS NOT NULL;
CREATE INDEX instances_by_vpc ON instances (app_id, region, vpc_id) WHERE vpc_id IS NOT NULL;

ALTER TABLE instance_tags ADD COLUMN app_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instance_tags ADD COLUMN region TEXT NOT NULL DEFAULT '';
UPDATE instance_tags SET (app_id, region) =
  (SELECT app_id, region FROM instances WHERE instances.id = instance_rowid);
DROP INDEX instance_tags_by_key;
CREATE INDEX instance_tags_by_key ON instance_tags (app_id, region, key, instance_rowid);
CREATE INDEX instance_tags_by_value ON instance_tags (app_id, region, value, instance_rowid);
CREATE INDEX instance_tags_by_key_value ON instance_tags (app_id, region, key, value, instance_rowid);

ALTER TABLE instance_security_groups ADD COLUMN app_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instance_security_groups ADD COLUMN region TEXT NOT NULL DEFAULT '';
UPDATE instance_security_groups SET (app_id, region) =
  (SELECT app_id, region FROM instances WHERE instances.id = instance_rowid);
DROP INDEX instance_security_groups_by_sg;
CREATE INDEX instance_security_groups_by_sg
  ON instance_security_groups (app_id, region, sg_id, instance_rowid);

CREATE INDEX key_pairs_by_project ON key_pairs (app_id, region, project_id);
CREATE INDEX images_by_state ON images (app_id, region, pending_state, ready_at);

-- How many images and key pairs each account has in each region, kept by
-- their stores (D-253): quotas and an unfiltered TotalCount read one row.
CREATE TABLE resource_counts (
  app_id   INTEGER NOT NULL,
  region   TEXT NOT NULL,
  resource TEXT NOT NULL,  -- the table counted: images, key_pairs
  count    INTEGER NOT NULL,
  PRIMARY KEY (app_id, region, resource)
) WITHOUT ROWID;
INSERT INTO resource_counts (app_id, region, resource, count)
  SELECT app_id, region, 'images', COUNT(*) FROM images GROUP BY app_id, region;
INSERT INTO resource_counts (app_id, region, resource, count)
  SELECT app_id, region, 'key_pairs', COUNT(*) FROM key_pairs GROUP BY app_id, region;
)sql",

    // 9: how many instances hold each tag key, each tag value, each tag key
    // with its value and each security group, per account and region, kept
    // by the instance store beside the rows (D-255): a lone tag-key,
    // tag-value, tag:<key> or security-group-id filter's TotalCount reads a
    // row instead of counting its matches. Instances, not rows: one instance
    // may hold a value under two keys, or a security group twice. `filter`
    // is the filter's name ("tag:" for every tag:<key>), `key` the <key> of
    // tag:<key> ('' for the others), `value` what the filter compares. Rows
    // whose count falls to 0 are deleted.
    R"sql(
CREATE TABLE instance_value_counts (
  app_id INTEGER NOT NULL,
  region TEXT NOT NULL,
  filter TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (app_id, region, filter, key, value)
) WITHOUT ROWID;
INSERT INTO instance_value_counts (app_id, region, filter, key, value, count)
  SELECT app_id, region, 'tag-key', '', key, COUNT(DISTINCT instance_rowid)
    FROM instance_tags GROUP BY app_id, region, key;
INSERT INTO instance_value_counts (app_id, region, filter, key, value, count)
  SELECT app_id, region, 'tag-value', '', value, COUNT(DISTINCT instance_rowid)
    FROM instance_tags GROUP BY app_id, region, value;
INSERT INTO instance_value_counts (app_id, region, filter, key, value, count)
  SELECT app_id, region, 'tag:', key, value, COUNT(DISTINCT instance_rowid)
    FROM instance_tags GROUP BY app_id, region, key, value;
INSERT INTO instance_value_counts (app_id, region, filter, key, value, count)
  SELECT app_id, region, 'security-group-id', '', sg_id, COUNT(DISTINCT instance_rowid)
    FROM instance_security_groups GROUP BY app_id, region, sg_id;
)sql",
};

constexpr char kCreateVersionTable[] =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
constexpr char kReadVersion[] = "SELECT version FROM schema_version";
constexpr char kInsertVersion[] = "INSERT INTO schema_version (version) VALUES (?)";
constexpr char kUpdateVersion[] = "UPDATE schema_version SET version = ?";
// The schema, in the order it was made (a table before its indexes);
// SQLite's own tables and automatic indexes come with the tables.
constexpr char kSchema[] =
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
    "ORDER BY rowid";

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

int Migrate(Database& db) {
  db.Execute(kCreateVersionTable);
  int version = 0;
  bool has_row = false;
  {
    Statement read = db.Prepare(kReadVersion);
    if (read.Step()) {
      version = static_cast<int>(read.Int(0));
      has_row = true;
    }
  }
  if (!has_row) db.Prepare(kInsertVersion).Bind(1, 0).Run();
  if (version > LatestSchemaVersion()) {
    throw DatabaseError("database schema version " + std::to_string(version) +
                        " is newer than this emulator (" + std::to_string(LatestSchemaVersion()) +
                        ")");
  }
  for (int next = version + 1; next <= LatestSchemaVersion(); ++next) {
    Transaction txn(db);
    db.Execute(kMigrations[next - 1]);
    db.Prepare(kUpdateVersion).Bind(1, next).Run();
    txn.Commit();
  }
  return LatestSchemaVersion();
}

void EmptyAllTables(Database& db) {
  Database empty(":memory:");
  {
    Statement page_size = db.Prepare("PRAGMA page_size");
    page_size.Step();
    empty.Execute("PRAGMA page_size=" + std::to_string(page_size.Int(0)));
  }
  Transaction txn(empty);
  {
    Statement schema = db.Prepare(kSchema);
    while (schema.Step()) empty.Execute(schema.TextView(0));
  }
  {
    Statement version = db.Prepare(kReadVersion);
    while (version.Step()) empty.Prepare(kInsertVersion).Bind(1, version.Int(0)).Run();
  }
  txn.Commit();
  db.ReplaceWith(empty);
}

}  // namespace cvm::state
