// The one table between Status codes and HTTP statuses, and the API's error body
// ({"error": {"code": "NOT_FOUND", "message": "..."}}, docs/api.md). The scheduler answers
// through it and clients read answers through it, so both sides agree by construction.
//
// Thread-safety: pure functions over constant data.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::api {

struct HttpStatusMapping {
  StatusCode code;
  int http_status;
  // Whether a client reading `http_status` without a code in the body takes `code`. Two
  // codes share 409 (ALREADY_EXISTS, FAILED_PRECONDITION) and two share 503 (UNAVAILABLE,
  // IO_ERROR): the body's code tells them apart, and only one of each pair is canonical.
  bool canonical;
};

// Every row of the table; each error code appears exactly once.
std::span<const HttpStatusMapping> http_status_table();

// The HTTP status the server answers for `code` (500 for codes outside the table).
int http_status_for(StatusCode code);
// The code a client assumes from an HTTP error status when the body names none.
StatusCode status_code_for_http(int http_status);
// "INVALID_ARGUMENT" -> kInvalidArgument; nullopt for names this build does not know.
std::optional<StatusCode> status_code_from_name(std::string_view name);

// The error code of a standby scheduler's 503 while no leader is announced (an election is
// under way): the request was not acted on, and asking again shortly is safe.
inline constexpr std::string_view kNoLeaderCode = "NO_LEADER";
// Whether an answer is that 503.
bool is_no_leader_answer(int http_status, std::string_view body);

// {"error": {"code": ..., "message": ...}} for a non-ok status.
std::string error_body(const Status& status);
// The Status an error answer stands for: the code the body names, or the one the HTTP
// status implies, with the server's message; a body that is not the API's error shape (a
// proxy, an older server) is quoted in the message.
Status status_from_error_answer(int http_status, std::string_view body);

}  // namespace borealis::api
