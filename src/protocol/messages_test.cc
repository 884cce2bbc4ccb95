#include "protocol/messages.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::protocol {
namespace {

using api::testing::expect_refused;
using api::testing::expect_round_trip;

RegisterRequest registration() {
  RegisterRequest r;
  r.agent_id = "a1";
  r.hostname = "h";
  r.address = "h:5051";
  r.resources = {2.5, 1024, 4096, 0};
  r.ports = {{31000, 31999}, {32000, 32000}};
  r.attributes = {{"host", "h"}, {"rack", "r1"}};
  r.tasks = {{"t1", TaskState::kRunning}, {"t2", TaskState::kFinished}};
  return r;
}

PollAnswer poll_answer() {
  PollAnswer a;
  Command launch{42, "launch", {"t1", 3, "c1", {{"http", 31000}}}, "t1", ""};
  Command kill{43, "kill", {}, "t2", "killed by user"};
  a.commands = {launch, kill};
  a.configs = {{"c1", json::object{{"name", "hello"}}}};
  return a;
}

UpdatesRequest updates() {
  return UpdatesRequest{"a1",
                        {{5, "t", TaskState::kFinished, 9, "ok", {1}},
                         {6, "u", TaskState::kRunning, 10, "healthy: http", {2, 3}}}};
}

TEST(MessagesTest, RoundTrips) {
  expect_round_trip(registration());
  RegisterRequest gpu = registration();
  gpu.resources.gpu = 2;
  gpu.agent_id = "";
  expect_round_trip(gpu);
  expect_round_trip(RegisterRequest{"", "h", "", {1, 2, 3, 0}, {}, {}, {}});
  expect_round_trip(RegisterAnswer{"a9", 100, 2000});
  expect_round_trip(PollRequest{"a1", 41, std::nullopt});
  expect_round_trip(PollRequest{"a1", 0, std::vector<TaskReport>{{"t", TaskState::kStarting}}});
  expect_round_trip(PollRequest{"a1", 0, std::vector<TaskReport>{}});
  expect_round_trip(poll_answer());
  expect_round_trip(PollAnswer{});
  expect_round_trip(updates());
  expect_round_trip(UpdatesAnswer{17, {"x", "y"}});
  UpdatesRequest declaring = updates();
  declaring.dropped_seqs = {3, 4};
  expect_round_trip(declaring);
  expect_round_trip(UpdatesAnswer{17, {}, {{6, "updates[1].message: too long"}}});
}

TEST(MessagesTest, EncodingsAreTheDocumentedShapes) {
  EXPECT_EQ(json::serialize(encode(PollRequest{"a1", 41, std::nullopt})),
            R"({"agent_id":"a1","acked_command_seq":41})");
  // An agent without GPUs sends none, as before GPUs were counted.
  EXPECT_FALSE(encode(registration())["resources"].as_object().contains("gpu"));
  EXPECT_EQ(json::serialize(encode(poll_answer())),
            R"({"commands":[{"seq":42,"type":"launch","task_id":"t1","instance":3,)"
            R"("config_id":"c1","ports":{"http":31000}},)"
            R"({"seq":43,"type":"kill","task_id":"t2","reason":"killed by user"}],)"
            R"("configs":{"c1":{"name":"hello"}}})");
  EXPECT_EQ(json::serialize(encode(UpdatesAnswer{17, {"x"}})), R"({"acked_seq":17,"kill":["x"]})");
}

TEST(MessagesTest, SplicedPollAnswerEqualsTheEncodedOne) {
  PollAnswer a = poll_answer();
  std::string spliced = poll_answer_body(a.commands, {{"c1", R"({"name":"hello"})"}});
  EXPECT_EQ(spliced, json::serialize(encode(a)));
  auto back = api::decode_body<PollAnswer>(spliced);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, a);
  EXPECT_EQ(poll_answer_body({}, {}), R"({"commands":[],"configs":{}})");
}

