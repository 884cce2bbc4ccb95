// Result<T>: a value or the Status saying why there is none.
#pragma once

#include <optional>
#include <utility>

#include "common/status.h"

namespace borealis {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    BOREALIS_CHECK(!status_.ok(), "Result built from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    BOREALIS_CHECK(ok(), status_.to_string());
    return *value_;
  }
  const T& value() const& {
    BOREALIS_CHECK(ok(), status_.to_string());
    return *value_;
  }
  T&& value() && {
    BOREALIS_CHECK(ok(), status_.to_string());
    return std::move(*value_);
  }
  T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace borealis

#define BOREALIS_CONCAT_INNER(a, b) a##b
#define BOREALIS_CONCAT(a, b) BOREALIS_CONCAT_INNER(a, b)

// BOREALIS_ASSIGN_OR_RETURN(auto x, make_x()); returns the error status on failure.
#define BOREALIS_ASSIGN_OR_RETURN(lhs, expr) \
  BOREALIS_ASSIGN_OR_RETURN_IMPL(BOREALIS_CONCAT(_res_, __LINE__), lhs, expr)
#define BOREALIS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
