#include "api/http_status.h"

#include <array>

#include "common/json.h"
#include "common/strings.h"

namespace borealis::api {

namespace {

constexpr std::array<HttpStatusMapping, 10> kTable = {{
    {StatusCode::kInvalidArgument, 400, true},
    {StatusCode::kUnauthenticated, 401, true},
    {StatusCode::kPermissionDenied, 403, true},
    {StatusCode::kNotFound, 404, true},
    {StatusCode::kFailedPrecondition, 409, true},
    {StatusCode::kAlreadyExists, 409, false},
    {StatusCode::kResourceExhausted, 413, true},
    {StatusCode::kInternal, 500, true},
    {StatusCode::kUnavailable, 503, true},
    {StatusCode::kIoError, 503, false},
}};

}  // namespace

std::span<const HttpStatusMapping> http_status_table() { return kTable; }

int http_status_for(StatusCode code) {
  for (const auto& row : kTable)
    if (row.code == code) return row.http_status;
  return 500;
}

StatusCode status_code_for_http(int http_status) {
  for (const auto& row : kTable)
    if (row.canonical && row.http_status == http_status) return row.code;
  // Statuses the scheduler never sends but a proxy in front of it may.
  if (http_status == 429) return StatusCode::kResourceExhausted;
  return http_status >= 500 ? StatusCode::kInternal : StatusCode::kFailedPrecondition;
}

std::optional<StatusCode> status_code_from_name(std::string_view name) {
  for (const auto& row : kTable)
    if (status_code_name(row.code) == name) return row.code;
  return std::nullopt;
}

std::string error_body(const Status& status) {
  json::object err{{"code", status_code_name(status.code())}, {"message", status.message()}};
  return json::serialize(json::object{{"error", std::move(err)}});
}

Status status_from_error_answer(int http_status, std::string_view body) {
  StatusCode code = status_code_for_http(http_status);
  std::string message;
  auto doc = parse_json(body);
  const json::object* err = nullptr;
  if (doc.ok() && doc->is_object())
    if (const json::value* e = doc->get_object().if_contains("error"); e && e->is_object())
      err = &e->get_object();
  if (err) {
    if (const json::value* c = err->if_contains("code"); c && c->is_string())
      code = status_code_from_name(c->get_string()).value_or(code);
    if (const json::value* m = err->if_contains("message"); m && m->is_string())
      message = std::string(m->get_string());
  }
  if (message.empty()) {
    std::string text(trim(body.substr(0, 200)));
    message = "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text);
  }
  return Status(code, message);
}

bool is_no_leader_answer(int http_status, std::string_view body) {
  return http_status == 503 &&
         body.find("\"" + std::string(kNoLeaderCode) + "\"") != std::string_view::npos;
}

}  // namespace borealis::api
