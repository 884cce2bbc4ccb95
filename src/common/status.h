// Status: the one error vocabulary. A code a caller can branch on plus a message a
// human can act on. Expected failures (bad input, I/O, network) travel as values;
// broken invariants abort (see BOREALIS_CHECK).
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace borealis {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; retrying will not help
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // creating something that exists
  kFailedPrecondition,  // the system is not in a state where this is allowed
  kUnavailable,         // a server or peer could not be reached; retry may help
  kResourceExhausted,   // too large, too many, out of capacity
  kUnauthenticated,     // no identity, or one that could not be verified (a bad token)
  kPermissionDenied,    // refused by policy (e.g. a path escaping a sandbox)
  kIoError,             // the file system or database failed
  kInternal,            // a bug on our side
};

std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with "context: ", so callers add where.
  Status with_context(std::string_view context) const;

  // "NOT_FOUND: job 'x' does not exist"
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status already_exists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status failed_precondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status resource_exhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status unauthenticated(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status permission_denied(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Aborts with a message when an invariant of our own code is broken. Never use it on
// input from outside the process.
[[noreturn]] void check_failed(const char* expr, const char* file, int line, std::string_view msg);

}  // namespace borealis

#define BOREALIS_CHECK(cond, msg)                                          \
  do {                                                                     \
    if (!(cond)) ::borealis::check_failed(#cond, __FILE__, __LINE__, msg); \
  } while (0)

// Returns the status from the enclosing function when it is not ok.
#define BOREALIS_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::borealis::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (0)
