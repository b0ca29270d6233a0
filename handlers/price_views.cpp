#include "handlers/price_views.h"

#include <memory>
#include <string>

namespace cvm::handlers {
namespace {

void Amount(JsonWriter& out, std::string_view name, const std::optional<state::Money>& amount) {
  out.Key(name);
  if (amount) {
    out.Raw(amount->Yuan());
  } else {
    out.Null();
  }
}

}  // namespace

void WriteItemPrice(JsonWriter& out, const state::ItemPrice& price) {
  out.BeginObject();
  Amount(out, "UnitPrice", price.unit_price);
  out.Key("ChargeUnit");
  if (price.charge_unit) {
    out.String(state::ChargeUnitName(*price.charge_unit));
  } else {
    out.Null();
  }
  Amount(out, "OriginalPrice", price.original_price);
  Amount(out, "DiscountPrice", price.discount_price);
  out.EndObject();
}

void WritePrice(JsonWriter& out, const state::Price& price) {
  out.BeginObject();
  out.Key("InstancePrice");
  WriteItemPrice(out, price.instance);
  out.Key("BandwidthPrice");
  if (price.bandwidth) {
    WriteItemPrice(out, *price.bandwidth);
  } else {
    out.Null();
  }
  out.EndObject();
}

HandlerResult PriceAnswer(const state::Price& price) {
  JsonWriter out;
  out.Key("Price");
  WritePrice(out, price);
  return Output::Serialized(std::make_shared<const std::string>(out.Take()));
}

}  // namespace cvm::handlers
