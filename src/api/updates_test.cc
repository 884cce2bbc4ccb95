#include "api/updates.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"
#include "api/json_fields.h"
#include "common/instance_ranges.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

// Every field set, so a round trip checks each.
UpdateSummary summary() {
  return {"u1",
          "devcluster/www-data/prod/web",
          "ROLLING_FORWARD",
          true,
          false,
          true,
          1700000000000,
          1700000012000,
          "v2",
          "alice",
          10,
          4,
          1,
          2,
          1,
          3,
          "c2",
          json::object{{"batch_size", 2}},
          "INSTANCE_UPDATED"};
}

UpdateDetail detail() {
  UpdateDetail d;
  d.summary = summary();
  d.forward = {{0, "SUCCEEDED", 0, "t0", "c1", "c2"}, {1, "WATCHING", 1, "t1", "c1", "c2"}};
  d.rollback = {{0, "WAITING", 0, "", "c2", "c1"}};
  d.events = {{1700000000000, "ROLLING_FORWARD", -1, ""},
              {1700000001000, "INSTANCE_UPDATED", 0, "ok"}};
  return d;
}

TEST(UpdatesCodecTest, RoundTrips) {
  expect_round_trip(summary());
  UpdateSummary fresh = summary();
  fresh.last_event = "";
  expect_round_trip(fresh);
  expect_round_trip(detail());
  expect_round_trip(UpdateList{{summary(), fresh}});
  expect_round_trip(UpdateAnswer{summary(), ""});
  expect_round_trip(UpdateAnswer{std::nullopt, "no instance needs to change"});
  expect_round_trip(StartUpdateRequest{json::object{{"name", "web"}}, std::nullopt, ""});
  expect_round_trip(
      StartUpdateRequest{json::object{{"name", "web"}}, std::vector<int32_t>{0, 1}, "canary"});
  expect_round_trip(UpdateControlRequest{});
  expect_round_trip(UpdateControlRequest{"because"});
  expect_round_trip(RestartRequest{});
  expect_round_trip(RestartRequest{std::vector<int32_t>{2}, 3, 0});
  expect_round_trip(AddInstancesRequest{1, 4});
  expect_round_trip(AddInstancesResult{{5, 6, 7}});
}

TEST(UpdatesCodecTest, EncodingIsTheDocumentedShape) {
  EXPECT_EQ(json::serialize(encode(UpdateAnswer{std::nullopt, "m"})),
            R"({"update":null,"message":"m"})");
  EXPECT_EQ(json::serialize(encode(RestartRequest{})), "{}");
  EXPECT_EQ(json::serialize(encode(RestartRequest{std::vector<int32_t>{1}, 2, 30})),
            R"({"instances":[1],"batch_size":2,"watch_secs":30})");
  EXPECT_EQ(json::serialize(encode(summary())),
            R"({"update_id":"u1","job":"devcluster/www-data/prod/web","status":"ROLLING_FORWARD",)"
            R"("active":true,"rolling_back":false,"restart":true,"created_ms":1700000000000,)"
            R"("updated_ms":1700000012000,"message":"v2","user":"alice","instances_total":10,)"
            R"("instances_done":4,)"
            R"("instances_failed":1,"instances_in_flight":2,"failed_instances":1,"batch":3,)"
            R"("config_id":"c2","settings":{"batch_size":2},"last_event":"INSTANCE_UPDATED"})");
  json::object events = encode(detail());
  EXPECT_FALSE(events["update"].at("events").at(0).as_object().contains("instance"));
  EXPECT_EQ(events["update"].at("events").at(1).at("instance").as_int64(), 0);
}

TEST(UpdatesCodecTest, RefusesMissingRequiredFields) {
  expect_refused(UpdateAnswer{summary(), ""}, "/update", "update: is required");
  expect_refused(UpdateAnswer{summary(), ""}, "/update/update_id", "update.update_id: is required");
  expect_refused(UpdateAnswer{summary(), ""}, "/update/status", "update.status: is required");
  expect_refused(detail(), "/update", "update: is required");
  expect_refused(detail(), "/update/update_id", "update.update_id: is required");
  expect_refused(detail(), "/update/forward/1/instance", "update.forward[1].instance: is required");
  expect_refused(detail(), "/update/rollback/0/instance",
                 "update.rollback[0].instance: is required");
  expect_refused(detail(), "/update/events/0/kind", "update.events[0].kind: is required");
  expect_refused(UpdateList{{summary()}}, "/updates", "updates: is required");
  expect_refused(UpdateList{{summary()}}, "/updates/0/status", "updates[0].status: is required");
  expect_refused(StartUpdateRequest{json::object{}}, "/spec", "spec: is required");
  expect_refused(AddInstancesRequest{1, 2}, "/instance", "instance: is required");
  expect_refused(AddInstancesRequest{1, 2}, "/count", "count: is required");
  expect_refused(AddInstancesResult{{1}}, "/added", "added: is required");
}

