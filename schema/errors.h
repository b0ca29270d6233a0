// API errors as values. Every code comes from error_codes.def; a raise site
// names a table entry and supplies the template's arguments, never a code string.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace cvm {

// One row of the error table: the wire code and its message template.
struct ErrorSpec {
  std::string_view code;
  std::string_view message_template;
};

namespace errors {
#define ERROR_CODE(id, code, message) inline constexpr ErrorSpec id{code, message};
#include "schema/error_codes.def"
#undef ERROR_CODE

// Every row of the table, in table order.
std::span<const ErrorSpec* const> All();

// Returns the row whose code is `code` (the first one, for codes that have
// several templates), or nullptr.
const ErrorSpec* FindByCode(std::string_view code);
}  // namespace errors

// Fills `{}` placeholders in order. Extra placeholders become empty; extra
// arguments are ignored.
std::string FormatTemplate(std::string_view tmpl, std::span<const std::string> args);

class ApiError {
 public:
  template <typename... Args>
  static ApiError Make(const ErrorSpec& spec, Args&&... args) {
    std::string parts[] = {ToText(std::forward<Args>(args))..., std::string()};
    return ApiError(spec, FormatTemplate(spec.message_template,
                                         std::span<const std::string>(parts, sizeof...(Args))));
  }

  // An error whose message is not the template's (injected faults).
  static ApiError WithMessage(const ErrorSpec& spec, std::string message) {
    return ApiError(spec, std::move(message));
  }

  std::string_view code() const { return spec_->code; }
  const ErrorSpec& spec() const { return *spec_; }
  const std::string& message() const { return message_; }
  bool Is(const ErrorSpec& spec) const { return spec_->code == spec.code; }

 private:
  ApiError(const ErrorSpec& spec, std::string message) : spec_(&spec), message_(std::move(message)) {}

  static std::string ToText(std::string_view s) { return std::string(s); }
  static std::string ToText(const std::string& s) { return s; }
  static std::string ToText(const char* s) { return s; }
  template <typename N>
    requires std::is_arithmetic_v<N>
  static std::string ToText(N n) {
    return std::to_string(n);
  }

  const ErrorSpec* spec_;
  std::string message_;
};

// Success, or one ApiError.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ApiError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  const ApiError& error() const { return *error_; }

 private:
  std::optional<ApiError> error_;
};

// A T, or one ApiError.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(ApiError error) : v_(std::move(error)) {}  // NOLINT
  Result(Status status) : v_(status.error()) {}     // REQUIRES: !status.ok()
  // Anything a T can be made from (e.g. a handler's JSON for its Output).
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, ApiError> && !std::is_same_v<std::decay_t<U>, Status> &&
             !std::is_same_v<std::decay_t<U>, Result>)
  Result(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, ApiError> v_;
};

#define CVM_CONCAT_INNER(a, b) a##b
#define CVM_CONCAT(a, b) CVM_CONCAT_INNER(a, b)

// Returns the error of a Status- or Result-valued expression from the caller.
#define CVM_RETURN_IF_ERROR(expr)                                        \
  do {                                                                   \
    if (auto cvm_status_ = (expr); !cvm_status_.ok()) return cvm_status_.error(); \
  } while (0)

// `CVM_ASSIGN_OR_RETURN(auto x, F());` binds the value or returns the error.
#define CVM_ASSIGN_OR_RETURN(lhs, expr) \
  CVM_ASSIGN_OR_RETURN_IMPL(CVM_CONCAT(cvm_result_, __LINE__), lhs, expr)
#define CVM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.error();              \
  lhs = std::move(tmp).value()

}  // namespace cvm
