#include "api/http_status.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace borealis::api {
namespace {

const StatusCode kErrorCodes[] = {StatusCode::kInvalidArgument,  StatusCode::kNotFound,
                                  StatusCode::kAlreadyExists,    StatusCode::kFailedPrecondition,
                                  StatusCode::kUnavailable,      StatusCode::kResourceExhausted,
                                  StatusCode::kPermissionDenied, StatusCode::kIoError,
                                  StatusCode::kInternal,         StatusCode::kUnauthenticated};

TEST(HttpStatusTest, EveryErrorCodeHasOneRow) {
  std::map<StatusCode, int> rows;
  for (const auto& row : http_status_table()) EXPECT_TRUE(rows.emplace(row.code, 1).second);
  for (StatusCode c : kErrorCodes) EXPECT_TRUE(rows.contains(c)) << status_code_name(c);
  EXPECT_FALSE(rows.contains(StatusCode::kOk));
}

TEST(HttpStatusTest, CanonicalRowsAreABijection) {
  std::set<int> statuses;
  for (const auto& row : http_status_table()) {
    if (!row.canonical) continue;
    EXPECT_TRUE(statuses.insert(row.http_status).second)
        << row.http_status << " is canonical for two codes";
    EXPECT_EQ(status_code_for_http(http_status_for(row.code)), row.code);
    EXPECT_EQ(http_status_for(status_code_for_http(row.http_status)), row.http_status);
  }
  // Every HTTP status the server sends has a canonical code.
  for (const auto& row : http_status_table()) EXPECT_TRUE(statuses.contains(row.http_status));
}

TEST(HttpStatusTest, SharedStatusesAreToldApartByTheBody) {
  EXPECT_EQ(http_status_for(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(http_status_for(StatusCode::kIoError), 503);
  for (StatusCode c : kErrorCodes) {
    Status st(c, "why");
    Status back = status_from_error_answer(http_status_for(c), error_body(st));
    EXPECT_EQ(back.code(), c) << status_code_name(c);
    EXPECT_EQ(back.message(), "why");
  }
}

TEST(HttpStatusTest, DocumentedStatuses) {
  EXPECT_EQ(http_status_for(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_for(StatusCode::kNotFound), 404);
  EXPECT_EQ(http_status_for(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(http_status_for(StatusCode::kResourceExhausted), 413);
  EXPECT_EQ(http_status_for(StatusCode::kUnavailable), 503);
}

TEST(HttpStatusTest, ErrorBodyShape) {
  EXPECT_EQ(error_body(not_found("job x does not exist")),
            R"({"error":{"code":"NOT_FOUND","message":"job x does not exist"}})");
}

TEST(HttpStatusTest, ForeignAnswersKeepTheirText) {
  Status st = status_from_error_answer(502, "<html>bad gateway</html>");
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_EQ(st.message(), "HTTP 502: <html>bad gateway</html>");
  EXPECT_EQ(status_from_error_answer(429, "").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status_from_error_answer(418, "").message(), "HTTP 418");
  // An unknown code name falls back to the HTTP status.
  EXPECT_EQ(status_from_error_answer(404, R"({"error":{"code":"NEW_CODE","message":"m"}})").code(),
            StatusCode::kNotFound);
}

TEST(HttpStatusTest, NamesRoundTrip) {
  for (StatusCode c : kErrorCodes) EXPECT_EQ(status_code_from_name(status_code_name(c)), c);
  EXPECT_FALSE(status_code_from_name("OK"));
  EXPECT_FALSE(status_code_from_name("nope"));
}

TEST(HttpStatusTest, ANoLeaderAnswerIsAStandbys503NamingIt) {
  std::string body = error_body(Status(StatusCode::kUnavailable, "election under way"));
  body.replace(body.find("UNAVAILABLE"), 11, std::string(kNoLeaderCode));
  EXPECT_TRUE(is_no_leader_answer(503, body));
  EXPECT_FALSE(is_no_leader_answer(502, body));
  EXPECT_FALSE(is_no_leader_answer(503, error_body(Status(StatusCode::kUnavailable, "busy"))));
  EXPECT_FALSE(is_no_leader_answer(503, "upstream says NO_LEADER_FOUND"));
}

}  // namespace
}  // namespace borealis::api
