#include "state/image_store.h"

#include "state/columns.h"

#include <algorithm>

namespace cvm::state {
namespace {

constexpr char kColumns[] =
    "m.id, m.app_id, m.region, m.image_id, m.name, m.description, m.os_name, m.platform, "
    "m.windows, m.architecture, m.image_size, m.cloud_init, m.source, m.source_instance, m.creator, "
    "m.created_at, m.pending_state, m.ready_at, m.sync_started_at, m.sync_done_at";

constexpr char kInsert[] =
    "INSERT INTO images (app_id, region, image_id, name, description, os_name, platform, windows, "
    "architecture, image_size, cloud_init, source, source_instance, creator, created_at, "
    "pending_state, ready_at, sync_started_at, sync_done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kUpdateAttributes[] = "UPDATE images SET name = ?, description = ? WHERE id = ?";
constexpr char kUpdateSync[] =
    "UPDATE images SET sync_started_at = ?, sync_done_at = ? WHERE id = ?";
constexpr char kDelete[] = "DELETE FROM images WHERE id = ?";
constexpr char kIdExists[] = "SELECT 1 FROM images WHERE image_id = ?";
constexpr char kNameUsed[] = "SELECT 1 FROM images WHERE app_id = ? AND region = ? AND name = ?";
constexpr char kCountOwned[] = "SELECT COUNT(*) FROM images WHERE app_id = ? AND region = ?";
constexpr char kCreatingFrom[] =
    "SELECT 1 FROM images WHERE source_instance = ? AND pending_state = ? AND ready_at > ?";
constexpr char kShares[] =
    "SELECT app_id, created_at FROM image_shares WHERE image_rowid = ? ORDER BY created_at, app_id";
constexpr char kAddShare[] =
    "INSERT INTO image_shares (image_rowid, app_id, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (image_rowid, app_id) DO NOTHING";
constexpr char kRemoveShare[] = "DELETE FROM image_shares WHERE image_rowid = ? AND app_id = ?";

Image ReadImage(const Statement& s) {
  Image m;
  int c = 0;
  m.rowid = s.Int(c++);
  m.app_id = s.Int(c++);
  m.region = s.Text(c++);
  m.image_id = s.Text(c++);
  m.name = s.Text(c++);
  m.description = s.OptionalText(c++);
  m.os_name = s.Text(c++);
  m.platform = s.Text(c++);
  m.windows = s.Int(c++) != 0;
  m.architecture = s.Text(c++);
  m.size_gb = s.Int(c++);
  m.cloud_init = s.Int(c++) != 0;
  m.source = ReadName<ImageSource>(s, c++);
  m.source_instance = s.OptionalText(c++);
  m.creator = s.Text(c++);
  m.created_at = s.Int(c++);
  m.pending_state = ReadName<ImageState>(s, c++);
  m.ready_at = s.Int(c++);
  m.sync_started_at = s.OptionalInt(c++);
  m.sync_done_at = s.OptionalInt(c++);
  return m;
}

// Owned images of (app, region), and images shared with app in region.
const std::string& VisibleSql() {
  static const std::string sql =
      std::string("SELECT ") + kColumns +
      ", 0 FROM images m WHERE m.app_id = ?1 AND m.region = ?2 UNION ALL SELECT " + kColumns +
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

void ImageStore::Insert(Image& m) {
  db_.Cached(kInsert)
      .Bind(1, m.app_id)
      .Bind(2, m.region)
      .Bind(3, m.image_id)
      .Bind(4, m.name)
      .Bind(5, m.description)
      .Bind(6, m.os_name)
      .Bind(7, m.platform)
      .Bind(8, static_cast<int64_t>(m.windows))
      .Bind(9, m.architecture)
      .Bind(10, m.size_gb)
      .Bind(11, static_cast<int64_t>(m.cloud_init))
      .Bind(12, NameOf(m.source))
      .Bind(13, m.source_instance)
      .Bind(14, m.creator)
      .Bind(15, m.created_at)
      .Bind(16, NameOf(m.pending_state))
      .Bind(17, m.ready_at)
      .Bind(18, m.sync_started_at)
      .Bind(19, m.sync_done_at)
      .Run();
  m.rowid = db_.LastInsertRowId();
}

void ImageStore::UpdateAttributes(const Image& m) {
  db_.Cached(kUpdateAttributes).Bind(1, m.name).Bind(2, m.description).Bind(3, m.rowid).Run();
}

void ImageStore::UpdateSync(const Image& m) {
  db_.Cached(kUpdateSync).Bind(1, m.sync_started_at).Bind(2, m.sync_done_at).Bind(3, m.rowid).Run();
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
  while (s.Step()) out.push_back(Visible{ReadImage(s), s.Int(20) != 0});
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
  Statement s = db_.Cached(kShares);
  s.Bind(1, image_rowid);
  std::vector<ImageShare> out;
  while (s.Step()) out.push_back(ImageShare{s.Int(0), s.Int(1)});
  return out;
}

void ImageStore::AddShare(int64_t image_rowid, int64_t app_id, TimeMs now) {
  db_.Cached(kAddShare).Bind(1, image_rowid).Bind(2, app_id).Bind(3, now).Run();
}

void ImageStore::RemoveShare(int64_t image_rowid, int64_t app_id) {
  db_.Cached(kRemoveShare).Bind(1, image_rowid).Bind(2, app_id).Run();
}

}  // namespace cvm::state
