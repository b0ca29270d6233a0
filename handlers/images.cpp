// Images: CreateImage, DeleteImages, ModifyImageAttribute, DescribeImages,
// ImportImage, DescribeImportImageOs, DescribeImageSharePermission,
// ModifyImageSharePermission, SyncImages, DescribeImageQuota. The rules are
// state/image_service's; these read parameters and shape answers.
#include "handlers/params.h"
#include "handlers/registry.h"
#include "state/image_service.h"
#include "state/image_store.h"

namespace cvm::handlers {
namespace {

using state::Image;
using state::ImageStore;

Result<state::CreateImageChange> PlanCreateImage(RequestContext& ctx, const Json& p) {
  state::CreateImageRequest r;
  r.instance_id = p["InstanceId"].get<std::string>();
  r.name = p["ImageName"].get<std::string>();
  r.description = OptionalString(p, "ImageDescription");
  // STOPPED, or RUNNING with ForcePoweroff=TRUE (D-114). The document names
  // Reboot=TRUE for the same permission, so it counts too.
  r.force = Flag(p, "ForcePoweroff") || Flag(p, "Reboot");
  return state::PlanCreateImage(ctx.scope(), r, ctx.action_name());
}

HandlerResult ApplyCreateImage(RequestContext& ctx, const state::CreateImageChange& change) {
  state::ApplyCreateImage(ctx.scope(), change);
  return Json::object();
}

Result<state::DeleteImagesChange> PlanDeleteImages(RequestContext& ctx, const Json& p) {
  return state::PlanDeleteImages(ctx.scope(), Strings(p["ImageIds"]));
}

HandlerResult ApplyDeleteImages(RequestContext& ctx, const state::DeleteImagesChange& change) {
  state::ApplyDeleteImages(ctx.scope(), change);
  return Json::object();
}

Result<state::ModifyImageChange> PlanModifyImageAttribute(RequestContext& ctx, const Json& p) {
  return state::PlanModifyImageAttribute(ctx.scope(), p["ImageId"].get<std::string>(),
                                         OptionalString(p, "ImageName"), OptionalString(p, "ImageDescription"));
}

HandlerResult ApplyModifyImageAttribute(RequestContext& ctx, const state::ModifyImageChange& change) {
  state::ApplyModifyImageAttribute(ctx.scope(), change);
  return Json::object();
}

// One row of DescribeImages, from the catalog or the store.
struct ImageRow {
  Json view;
  std::string id;
  state::ImageType type;
  state::ImageState state;
};

ImageRow PublicRow(const state::PublicImageInfo& pub) {
  int64_t created = 0;
  state::ParseIso8601(pub.created_time, &created);
  return {Json{{"ImageId", pub.image_id},
               {"OsName", pub.os_name},
               {"ImageType", state::NameOf(state::ImageType::kPublic)},
               {"CreatedTime", state::FormatIso8601(created)},
               {"ImageName", pub.image_name},
               {"ImageDescription", pub.description},
               {"ImageSize", pub.image_size},
               {"Architecture", pub.architecture},
               {"ImageState", state::NameOf(state::ImageState::kNormal)},
               {"Platform", pub.platform},
               {"ImageCreator", "PUBLIC"},
               {"ImageSource", state::NameOf(state::ImageSource::kOfficial)},
               {"SyncPercent", 100},
               {"IsSupportCloudinit", pub.cloud_init}},
          pub.image_id, state::ImageType::kPublic, state::ImageState::kNormal};
}

ImageRow CustomRow(const ImageStore::Visible& v, state::TimeMs now) {
  const Image& m = v.image;
  state::ImageType type = v.shared ? state::ImageType::kShared : state::ImageType::kPrivate;
  return {Json{{"ImageId", m.image_id},
               {"OsName", m.os_name},
               {"ImageType", state::NameOf(type)},
               {"CreatedTime", Iso(m.created_at)},
               {"ImageName", m.name},
               {"ImageDescription", m.description ? Json(*m.description) : Json(nullptr)},
               {"ImageSize", m.size_gb},
               {"Architecture", m.architecture},
               {"ImageState", state::NameOf(m.State(now))},
               {"Platform", m.platform},
               {"ImageCreator", m.creator},
               {"ImageSource", state::NameOf(m.source)},
               {"SyncPercent", m.SyncPercent(now)},
               {"IsSupportCloudinit", m.cloud_init}},
          m.image_id, type, m.State(now)};
}

// ImageIds, or the filters (ANDed; values ORed). Unknown IDs are just absent.
bool Matches(const Json& p, const ImageRow& row) {
  if (p.contains("ImageIds")) {
    for (const Json& id : p["ImageIds"]) {
      if (id == row.id) return true;
    }
    return false;
  }
  if (!p.contains("Filters")) return true;
  for (const Json& f : p["Filters"]) {
    const std::string& name = f["Name"].get_ref<const std::string&>();
    std::string_view field = name == "image-id"     ? std::string_view(row.id)
                             : name == "image-type" ? state::NameOf(row.type)
                                                    : state::NameOf(row.state);
    bool any = false;
    for (const Json& v : f["Values"]) any |= v.get_ref<const std::string&>() == field;
    if (!any) return false;
  }
  return true;
}

HandlerResult DescribeImages(RequestContext& ctx, const Json& p) {
  std::vector<ImageRow> rows;
  for (const state::PublicImageInfo& pub : ctx.services.catalog.public_images()) rows.push_back(PublicRow(pub));
  for (const auto& v : ImageStore(ctx.services.db).ListVisible(ctx.account.app_id, ctx.region)) {
    rows.push_back(CustomRow(v, ctx.now()));
  }
  Json set = Json::array();
  int64_t total = 0, offset = p["Offset"].get<int64_t>(), limit = p["Limit"].get<int64_t>();
  for (ImageRow& row : rows) {
    if (!Matches(p, row)) continue;
    if (total >= offset && total < offset + limit) set.push_back(std::move(row.view));
    ++total;
  }
  return Json{{"ImageSet", std::move(set)}, {"TotalCount", total}};
}

Result<state::ImportImageChange> PlanImportImage(RequestContext& ctx, const Json& p) {
  state::ImportImageRequest r;
  r.name = p["ImageName"].get<std::string>();
  r.description = OptionalString(p, "ImageDescription");
  r.os_type = p["OsType"].get<std::string>();
  r.os_version = p["OsVersion"].get<std::string>();
  r.architecture = p["Architecture"].get<std::string>();
  r.url = p["ImageUrl"].get<std::string>();
  r.dry_run = p.value("DryRun", false);
  return state::PlanImportImage(ctx.scope(), r);
}

HandlerResult ApplyImportImage(RequestContext& ctx, const state::ImportImageChange& change) {
  state::ApplyImportImage(ctx.scope(), change);
  return Json::object();
}

HandlerResult DescribeImportImageOs(RequestContext& ctx, const Json&) {
  const state::Catalog& catalog = ctx.services.catalog;
  Json versions = Json::array();
  for (const state::ImportOsVersion& v : catalog.import_versions()) {
    versions.push_back({{"OsName", v.os_name}, {"OsVersions", v.versions}, {"Architecture", v.architectures}});
  }
  return Json{{"ImportImageOsListSupported",
               {{"Windows", catalog.importable_windows()}, {"Linux", catalog.importable_linux()}}},
              {"ImportImageOsVersionSet", std::move(versions)}};
}

HandlerResult DescribeImageSharePermission(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(Image image, state::FindOwnImage(ctx.scope(), p["ImageId"].get<std::string>()));
  Json set = Json::array();
  for (const state::ImageShare& share : ImageStore(ctx.services.db).Shares(image.rowid)) {
    const state::Account* account = ctx.services.accounts.FindByAppId(share.app_id);
    if (!account) continue;  // an account no longer in the accounts file
    set.push_back({{"CreatedTime", Iso(share.created_at)}, {"AccountId", account->uin}});
  }
  return Json{{"SharePermissionSet", std::move(set)}};
}

Result<state::ImageShareChange> PlanModifyImageSharePermission(RequestContext& ctx, const Json& p) {
  return state::PlanModifyImageSharePermission(ctx.scope(), p["ImageId"].get<std::string>(),
                                               Strings(p["AccountIds"]),
                                               p["Permission"].get<std::string>() == "SHARE");
}

HandlerResult ApplyModifyImageSharePermission(RequestContext& ctx, const state::ImageShareChange& change) {
  state::ApplyModifyImageSharePermission(ctx.scope(), change);
  return Json::object();
}

Result<state::SyncImagesChange> PlanSyncImages(RequestContext& ctx, const Json& p) {
  return state::PlanSyncImages(ctx.scope(), p["ImageIds"][0].get<std::string>(),
                               Strings(p["DestinationRegions"]));
}

HandlerResult ApplySyncImages(RequestContext& ctx, const state::SyncImagesChange& change) {
  state::ApplySyncImages(ctx.scope(), change);
  return Json::object();
}

HandlerResult DescribeImageQuota(RequestContext& ctx, const Json&) {
  return Json{{"ImageNumQuota", state::ImageQuota(ctx.scope())}};
}

}  // namespace

void RegisterImageHandlers(Registry& registry) {
  registry.AddMutation<PlanCreateImage, ApplyCreateImage>("CreateImage");
  registry.AddMutation<PlanDeleteImages, ApplyDeleteImages>("DeleteImages");
  registry.AddMutation<PlanModifyImageAttribute, ApplyModifyImageAttribute>("ModifyImageAttribute");
  registry.Add("DescribeImages", DescribeImages);
  registry.AddMutation<PlanImportImage, ApplyImportImage>("ImportImage");
  registry.Add("DescribeImportImageOs", DescribeImportImageOs, /*uses_database=*/false);
  registry.Add("DescribeImageSharePermission", DescribeImageSharePermission);
  registry.AddMutation<PlanModifyImageSharePermission, ApplyModifyImageSharePermission>(
      "ModifyImageSharePermission");
  registry.AddMutation<PlanSyncImages, ApplySyncImages>("SyncImages");
  registry.Add("DescribeImageQuota", DescribeImageQuota, /*uses_database=*/false);
}

}  // namespace cvm::handlers
