// The catalog actions: DescribeInstanceFamilyConfigs,
// DescribeInstanceTypeConfigs, DescribeZoneInstanceConfigInfos and
// DescribeInternetChargeTypeConfigs, answered from the seeded catalog without
// the database. Every answer is made of pieces rendered once per catalog;
// a request only picks the offers its filters name (D-156).
#include <string>
#include <vector>

#include "handlers/json_writer.h"
#include "handlers/params.h"
#include "handlers/price_views.h"
#include "handlers/registry.h"
#include "state/instance_rules.h"
#include "state/price_engine.h"

namespace cvm::handlers {
namespace {

using state::Catalog;
using state::OfferQuery;
using state::SaleOffer;

// What the catalog actions answer, rendered once per catalog (Catalog::Derived).
class CatalogAnswers {
 public:
  explicit CatalogAnswers(const Catalog& catalog) {
    JsonWriter families;
    families.Key("InstanceFamilyConfigSet").BeginArray();
    for (const state::InstanceFamilyInfo& f : catalog.families()) {
      families.BeginObject()
          .Field("InstanceFamilyName", f.name)
          .Field("InstanceFamily", f.family)
          .EndObject();
    }
    families.EndArray();
    families_ = std::make_shared<const std::string>(families.Take());

    JsonWriter charges;
    charges.Key("InternetChargeTypeConfigSet").BeginArray();
    for (const state::InternetChargeTypeInfo& t : catalog.internet_charge_types()) {
      charges.BeginObject()
          .Field("InternetChargeType", t.type)
          .Field("Description", t.description)
          .EndObject();
    }
    charges.EndArray();
    charge_types_ = std::make_shared<const std::string>(charges.Take());

    for (const SaleOffer& offer : catalog.offers()) {
      type_configs_.push_back(TypeConfig(offer));
      std::vector<std::string> items;
      for (state::ChargeType charge : catalog.sale_charge_types()) {
        items.push_back(QuotaItem(catalog, offer, charge));
      }
      quota_items_.push_back(std::move(items));
    }
  }

  const std::shared_ptr<const std::string>& families() const { return families_; }
  const std::shared_ptr<const std::string>& charge_types() const { return charge_types_; }
  // An offer's InstanceTypeConfig.
  const std::string& type_config(const SaleOffer& offer) const {
    return type_configs_[offer.index];
  }
  // An offer's InstanceTypeQuotaItem under the `charge`-th sale charge type.
  const std::string& quota_item(const SaleOffer& offer, size_t charge) const {
    return quota_items_[offer.index][charge];
  }

 private:
  static std::string TypeConfig(const SaleOffer& offer) {
    JsonWriter out;
    out.BeginObject()
        .Field("Zone", offer.zone->zone)
        .Field("InstanceType", offer.type->type)
        .Field("InstanceFamily", offer.type->family)
        .Field("GPU", offer.type->gpu)
        .Field("CPU", offer.type->cpu)
        .Field("Memory", offer.type->memory)
        .Field("CbsSupport", "TRUE")  // every type takes cloud disks (D-152)
        .Field("InstanceTypeState", offer.selling ? "AVAILABLE" : "UNAVAILABLE")
        .EndObject();
    return out.Take();
  }

  // The price is the engine's for one instance with the default system disk
  // (CLOUD_BASIC 50 GB) and, when prepaid, one month: what
  // InquiryPriceRunInstances answers for the same type, zone and charge type.
  static std::string QuotaItem(const Catalog& catalog, const SaleOffer& offer,
                               state::ChargeType charge) {
    state::PriceInput in;
    in.zone = offer.zone->zone;
    in.instance_type = offer.type->type;
    in.instance_charge_type = charge;
    Result<state::ItemPrice> price = state::PriceInstances(catalog, in);
    if (!price.ok()) throw std::runtime_error("the catalog cannot price " + in.instance_type);
    JsonWriter out;
    out.BeginObject()
        .Field("Zone", offer.zone->zone)
        .Field("InstanceType", offer.type->type)
        .Field("InstanceChargeType", state::NameOf(charge))
        .Field("NetworkCard", offer.type->network_card);
    out.Key("Externals").BeginObject();
    out.Key("ReleaseAddress").Null().Key("UnsupportNetworks").Null().Key("StorageBlockAttr").Null();
    out.EndObject();
    out.Field("Cpu", offer.type->cpu)
        .Field("Memory", offer.type->memory)
        .Field("InstanceFamily", offer.type->family)
        .Field("TypeName", offer.type->type_name);
    out.Key("LocalDiskTypeList").BeginArray();
    for (const state::LocalDiskTypeInfo& d : offer.type->local_disks) {
      out.BeginObject()
          .Field("Type", d.type)
          .Field("PartitionType", d.partition_type)
          .Field("MinSize", d.min_size)
          .Field("MaxSize", d.max_size)
          .EndObject();
    }
    out.EndArray();
    out.Field("Status", offer.selling ? "SELL" : "SOLD_OUT").Key("Price");
    WriteItemPrice(out, *price);
    out.EndObject();
    return out.Take();
  }

