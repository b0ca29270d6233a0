// Images: CreateImage, DeleteImages, ModifyImageAttribute, DescribeImages,
// ImportImage, DescribeImportImageOs, DescribeImageSharePermission,
// ModifyImageSharePermission, SyncImages, DescribeImageQuota. The rules are
// state/image_service's; these read parameters and shape answers.
#include <algorithm>
#include <optional>
#include <set>

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

Json PublicImageJson(const state::PublicImageInfo& pub) {
  int64_t created = 0;
  state::ParseIso8601(pub.created_time, &created);
  return Json{{"ImageId", pub.image_id},
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
              {"IsSupportCloudinit", pub.cloud_init}};
}

Json CustomImageJson(const ImageStore::Visible& v, state::TimeMs now) {
  const Image& m = v.image;
  state::ImageType type = v.shared ? state::ImageType::kShared : state::ImageType::kPrivate;
  return Json{{"ImageId", m.image_id},
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
              {"IsSupportCloudinit", m.cloud_init}};
}

// ImageIds, or the filters (ANDed; values ORed), as a query of the custom
// images plus whether public ones can match. Unknown IDs, types and states
// just match nothing.
struct ImageFilters {
  state::ImageQuery custom;
  bool public_images = true;
};

ImageFilters ReadImageFilters(const Json& p) {
  ImageFilters out;
  std::set<state::ImageType> types = {state::ImageType::kPublic, state::ImageType::kPrivate,
                                      state::ImageType::kShared};
  std::optional<std::set<std::string>> ids;
  std::optional<std::set<state::ImageState>> states;
  auto narrow = [](auto& kept, auto values) {
    if (!kept) {
      kept = std::move(values);
      return;
    }
    std::erase_if(*kept, [&](const auto& v) { return !values.count(v); });
  };
  if (p.contains("ImageIds")) {
    std::vector<std::string> list = Strings(p["ImageIds"]);
    ids.emplace(list.begin(), list.end());
  }
  if (p.contains("Filters")) {
    for (const Json& f : p["Filters"]) {
      const std::string& name = f["Name"].get_ref<const std::string&>();
      std::vector<std::string> values = Strings(f["Values"]);
      if (name == "image-id") {
        narrow(ids, std::set<std::string>(values.begin(), values.end()));
      } else if (name == "image-type") {
        std::set<state::ImageType> named;
        for (const std::string& v : values) {
          if (auto t = state::ParseName<state::ImageType>(v)) named.insert(*t);
        }
        std::optional<std::set<state::ImageType>> kept(types);
        narrow(kept, named);
        types = *kept;
      } else {  // image-state
        std::set<state::ImageState> named;
        for (const std::string& v : values) {
          if (auto st = state::ParseName<state::ImageState>(v)) named.insert(*st);
        }
        narrow(states, named);
      }
    }
  }
  out.public_images = types.count(state::ImageType::kPublic) &&
                      (!states || states->count(state::ImageState::kNormal));
  out.custom.own = types.count(state::ImageType::kPrivate) > 0;
  out.custom.shared = types.count(state::ImageType::kShared) > 0;
  if (ids) out.custom.image_ids = std::vector<std::string>(ids->begin(), ids->end());
  if (states) out.custom.states = std::vector<state::ImageState>(states->begin(), states->end());
  return out;
}

// Public images first (the catalog's few, in its order), then the custom
// ones, oldest first; only the page's are written out (D-252).
HandlerResult DescribeImages(RequestContext& ctx, const Json& p) {
  ImageFilters filters = ReadImageFilters(p);
  int64_t offset = p["Offset"].get<int64_t>(), limit = p["Limit"].get<int64_t>();
  std::vector<const state::PublicImageInfo*> public_matches;
  if (filters.public_images) {
    const auto& ids = filters.custom.image_ids;
    for (const state::PublicImageInfo& pub : ctx.services.catalog.public_images()) {
      if (!ids || std::find(ids->begin(), ids->end(), pub.image_id) != ids->end()) {
        public_matches.push_back(&pub);
      }
    }
  }
  int64_t public_count = static_cast<int64_t>(public_matches.size());
  Json set = Json::array();
  for (int64_t i = offset; i < public_count && i < offset + limit; ++i) {
    set.push_back(PublicImageJson(*public_matches[static_cast<size_t>(i)]));
  }
  state::ImageQuery& custom = filters.custom;
  custom.offset = std::max<int64_t>(0, offset - public_count);
  custom.limit = limit - static_cast<int64_t>(set.size());
  custom.hidden_created = ctx.hidden_created();  // public images are never new (D-219)
  state::TimeMs now = ctx.now();
  ImageStore::Page page =
      ImageStore(ctx.services.db).ListVisible(ctx.account.app_id, ctx.region, custom, now);
  for (const auto& v : page.items) set.push_back(CustomImageJson(v, now));
  return Json{{"ImageSet", std::move(set)}, {"TotalCount", public_count + page.total}};
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
