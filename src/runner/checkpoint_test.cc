#include "runner/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::TempSandbox;

Record process_record(std::string state) {
  Record r;
  r.type = Record::Type::kProcess;
  r.ts = 1700000000123;
  r.name = "hello \"world\"";
  r.run = 2;
  r.state = std::move(state);
  return r;
}

TEST(CheckpointTest, FormatsTheDocumentedLines) {
  Record runner;
  runner.type = Record::Type::kRunner;
  runner.ts = 1700000000000;
  runner.pid = 4242;
  runner.start_ticks = 123456;
  EXPECT_EQ(format_record(runner),
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
  Record runner;
  runner.type = Record::Type::kRunner;
  runner.ts = 1;
  runner.pid = 7;
  runner.start_ticks = 99;
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
  EXPECT_FALSE(parse_record("{\"ts\":1,\"type\":\"weird\"}").ok());
  EXPECT_FALSE(parse_record("{\"type\":\"task\"}").ok());
}

TEST(CheckpointTest, IgnoresALastLineWithoutNewline) {
  std::string text = format_record(process_record("RUNNING")) + "{\"ts\":2,\"type\":\"ta";
  auto records = parse_checkpoint(text);
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  EXPECT_EQ(records->size(), 1u);
  auto bad = parse_checkpoint("{\"ts\":1,\"type\":\"task\"}\nnot json\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 8), "line 2: ");
}

TEST(CheckpointTest, WriterAppendsWholeLinesStampedWithTheClock) {
  TempSandbox sb;
  std::string path = sb.file(".runner/checkpoint");
  FakeClock clock(1234);
  {
    auto writer = CheckpointWriter::open_exclusive(path, clock);
    ASSERT_TRUE(writer.ok()) << writer.status().to_string();
    (*writer)->write(process_record("RUNNING"));
    clock.advance_ms(10);
    Record done;
    done.state = "SUCCESS";
    (*writer)->write(done);
    EXPECT_TRUE((*writer)->last_error().ok());
    // A second runner cannot take the sandbox while this one holds it...
    auto second = CheckpointWriter::open_exclusive(path, clock);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.status().message().find("another runner owns this sandbox"),
              std::string::npos);
  }
  // ...nor after it, since the checkpoint is not empty.
  auto third = CheckpointWriter::open_exclusive(path, clock);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.status().message().find("is not empty"), std::string::npos);

  auto records = read_checkpoint(path);
  ASSERT_TRUE(records.ok()) << records.status().to_string();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].ts, 1234);
  EXPECT_EQ((*records)[0].state, "RUNNING");
  EXPECT_EQ((*records)[1].ts, 1244);
  EXPECT_EQ((*records)[1].state, "SUCCESS");
}

}  // namespace
}  // namespace borealis::runner
