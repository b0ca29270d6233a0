// Prices as the API shows them: every member of ItemPrice and Price present
// (absent ones null, D-09), amounts as JSON numbers written from whole fen
// with exactly two decimals (0.34, 45.00, 340.00: D-154).
#pragma once

#include "handlers/context.h"
#include "handlers/json_writer.h"
#include "state/price_engine.h"

namespace cvm::handlers {

void WriteItemPrice(JsonWriter& out, const state::ItemPrice& price);
void WritePrice(JsonWriter& out, const state::Price& price);

// {"Price": …}: the answer of a price inquiry.
HandlerResult PriceAnswer(const state::Price& price);

}  // namespace cvm::handlers
