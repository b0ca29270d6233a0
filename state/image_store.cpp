#include "state/image_store.h"

#include <algorithm>

#include "state/columns.h"

namespace cvm::state {
namespace {

using M = Image;
using Role = Column<M>::Role;
constexpr Column<M> kImageColumns[] = {
    Key<&M::rowid>("id"),
    Field<&M::app_id>("app_id", Role::kFixed),
    Field<&M::region>("region", Role::kFixed),
    Field<&M::image_id>("image_id", Role::kFixed),
    Field<&M::name>("name"),
    Field<&M::description>("description"),
    Field<&M::os_name>("os_name"),
    Field<&M::platform>("platform"),
    Field<&M::windows>("windows"),
    Field<&M::architecture>("architecture"),
    Field<&M::size_gb>("image_size"),
    Field<&M::cloud_init>("cloud_init"),
    Field<&M::source>("source"),
    Field<&M::source_instance>("source_instance"),
    Field<&M::creator>("creator"),
    Field<&M::created_at>("created_at"),
    Field<&M::pending_state>("pending_state"),
    Field<&M::ready_at>("ready_at"),
    Field<&M::sync_started_at>("sync_started_at"),
    Field<&M::sync_done_at>("sync_done_at"),
};

const Table<M, kImageColumns>& Images() {
  static const Table<M, kImageColumns> table("images", "m");
  return table;
}

// Rows (image_rowid, the share's columns).
constexpr Column<ImageShare> kShareColumns[] = {Field<&ImageShare::app_id>("app_id"),
                                                Field<&ImageShare::created_at>("created_at")};

const Table<ImageShare, kShareColumns>& ShareTable() {
  static const Table<ImageShare, kShareColumns> table("image_shares", "");
  return table;
}

constexpr char kDelete[] = "DELETE FROM images WHERE id = ?";
constexpr char kIdExists[] = "SELECT 1 FROM images WHERE image_id = ?";
constexpr char kNameUsed[] = "SELECT 1 FROM images WHERE app_id = ? AND region = ? AND name = ?";
constexpr char kCountOwned[] = "SELECT COUNT(*) FROM images WHERE app_id = ? AND region = ?";
constexpr char kCreatingFrom[] =
    "SELECT 1 FROM images WHERE source_instance = ? AND pending_state = ? AND ready_at > ?";
constexpr char kRemoveShare[] = "DELETE FROM image_shares WHERE image_rowid = ? AND app_id = ?";

// Owned images of (app, region), and images shared with app in region.
const std::string& VisibleSql() {
  static const std::string sql =
      "SELECT " + Images().select_list() +
      ", 0 FROM images m WHERE m.app_id = ?1 AND m.region = ?2 UNION ALL SELECT " + Images().select_list() +
      ", 1 FROM image_shares s JOIN images m ON m.id = s.image_rowid WHERE s.app_id = ?1 AND "
      "m.region = ?2 ORDER BY 1";
  return sql;
}

}  // namespace

int64_t Image::SyncPercent(TimeMs now) const {
  auto percent = [&](TimeMs start, TimeMs end) -> int64_t {
    if (end <= start || now >= end) return 100;
    if (now <= start) return 0;
    return (now - start) * 100 / (end - start);
  };
  if (pending_state == ImageState::kSyncing) return percent(created_at, ready_at);
  if (sync_started_at && sync_done_at) return percent(*sync_started_at, *sync_done_at);
  return 100;
}

std::vector<TableColumns> ImageStore::Columns() {
  return {ColumnsOf(Images()), ColumnsOf(ShareTable(), {"image_rowid"})};
}

void ImageStore::Insert(Image& m) {
  static const auto insert = Images().Insert();
  Statement s = db_.Cached(insert.sql());
  insert.Bind(s, m);
  s.Run();
  m.rowid = db_.LastInsertRowId();
}

void ImageStore::UpdateAttributes(const Image& m) {
  static const auto update = Images().Update({"name", "description"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, m);
  s.Run();
}

void ImageStore::UpdateSync(const Image& m) {
  static const auto update = Images().Update({"sync_started_at", "sync_done_at"});
  Statement s = db_.Cached(update.sql());
  update.Bind(s, m);
  s.Run();
}

void ImageStore::Delete(int64_t rowid) { db_.Cached(kDelete).Bind(1, rowid).Run(); }

bool ImageStore::IdExists(const std::string& image_id) {
  Statement s = db_.Cached(kIdExists);
  s.Bind(1, image_id);
  return s.Step();
}

bool ImageStore::NameUsed(int64_t app_id, const std::string& region, const std::string& name) {
  Statement s = db_.Cached(kNameUsed);
  s.Bind(1, app_id).Bind(2, region).Bind(3, name);
  return s.Step();
}

int64_t ImageStore::CountOwned(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(kCountOwned);
  s.Bind(1, app_id).Bind(2, region);
  s.Step();
  return s.Int(0);
}

std::vector<ImageStore::Visible> ImageStore::ListVisible(int64_t app_id, const std::string& region) {
  Statement s = db_.Cached(VisibleSql().c_str());
  s.Bind(1, app_id).Bind(2, region);
  std::vector<Visible> out;
  while (s.Step()) out.push_back(Visible{Images().Read(s), s.Int(Images().width()) != 0});
  return out;
}

std::optional<ImageStore::Visible> ImageStore::FindVisible(int64_t app_id, const std::string& region,
                                                          const std::string& image_id) {
  // An account sees at most its quota of own images plus what is shared with
  // it, so filtering the visible list is cheap.
  for (Visible& v : ListVisible(app_id, region)) {
    if (v.image.image_id == image_id) return std::move(v);
  }
  return std::nullopt;
}

bool ImageStore::CreatingFrom(const std::string& instance_id, TimeMs now) {
  Statement s = db_.Cached(kCreatingFrom);
  s.Bind(1, instance_id).Bind(2, NameOf(ImageState::kCreating)).Bind(3, now);
  return s.Step();
}

std::vector<ImageShare> ImageStore::Shares(int64_t image_rowid) {
  static const std::string sql = "SELECT " + ShareTable().select_list() +
                                 " FROM image_shares WHERE image_rowid = ? ORDER BY created_at, app_id";
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, image_rowid);
  std::vector<ImageShare> out;
  while (s.Step()) out.push_back(ShareTable().Read(s));
  return out;
}

void ImageStore::AddShare(int64_t image_rowid, int64_t app_id, TimeMs now) {
  static const auto insert = ShareTable().Insert({"image_rowid"}, " ON CONFLICT (image_rowid, app_id) DO NOTHING");
  Statement s = db_.Cached(insert.sql());
  s.Bind(1, image_rowid);
  insert.Bind(s, ImageShare{app_id, now}, 2);
  s.Run();
}

void ImageStore::RemoveShare(int64_t image_rowid, int64_t app_id) {
  db_.Cached(kRemoveShare).Bind(1, image_rowid).Bind(2, app_id).Run();
}

}  // namespace cvm::state
