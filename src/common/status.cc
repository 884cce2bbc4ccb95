#include "common/status.h"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "common/enum_names.h"

namespace borealis {

namespace {
// Indexed by StatusCode.
constexpr std::array<std::string_view, 11> kCodeNames = {"OK",
                                                         "INVALID_ARGUMENT",
                                                         "NOT_FOUND",
                                                         "ALREADY_EXISTS",
                                                         "FAILED_PRECONDITION",
                                                         "UNAVAILABLE",
                                                         "RESOURCE_EXHAUSTED",
                                                         "UNAUTHENTICATED",
                                                         "PERMISSION_DENIED",
                                                         "IO_ERROR",
                                                         "INTERNAL"};
}  // namespace

std::string_view status_code_name(StatusCode code) {
  return enum_name(kCodeNames, code, "UNKNOWN");
}

Status Status::with_context(std::string_view context) const {
  if (ok()) return *this;
  std::string m;
  m.reserve(context.size() + 2 + message_.size());
  m.append(context).append(": ").append(message_);
  return Status(code_, std::move(m));
}

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string s(status_code_name(code_));
  s.append(": ").append(message_);
  return s;
}

void check_failed(const char* expr, const char* file, int line, std::string_view msg) {
  std::fprintf(stderr, "borealis: invariant broken at %s:%d: %s: %.*s\n", file, line, expr,
               static_cast<int>(msg.size()), msg.data());
  std::abort();
}

}  // namespace borealis