TEST(MessagesTest, RegisterRequestRefusals) {
  RegisterRequest r = registration();
  const json::value text = "x", number = 1;
  expect_refused(r, "/hostname", "hostname: is required");
  expect_refused(r, "/resources", "resources: is required");
  for (const char* f : {"cpu", "ram", "disk"})
    expect_refused(r, std::string("/resources/") + f,
                   std::string("resources.") + f + ": is required");
  expect_refused(r, "/agent_id", "agent_id: expected a string", number);
  expect_refused(r, "/hostname", "hostname: expected a string", number);
  expect_refused(r, "/address", "address: expected a string", number);
  expect_refused(r, "/resources", "resources: expected an object", text);
  expect_refused(r, "/resources/cpu", "resources.cpu: expected a number", text);
  expect_refused(r, "/resources/ram", "resources.ram: expected an integer", text);
  expect_refused(r, "/resources/disk", "resources.disk: expected an integer", text);
  expect_refused(r, "/attributes", "attributes", text);
  expect_refused(r, "/ports", "ports: expected a list of [lo, hi]", text);
  expect_refused(r, "/ports/0", "ports: expected a list of [lo, hi]", json::array{1});
  expect_refused(r, "/ports/0", "ports: bad range 0-10", json::array{0, 10});
  expect_refused(r, "/ports/0", "ports: bad range 20-10", json::array{20, 10});
  expect_refused(r, "/ports/0", "ports: bad range 1-70000", json::array{1, 70000});
  expect_refused(r, "/tasks", "tasks: expected a list", text);
  expect_refused(r, "/tasks/1", "tasks[1]: expected an object", text);
  expect_refused(r, "/tasks/1/task_id", "tasks[1].task_id: is required");
  expect_refused(r, "/tasks/1/state", "tasks[1].state: unknown task state 'X'", json::value("X"));
  json::object extra = encode(r);
  extra["cpus"] = 4;
  EXPECT_EQ(api::decode<RegisterRequest>(extra).status().message(), "cpus: unknown field");
}

TEST(MessagesTest, RegisterResourcesAreBounded) {
  RegisterRequest r = registration();
  r.resources = {static_cast<double>(kMaxHostCpu), kMaxHostBytes, kMaxHostBytes, kMaxHostGpus};
  expect_round_trip(r);
  expect_refused(r, "/resources/cpu",
                 "resources.cpu: must be between 0 and 1000000 cores, got 1E16", 1e16);
  expect_refused(r, "/resources/cpu", "resources.cpu: must be between 0 and 1000000 cores", -1.0);
  expect_refused(r, "/resources/ram",
                 "resources.ram: must be between 0 and 1125899906842624, got 1125899906842625",
                 kMaxHostBytes + 1);
  expect_refused(r, "/resources/disk", "resources.disk: must be between 0 and 1125899906842624",
                 -1);
  expect_refused(r, "/resources/gpu", "resources.gpu: must be between 0 and 1000000", -1);
}

TEST(MessagesTest, RegisterTextIsBounded) {
  RegisterRequest r = registration();
  r.hostname = std::string(1024, 'h');
  r.attributes = {{std::string(1024, 'a'), std::string(1024, 'v')}};
  expect_round_trip(r);
  const json::value too_long(std::string(1025, 'x'));
  expect_refused(r, "/hostname", "hostname: 1025 bytes, more than the limit of 1024", too_long);
  expect_refused(r, "/address", "address: 1025 bytes, more than the limit of 1024", too_long);
  expect_refused(r, "/attributes/" + std::string(1024, 'a'),
                 "attributes." + std::string(1024, 'a') + ": 1025 bytes", too_long);
  json::object many;
  for (int i = 0; i <= 1000; ++i) many[std::to_string(i)] = "v";
  expect_refused(r, "/attributes", "attributes: 1001 entries, more than the limit of 1000", many);
  json::array ports(1001, json::array{31000, 31000});
  expect_refused(r, "/ports", "ports: 1001 entries, more than the limit of 1000", ports);
}

