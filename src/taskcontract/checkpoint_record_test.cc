#include "taskcontract/checkpoint_record.h"

#include <gtest/gtest.h>

namespace borealis::taskcontract {
namespace {

using Record = CheckpointRecord;

Record process_record(std::string state) {
  Record r;
  r.type = Record::Type::kProcess;
  r.ts = 1700000000123;
  r.name = "hello \"world\"";
  r.run = 2;
  r.state = std::move(state);
  return r;
}

Record runner_record(TimeMs ts, int64_t pid, int64_t start_ticks) {
  return Record{.type = Record::Type::kRunner, .ts = ts, .pid = pid, .start_ticks = start_ticks};
}

TEST(CheckpointTest, FormatsTheDocumentedLines) {
  EXPECT_EQ(format_record(runner_record(1700000000000, 4242, 123456)),
            "{\"ts\":1700000000000,\"type\":\"runner\",\"pid\":4242,\"start_ticks\":123456}\n");

  Record task;
  task.ts = 5;
  task.state = "FAILED";
  task.message = "process 'hello' failed 1 time (max_failures 1)";
  EXPECT_EQ(format_record(task),
            "{\"ts\":5,\"type\":\"task\",\"state\":\"FAILED\",\"message\":\"process 'hello' "
            "failed 1 time (max_failures 1)\"}\n");

  Record running = process_record("RUNNING");
  running.pid = 4250;
  EXPECT_EQ(format_record(running),
            "{\"ts\":1700000000123,\"type\":\"process\",\"name\":\"hello \\\"world\\\"\","
            "\"run\":2,\"state\":\"RUNNING\",\"pid\":4250}\n");
  Record failed = process_record("FAILED");
  failed.exit_code = 1;
  EXPECT_EQ(format_record(failed),
            "{\"ts\":1700000000123,\"type\":\"process\",\"name\":\"hello \\\"world\\\"\","
            "\"run\":2,\"state\":\"FAILED\",\"exit_code\":1}\n");
}

TEST(CheckpointTest, RecordsParseBack) {
  Record runner = runner_record(1, 7, 99);
  Record killed = process_record("KILLED");
  killed.signal = 15;
  killed.exit_code = 0;
  Record task;
  task.ts = 3;
  task.state = "KILLED";
  task.message = "killed: the runner got SIGTERM";
  for (const Record& r : {runner, killed, task}) {
    std::string line = format_record(r);
    auto back = parse_record(line.substr(0, line.size() - 1));
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(*back, r) << line;
  }
}

TEST(CheckpointTest, ReadsWhatANewerRunnerMayAdd) {
  auto task = parse_record(R"({"ts":6,"type":"task","state":"FAILED","message":"boom","x":true})");
  ASSERT_TRUE(task.ok()) << task.status().to_string();
  EXPECT_EQ(task->type, Record::Type::kTask);
  EXPECT_EQ(task->message, "boom");
  auto other = parse_record(R"({"ts":7,"type":"resources","cpu":1})");
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  EXPECT_EQ(other->type, Record::Type::kOther);
  EXPECT_EQ(other->ts, 7);
}

std::string error_of(std::string_view line) {
  auto r = parse_record(line);
  return r.ok() ? "ok" : r.status().message();
}

TEST(CheckpointTest, RefusesBrokenLinesSayingWhy) {
  EXPECT_NE(error_of("{\"ts\":1,\"type\":"), "ok");
  EXPECT_EQ(error_of("[1,2]"), "expected an object");
  EXPECT_EQ(error_of(R"({"ts":1})"), "type: is required");
  EXPECT_EQ(error_of(R"({"type":"task","state":"ACTIVE"})"), "ts: is required");
  EXPECT_EQ(error_of(R"({"ts":1,"type":"runner"})"), "pid: is required");
  EXPECT_EQ(error_of(R"({"ts":1,"type":"runner","pid":0})"),
            "pid: a runner record needs a positive pid");
  EXPECT_EQ(error_of(R"({"ts":1,"type":"task"})"), "state: a task record needs one");
  EXPECT_EQ(error_of(R"({"ts":1,"type":"process","name":"a","run":0})"),
            "state: a process record needs one");
  EXPECT_EQ(error_of(R"({"ts":1,"type":"process","name":"a","state":"RUNNING","run":"0"})"),
            "run: expected an integer");
}

TEST(CheckpointTest, IgnoresALastLineWithoutNewline) {
  std::string text = format_record(process_record("RUNNING")) + "{\"ts\":2,\"type\":\"ta";
  auto records = parse_checkpoint(text);
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  EXPECT_EQ(records->size(), 1u);
  auto bad = parse_checkpoint("{\"ts\":1,\"type\":\"task\",\"state\":\"ACTIVE\"}\nnot json\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 8), "line 2: ");
}

}  // namespace
}  // namespace borealis::taskcontract