TEST(UpdatesCodecTest, RefusesWrongTypes) {
  const json::value text = "x", number = 1;
  UpdateSummary u = summary();
  for (const char* f : {"/update_id", "/job", "/status", "/message", "/config_id", "/last_event"})
    expect_refused(u, f, std::string(f + 1) + ": expected a string", number);
  for (const char* f : {"/created_ms", "/updated_ms", "/instances_total", "/instances_done",
                        "/instances_failed", "/instances_in_flight", "/failed_instances", "/batch"})
    expect_refused(u, f, std::string(f + 1) + ": expected an integer", text);
  for (const char* f : {"/active", "/rolling_back", "/restart"})
    expect_refused(u, f, std::string(f + 1) + ": expected", text);
  UpdateDetail d = detail();
  expect_refused(d, "/update/forward", "update.forward: expected a list", text);
  expect_refused(d, "/update/forward/0", "update.forward[0]: expected an object", text);
  expect_refused(d, "/update/forward/0/phase", "update.forward[0].phase: expected a string",
                 number);
  expect_refused(d, "/update/forward/0/failures", "update.forward[0].failures: expected an integer",
                 text);
  expect_refused(d, "/update/forward/0/task_id", "update.forward[0].task_id: expected a string",
                 number);
  expect_refused(d, "/update/forward/0/from_config",
                 "update.forward[0].from_config: expected a string", number);
  expect_refused(d, "/update/forward/0/to_config", "update.forward[0].to_config: expected a string",
                 number);
  expect_refused(d, "/update/events/1/instance", "update.events[1].instance: expected an integer",
                 text);
  expect_refused(d, "/update/events/1/ts_ms", "update.events[1].ts_ms: expected an integer", text);
  expect_refused(d, "/update/events/1/message", "update.events[1].message: expected a string",
                 number);
  expect_refused(UpdateAnswer{std::nullopt, "m"}, "/message", "message: expected a string", number);
  expect_refused(UpdateAnswer{summary(), ""}, "/update", "update: expected an object", text);
  StartUpdateRequest start{json::object{}, std::vector<int32_t>{1}, "m"};
  expect_refused(start, "/instances", "instances: expected a list", text);
  expect_refused(start, "/instances/0", "instances[0]: must be between 0 and 999999, got -2", -2);
  expect_refused(start, "/message", "message: expected a string", number);
  expect_refused(UpdateControlRequest{"m"}, "/message", "message: expected a string", number);
  RestartRequest restart{std::vector<int32_t>{1}, 2, 3};
  expect_refused(restart, "/instances", "instances: expected a list", text);
  expect_refused(restart, "/batch_size", "batch_size: expected an integer", text);
  expect_refused(restart, "/watch_secs", "watch_secs: expected an integer", text);
  expect_refused(AddInstancesRequest{1, 2}, "/instance", "instance: expected an integer", text);
  expect_refused(AddInstancesRequest{1, 2}, "/count", "count: expected an integer", text);
  expect_refused(AddInstancesResult{{1}}, "/added/0", "added[0]: expected an instance id", text);
}

TEST(UpdatesCodecTest, RequestBoundsPassAtTheLimitAndFailOnePast) {
  const std::string long_message(kMaxRequestMessageBytes, 'm');
  const json::value too_long(std::string(kMaxRequestMessageBytes + 1, 'm'));
  const std::string too_long_error = "message: 1025 bytes, more than the limit of 1024";
  StartUpdateRequest start{json::object{}, std::nullopt, long_message};
  expect_round_trip(start);
  expect_refused(start, "/message", too_long_error, too_long);
  UpdateControlRequest control{long_message};
  expect_round_trip(control);
  expect_refused(control, "/message", too_long_error, too_long);

  RestartRequest restart{std::vector<int32_t>{1}, 10000, 1'000'000'000};
  expect_round_trip(restart);
  expect_refused(restart, "/batch_size", "batch_size: must be between 0 and 10000, got 10001",
                 10001);
  expect_refused(restart, "/watch_secs", "watch_secs: must be between -1 and 1000000000, got -2",
                 -2);
  AddInstancesRequest add{kMaxInstanceId, 10000};
  expect_round_trip(add);
  expect_refused(add, "/instance", "instance: must be between 0 and 999999, got 1000000", 1000000);
  expect_refused(add, "/count", "count: must be between 1 and 10000, got 0", 0);
  expect_refused(add, "/count", "count: must be between 1 and 10000, got 10001", 10001);
}

TEST(UpdatesCodecTest, RequestsRefuseUnknownFields) {
  auto r = decode<RestartRequest>(json::object{{"batchsize", 2}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "batchsize: unknown field");
  EXPECT_FALSE(decode<UpdateControlRequest>(json::object{{"msg", "x"}}).ok());
  EXPECT_FALSE(
      decode<AddInstancesRequest>(json::object{{"instance", 0}, {"count", 1}, {"x", 1}}).ok());
  EXPECT_FALSE(decode<StartUpdateRequest>(json::object{{"spec", json::object{}}, {"x", 1}}).ok());
}

TEST(UpdatesCodecTest, StatusNames) {
  EXPECT_EQ(update_status_names().size(), 11u);
  int ended = 0;
  for (const auto& s : update_status_names()) ended += is_update_ended(s);
  EXPECT_EQ(ended, 5);
  EXPECT_FALSE(is_update_ended("ROLLING_FORWARD"));
}

}  // namespace
}  // namespace borealis::api