TEST(MessagesTest, RegisterAnswerRefusals) {
  RegisterAnswer a{"a9", 100, 2000};
  expect_refused(a, "/agent_id", "register answer.agent_id: is required");
  expect_refused(a, "/agent_id", "register answer.agent_id: must not be empty", json::value(""));
  expect_refused(a, "/agent_id", "register answer.agent_id: expected a string", 1);
  expect_refused(a, "/poll_timeout_ms", "register answer.poll_timeout_ms: must not be negative",
                 -1);
  expect_refused(a, "/poll_timeout_ms", "register answer.poll_timeout_ms: expected an integer",
                 "x");
  expect_refused(a, "/agent_timeout_ms", "register answer.agent_timeout_ms: expected an integer",
                 "x");
  EXPECT_FALSE(api::decode_body<RegisterAnswer>("not json").ok());
  // An answer may carry fields this agent does not know.
  json::object newer = encode(a);
  newer["leader"] = "s2";
  EXPECT_TRUE(api::decode<RegisterAnswer>(newer).ok());
}

TEST(MessagesTest, PollRequestRefusals) {
  PollRequest p{"a1", 3, std::vector<TaskReport>{{"t", TaskState::kRunning}}};
  expect_refused(p, "/agent_id", "agent_id: is required");
  expect_refused(p, "/agent_id", "agent_id: expected a string", 1);
  expect_refused(p, "/acked_command_seq", "acked_command_seq: expected an integer", "x");
  expect_refused(p, "/tasks", "tasks: expected a list", "x");
  expect_refused(p, "/tasks/0/state", "tasks[0].state: is required");
  json::object extra = encode(p);
  extra["tasks"].as_array()[0].as_object()["pid"] = 1;
  EXPECT_EQ(api::decode<PollRequest>(extra).status().message(), "tasks[0].pid: unknown field");
}

TEST(MessagesTest, PollAnswerRefusals) {
  PollAnswer a = poll_answer();
  const json::value text = "x";
  expect_refused(a, "/commands", "poll answer.commands: expected a list", text);
  expect_refused(a, "/commands/0", "poll answer.commands[0]: expected an object", text);
  expect_refused(a, "/commands/0/seq", "poll answer.commands[0].seq: is required");
  expect_refused(a, "/commands/0/seq", "poll answer.commands[0].seq: expected an integer", text);
  expect_refused(a, "/commands/0/type", "poll answer.commands[0].type: is required");
  expect_refused(a, "/commands/0/task_id", "poll answer.commands[0].task_id: is required");
  expect_refused(a, "/commands/1/task_id", "poll answer.commands[1].task_id: is required");
  expect_refused(a, "/commands/0/config_id", "poll answer.commands[0].config_id: is required");
  expect_refused(a, "/commands/0/instance", "poll answer.commands[0].instance: expected an integer",
                 text);
  expect_refused(a, "/commands/0/ports", "poll answer.commands[0].ports: expected an object", text);
  expect_refused(a, "/commands/0/ports/http",
                 "poll answer.commands[0].ports: port 'http' is not a port number", 0);
  expect_refused(a, "/commands/0/ports/http",
                 "poll answer.commands[0].ports: port 'http' is not a port number", text);
  expect_refused(a, "/commands/1/reason", "poll answer.commands[1].reason: expected a string", 1);
  expect_refused(a, "/configs", "poll answer.configs: expected an object", text);
}

TEST(MessagesTest, PollAnswerToleratesWhatANewerSchedulerSends) {
  auto a = api::decode_body<PollAnswer>(R"({
    "commands": [{"seq": 44, "type": "drain", "whatever": 1},
                 {"seq": 45, "type": "kill", "task_id": "t", "grace_secs": 5}],
    "future_field": true})");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->commands.size(), 2u);
  EXPECT_EQ(a->commands[0].type, "drain");
  EXPECT_EQ(a->commands[1].task_id, "t");
}

