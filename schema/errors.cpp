#include "schema/errors.h"

namespace cvm {
namespace errors {
namespace {
#define ERROR_CODE(id, code, message) &id,
constexpr const ErrorSpec* kAll[] = {
#include "schema/error_codes.def"
};
#undef ERROR_CODE
}  // namespace

std::span<const ErrorSpec* const> All() { return kAll; }

const ErrorSpec* FindByCode(std::string_view code) {
  for (const ErrorSpec* spec : kAll) {
    if (spec->code == code) return spec;
  }
  return nullptr;
}
}  // namespace errors

std::string FormatTemplate(std::string_view tmpl, std::span<const std::string> args) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  size_t next = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      if (next < args.size()) out += args[next];
      ++next;
      ++i;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

}  // namespace cvm
