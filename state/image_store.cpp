#include "state/image_store.h"

#include <algorithm>

#include "state/columns.h"
#include "state/count_store.h"
#include "state/instance_store.h"  // JsonStringArray
#include "state/listing.h"

namespace cvm::state {
namespace {

using M = Image;
constexpr Column<M> kImageColumns[] = {
    Key<&M::rowid>("id"),
    Field<&M::app_id>("app_id", ColumnRole::kFixed),
    Field<&M::region>("region", ColumnRole::kFixed),
    Field<&M::image_id>("image_id", ColumnRole::kFixed),
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

constexpr char kDeleteImage[] = "DELETE FROM images WHERE id = ? RETURNING app_id, region";
constexpr char kImageIdExists[] = "SELECT 1 FROM images WHERE image_id = ?";
constexpr char kNameUsed[] = "SELECT 1 FROM images WHERE app_id = ? AND region = ? AND name = ?";
constexpr char kCreatingFrom[] =
    "SELECT 1 FROM images WHERE source_instance = ? AND pending_state = ? AND ready_at > ?";
constexpr char kRemoveShare[] = "DELETE FROM image_shares WHERE image_rowid = ? AND app_id = ?";

// An image the account owns or is shared with, by ID, and whether it is shared.
const std::string& FindVisibleSql() {
  static const std::string sql =
      "SELECT " + Images().select_list() +
      ", m.app_id <> ?1 FROM images m WHERE m.image_id = ?3 AND m.region = ?2 AND "
      "(m.app_id = ?1 OR EXISTS (SELECT 1 FROM image_shares s WHERE s.image_rowid = m.id AND "
      "s.app_id = ?1))";
  return sql;
}

constexpr ImageState kPendingStates[] = {ImageState::kCreating, ImageState::kImporting,
                                         ImageState::kSyncing};

std::string StateNames(const std::vector<ImageState>& states) {
  std::vector<std::string> names;
  for (ImageState st : states) names.emplace_back(NameOf(st));
  return JsonStringArray(names);
}

// A page of DescribeImages' custom images, or their count. An image is NORMAL
// from ready_at on and in its pending_state before (state/image.h), so a
// state filter is a range of ready_at: images_by_state (app_id, region,
// pending_state, ready_at) finds the pending ones, which are few but for the
// seconds after a large import, and counts the NORMAL ones as the account's
// images less the pending ones.
class ImageSql {
 public:
  // `hidden`: row IDs left out of the page (D-219); null or empty: none.
  ImageSql(int64_t app_id, const std::string& region, const ImageQuery& q, TimeMs now,
           const std::vector<int64_t>* hidden = nullptr)
      : app_id_(app_id),
        region_(region),
        q_(q),
        now_(now),
        hidden_(hidden && !hidden->empty() ? hidden : nullptr) {
    if (q.states) {
      for (ImageState st : *q.states) {
        if (st == ImageState::kNormal) {
          normal_ = true;
        } else if (std::find(pending_.begin(), pending_.end(), st) == pending_.end()) {
          pending_.push_back(st);
        }
      }
    }
  }

  // True iff no image can match.
  bool Empty() const {
    return (!q_.own && !q_.shared) || (q_.image_ids && q_.image_ids->empty()) ||
           (q_.states && !normal_ && pending_.empty());
  }

  BoundSql Page() const {
    SqlBuilder b;
    bool first = true;
    if (q_.own) {
      if (q_.image_ids || normal_ || !q_.states) {
        OwnArm(b);
      } else {
        // Only pending states: one range of images_by_state each.
        for (ImageState st : pending_) {
          if (!first) b << " UNION ALL ";
          first = false;
          b << "SELECT m.id FROM images m INDEXED BY images_by_state WHERE m.app_id = ";
          b.Param(app_id_);
          b << " AND m.region = ";
          b.Param(region_);
          b << " AND m.pending_state = ";
          b.Param(std::string(NameOf(st)));
          b << " AND m.ready_at > ";
          b.Param(now_);
          LeaveOutHidden(b);
        }
      }
      first = false;
    }
    if (q_.shared) {
      if (!first) b << " UNION ALL ";
      b << "SELECT s.image_rowid FROM image_shares s INDEXED BY image_shares_by_account CROSS JOIN "
           "images m ON m.id = s.image_rowid WHERE s.app_id = ";
      b.Param(app_id_);
      b << " AND m.region = ";
      b.Param(region_);
      Residuals(b);
      LeaveOutHidden(b);
    }
    b << " ORDER BY 1 LIMIT ? OFFSET ?";
    return b.Take();
  }

  // The own images that match, when a filter picks them: by ID, or by state
  // (the pending ones, in the given states, counted on images_by_state).
  BoundSql OwnCount() const {
    SqlBuilder b;
    if (q_.image_ids) {
      b << "SELECT COUNT(*) FROM (";
      OwnArm(b);
      b << ")";
    } else {
      b << "SELECT COUNT(*) FROM images m INDEXED BY images_by_state WHERE m.app_id = ";
      b.Param(app_id_);
      b << " AND m.region = ";
      b.Param(region_);
      b << " AND m.pending_state IN (SELECT value FROM json_each(";
      b.Param(StateNames(pending_));
      b << ")) AND m.ready_at > ";
      b.Param(now_);
    }
    return b.Take();
  }
  // Every pending own image (for the NORMAL ones: the rest).
  BoundSql OwnPendingCount() const {
    ImageQuery all = q_;
    all.states = std::vector<ImageState>(std::begin(kPendingStates), std::end(kPendingStates));
    all.image_ids.reset();
    return ImageSql(app_id_, region_, all, now_).OwnCount();
  }

  BoundSql SharedCount() const {
    SqlBuilder b;
    b << "SELECT COUNT(*) FROM image_shares s INDEXED BY image_shares_by_account "
         "CROSS JOIN images m ON m.id = s.image_rowid WHERE s.app_id = ";
    b.Param(app_id_);
    b << " AND m.region = ";
    b.Param(region_);
    Residuals(b);
    return b.Take();
  }

  // How many of the hidden images match: each read by row ID.
  BoundSql HiddenCount() const {
    SqlBuilder b;
    b << "SELECT COUNT(*) FROM images m WHERE m.id IN (SELECT value FROM json_each(";
    b.Param(JsonIntArray(*hidden_));
    b << "))";
    Residuals(b);
    return b.Take();
  }

  bool normal() const { return normal_; }
  bool pending() const { return !pending_.empty(); }
  bool by_state() const { return q_.states.has_value(); }

 private:
  // The own images, in row ID order (by ID: sorted by the page).
  void OwnArm(SqlBuilder& b) const {
    if (q_.image_ids) {
      b << "SELECT m.id FROM images m INDEXED BY sqlite_autoindex_images_1 WHERE m.image_id IN "
           "(SELECT value FROM json_each(";
      b.Param(JsonStringArray(*q_.image_ids));
      b << ")) AND m.app_id = ";
    } else {
      b << "SELECT m.id FROM images m INDEXED BY images_by_owner WHERE m.app_id = ";
    }
    b.Param(app_id_);
    b << " AND m.region = ";
    b.Param(region_);
    if (q_.states) StateCheck(b);
    LeaveOutHidden(b);
  }
  void LeaveOutHidden(SqlBuilder& b) const {
    if (!hidden_) return;
    b << " AND m.id NOT IN (SELECT value FROM json_each(";
    b.Param(JsonIntArray(*hidden_));
    b << "))";
  }

  // The IDs and states, checked on each row.
  void Residuals(SqlBuilder& b) const {
    if (q_.image_ids) {
      b << " AND m.image_id IN (SELECT value FROM json_each(";
      b.Param(JsonStringArray(*q_.image_ids));
      b << "))";
    }
    if (q_.states) StateCheck(b);
  }
  void StateCheck(SqlBuilder& b) const {
    b << " AND (";
    if (normal_) {
      b << "m.ready_at <= ";
      b.Param(now_);
      if (!pending_.empty()) b << " OR ";
    }
    if (!pending_.empty()) {
      b << "(m.pending_state IN (SELECT value FROM json_each(";
      b.Param(StateNames(pending_));
      b << ")) AND m.ready_at > ";
      b.Param(now_);
      b << ")";
    }
    b << ")";
  }

  int64_t app_id_;
  const std::string& region_;
  const ImageQuery& q_;
  TimeMs now_;
  bool normal_ = false;
  std::vector<ImageState> pending_;
  const std::vector<int64_t>* hidden_;
};

int64_t CountOf(Database& db, const BoundSql& sql) {
  Statement s = PrepareBound(db, sql);
  s.Step();
  return s.Int(0);
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
  CountStore(db_).Add(kCountedImages, m.app_id, m.region, 1);
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

void ImageStore::Delete(int64_t rowid) {
  CountStore(db_).DeleteRow(kCountedImages, kDeleteImage, rowid);
}

bool ImageStore::IdExists(const std::string& image_id) {
  Statement s = db_.Cached(kImageIdExists);
  s.Bind(1, image_id);
  return s.Step();
}

bool ImageStore::NameUsed(int64_t app_id, const std::string& region, const std::string& name) {
  Statement s = db_.Cached(kNameUsed);
  s.Bind(1, app_id).Bind(2, region).Bind(3, name);
  return s.Step();
}

int64_t ImageStore::CountOwned(int64_t app_id, const std::string& region) {
  return CountStore(db_).Get(kCountedImages, app_id, region);
}

ImageStore::Page ImageStore::ListVisible(int64_t app_id, const std::string& region,
                                         const ImageQuery& query, TimeMs now) {
  Page page;
  ImageSql sql(app_id, region, query, now);
  if (sql.Empty()) return page;
  if (query.own) {
    if (query.image_ids || (sql.by_state() && !sql.normal())) {
      page.total += CountOf(db_, sql.OwnCount());
    } else if (sql.by_state()) {
      // NORMAL, and perhaps pending states: the account's images less the
      // pending ones, plus those pending in the given states.
      page.total += CountOwned(app_id, region) - CountOf(db_, sql.OwnPendingCount());
      if (sql.pending()) page.total += CountOf(db_, sql.OwnCount());
    } else {
      page.total += CountOwned(app_id, region);
    }
  }
  if (query.shared) page.total += CountOf(db_, sql.SharedCount());
  // The new images (D-219): counted as above, less those that match; left
  // out of the page.
  std::vector<int64_t> hidden;
  if (query.hidden_created && page.total > 0) hidden = CreatedIn(app_id, region, query);
  ImageSql shown(app_id, region, query, now, &hidden);
  if (!hidden.empty()) page.total -= CountOf(db_, shown.HiddenCount());
  if (page.total == 0 || query.offset >= page.total || query.limit <= 0) return page;

  std::vector<int64_t> rowids;
  {
    BoundSql ids = shown.Page();
    Statement s = PrepareBound(db_, ids);
    int next = static_cast<int>(ids.binds.size() + 1);
    s.Bind(next, query.limit).Bind(next + 1, query.offset);
    while (s.Step()) rowids.push_back(s.Int(0));
  }
  static const std::string rows = "SELECT " + Images().select_list() +
                                  ", m.app_id <> ? FROM images m WHERE m.id IN (SELECT value FROM "
                                  "json_each(?)) ORDER BY m.id";
  Statement s = db_.Cached(rows.c_str());
  s.Bind(1, app_id).Bind(2, JsonIntArray(rowids));
  while (s.Step()) page.items.push_back(Visible{Images().Read(s), s.Int(Images().width()) != 0});
  return page;
}

std::vector<int64_t> ImageStore::CreatedIn(int64_t app_id, const std::string& region,
                                           const ImageQuery& query) {
  const CreatedWindow& w = *query.hidden_created;
  std::vector<int64_t> out;
  if (query.own) {
    constexpr ListedTable kOwn{"images", nullptr, "images_by_owner"};
    out = RowsCreatedIn(db_, kOwn, app_id, region, w);
  }
  if (query.shared) {
    constexpr char kShared[] =
        "SELECT m.id FROM image_shares s INDEXED BY image_shares_by_account CROSS JOIN images m "
        "ON m.id = s.image_rowid WHERE s.app_id = ? AND m.region = ? AND m.created_at > ? AND "
        "m.created_at <= ?";
    Statement s = db_.Cached(kShared);
    s.Bind(1, app_id).Bind(2, region).Bind(3, w.after).Bind(4, w.upto);
    while (s.Step()) out.push_back(s.Int(0));
    std::sort(out.begin(), out.end());
  }
  return out;
}

std::optional<ImageStore::Visible> ImageStore::FindVisible(int64_t app_id,
                                                           const std::string& region,
                                                           const std::string& image_id) {
  Statement s = db_.Cached(FindVisibleSql().c_str());
  s.Bind(1, app_id).Bind(2, region).Bind(3, image_id);
  if (!s.Step()) return std::nullopt;
  return Visible{Images().Read(s), s.Int(Images().width()) != 0};
}

bool ImageStore::CreatingFrom(const std::string& instance_id, TimeMs now) {
  Statement s = db_.Cached(kCreatingFrom);
  s.Bind(1, instance_id).Bind(2, NameOf(ImageState::kCreating)).Bind(3, now);
  return s.Step();
}

std::vector<ImageShare> ImageStore::Shares(int64_t image_rowid) {
  static const std::string sql =
      "SELECT " + ShareTable().select_list() +
      " FROM image_shares WHERE image_rowid = ? ORDER BY created_at, app_id";
  Statement s = db_.Cached(sql.c_str());
  s.Bind(1, image_rowid);
  std::vector<ImageShare> out;
  while (s.Step()) out.push_back(ShareTable().Read(s));
  return out;
}

void ImageStore::AddShare(int64_t image_rowid, int64_t app_id, TimeMs now) {
  static const auto insert =
      ShareTable().Insert({"image_rowid"}, " ON CONFLICT (image_rowid, app_id) DO NOTHING");
  Statement s = db_.Cached(insert.sql());
  s.Bind(1, image_rowid);
  insert.Bind(s, ImageShare{app_id, now}, 2);
  s.Run();
}

void ImageStore::RemoveShare(int64_t image_rowid, int64_t app_id) {
  db_.Cached(kRemoveShare).Bind(1, image_rowid).Bind(2, app_id).Run();
}

}  // namespace cvm::state