TEST(MessagesTest, UpdatesRequestRefusals) {
  UpdatesRequest u = updates();
  expect_refused(u, "/agent_id", "agent_id: is required");
  expect_refused(u, "/updates", "updates: is required");
  expect_refused(u, "/updates", "updates: expected a list", "x");
  expect_refused(u, "/updates/1/seq", "updates[1].seq: is required");
  expect_refused(u, "/updates/1/task_id", "updates[1].task_id: is required");
  expect_refused(u, "/updates/1/state", "updates[1].state: is required");
  expect_refused(u, "/updates/1/state", "updates[1].state: unknown task state 'PENDING'",
                 json::value("PENDING"));
  expect_refused(u, "/updates/1/pids/0", "updates[1].pids: expected integers", "x");
  json::object extra = encode(u);
  extra["updates"].as_array()[0].as_object()["extra"] = 1;
  EXPECT_EQ(api::decode<UpdatesRequest>(extra).status().message(),
            "updates[0].extra: unknown field");
}

TEST(MessagesTest, UpdateBoundsAreAtTheLimitAndRefusedPastIt) {
  UpdatesRequest u = updates();
  u.updates[0].message = std::string(kMaxStatusMessageBytes, 'm');
  u.updates[0].task_id = std::string(kMaxTaskIdBytes, 't');
  u.updates[0].pids = std::vector<int64_t>(kMaxReportedPids, 7);
  expect_round_trip(u);
  expect_refused(u, "/updates/0/message",
                 "updates[0].message: 4097 bytes, more than the limit of 4096",
                 json::value(std::string(kMaxStatusMessageBytes + 1, 'm')));
  expect_refused(u, "/updates/0/task_id",
                 "updates[0].task_id: 1025 bytes, more than the limit of 1024",
                 json::value(std::string(kMaxTaskIdBytes + 1, 't')));
  json::array pids(kMaxReportedPids + 1, json::value(7));
  expect_refused(u, "/updates/0/pids", "updates[0].pids: 1025 pids, more than 1024", pids);
  u.dropped_seqs = std::vector<int64_t>(kMaxDroppedSeqs, 1);
  expect_round_trip(u);
  expect_refused(u, "/dropped_seqs/0", "dropped_seqs: expected a list of seqs", "x");
  expect_refused(u, "/dropped_seqs", "dropped_seqs: 1001 seqs, more than the limit of 1000",
                 json::array(kMaxDroppedSeqs + 1, json::value(1)));
}

TEST(MessagesTest, ReceivedUpdatesSetsAsideTheBadOnesThatNameTheirSeq) {
  json::object body = encode(updates());
  auto& list = body["updates"].as_array();
  list.push_back(json::object{{"seq", 7}, {"task_id", "v"}, {"state", "PENDING"}});
  list.push_back(json::object{{"seq", 8}, {"task_id", "w"}, {"state", "LOST"}, {"extra", 1}});
  body["dropped_seqs"] = json::array{4};
  auto r = decode_received_updates(body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->request.updates, updates().updates);
  EXPECT_EQ(r->request.dropped_seqs, std::vector<int64_t>{4});
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0], (RejectedUpdate{7, "updates[2].state: unknown task state 'PENDING'"}));
  EXPECT_EQ(r->rejected[1], (RejectedUpdate{8, "updates[3].extra: unknown field"}));

  // Without a seq an update cannot be acknowledged on its own: the request is refused.
  list.push_back(json::object{{"task_id", "x"}, {"state", "LOST"}});
  auto no_seq = decode_received_updates(body);
  ASSERT_FALSE(no_seq.ok());
  EXPECT_EQ(no_seq.status().message(), "updates[4].seq: is required");
}

TEST(MessagesTest, UpdatesAnswerRefusals) {
  UpdatesAnswer a{17, {"x"}};
  expect_refused(a, "/acked_seq", "updates answer.acked_seq: is required");
  expect_refused(a, "/acked_seq", "updates answer.acked_seq: expected an integer", "x");
  expect_refused(a, "/kill", "updates answer.kill", "x");
  expect_refused(a, "/kill/0", "updates answer.kill", 1);
}

}  // namespace
}  // namespace borealis::protocol