  std::shared_ptr<const std::string> families_, charge_types_;
  std::vector<std::string> type_configs_;              // by offer index
  std::vector<std::vector<std::string>> quota_items_;  // by offer index, then charge type
};

const CatalogAnswers& Answers(const RequestContext& ctx) {
  return ctx.services.catalog.Derived<CatalogAnswers>();
}

// The filters both instance type actions share, as an offer query; the
// `instance-charge-type` values go to `charge_types` when asked for.
// Errors: InvalidZone.MismatchRegion for a zone that is not the region's
// (D-51); InvalidInstanceType.Malformed for an instance-type value not shaped
// like one.
Result<OfferQuery> ReadOfferFilters(const RequestContext& ctx, const Json& p,
                                    std::optional<OfferQuery::Values>* charge_types = nullptr) {
  OfferQuery query;
  if (!p.contains("Filters")) return query;
  const Json& filters = p["Filters"];
  for (size_t i = 0; i < filters.size(); ++i) {
    const std::string& name = filters[i]["Name"].get_ref<const std::string&>();
    std::vector<std::string> values = Strings(filters[i]["Values"]);
    std::string path = "Filters." + std::to_string(i) + ".Values";
    if (name == "zone") {
      for (const std::string& zone : values) {
        CVM_RETURN_IF_ERROR(ctx.CheckZoneOfRegion(zone, path));
      }
      OfferQuery::Narrow(query.zones, values);
    } else if (name == "instance-family") {
      OfferQuery::Narrow(query.families, values);
    } else if (name == "instance-type") {
      for (const std::string& type : values) {
        if (!state::IsInstanceTypeShape(type) && !state::IsCdhTypeShape(type)) {
          return ApiError::Make(errors::kInvalidInstanceTypeMalformed, path,
                                "`" + type + "` is not of the form FAMILY.SIZE, e.g. S1.SMALL1");
        }
      }
      OfferQuery::Narrow(query.types, values);
    } else if (name == "instance-charge-type" && charge_types) {
      OfferQuery::Narrow(*charge_types, values);
    }
  }
  return query;
}

HandlerResult DescribeInstanceFamilyConfigs(RequestContext& ctx, const Json&) {
  return Output::Serialized(Answers(ctx).families());
}

HandlerResult DescribeInternetChargeTypeConfigs(RequestContext& ctx, const Json&) {
  return Output::Serialized(Answers(ctx).charge_types());
}

HandlerResult DescribeInstanceTypeConfigs(RequestContext& ctx, const Json& p) {
  CVM_ASSIGN_OR_RETURN(OfferQuery query, ReadOfferFilters(ctx, p));
  const CatalogAnswers& answers = Answers(ctx);
  JsonWriter out;
  out.Key("InstanceTypeConfigSet").BeginArray();
  for (const SaleOffer* offer : ctx.services.catalog.FindOffers(ctx.region, query)) {
    out.Raw(answers.type_config(*offer));
  }
  out.EndArray();
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

HandlerResult DescribeZoneInstanceConfigInfos(RequestContext& ctx, const Json& p) {
  std::optional<OfferQuery::Values> charge_types;
  CVM_ASSIGN_OR_RETURN(OfferQuery query, ReadOfferFilters(ctx, p, &charge_types));
  const std::vector<state::ChargeType>& sold_as = ctx.services.catalog.sale_charge_types();
  std::vector<size_t> charges;  // positions in sold_as the filter keeps
  for (size_t i = 0; i < sold_as.size(); ++i) {
    if (!charge_types || charge_types->count(state::NameOf(sold_as[i]))) charges.push_back(i);
  }
  const CatalogAnswers& answers = Answers(ctx);
  JsonWriter out;
  out.Key("InstanceTypeQuotaSet").BeginArray();
  if (!charges.empty()) {
    for (const SaleOffer* offer : ctx.services.catalog.FindOffers(ctx.region, query)) {
      for (size_t charge : charges) out.Raw(answers.quota_item(*offer, charge));
    }
  }
  out.EndArray();
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

}  // namespace

void RegisterCatalogHandlers(Registry& registry) {
  registry.Add("DescribeInstanceFamilyConfigs", DescribeInstanceFamilyConfigs,
               /*uses_database=*/false);
  registry.Add("DescribeInstanceTypeConfigs", DescribeInstanceTypeConfigs, /*uses_database=*/false);
  registry.Add("DescribeZoneInstanceConfigInfos", DescribeZoneInstanceConfigInfos,
               /*uses_database=*/false);
  registry.Add("DescribeInternetChargeTypeConfigs", DescribeInternetChargeTypeConfigs,
               /*uses_database=*/false);
}

}  // namespace cvm::handlers
