#include "runner/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::TempSandbox;

TEST(CheckpointTest, WriterAppendsWholeLinesStampedWithTheClock) {
  TempSandbox sb;
  std::string path = sb.file(".runner/checkpoint");
  FakeClock clock(1234);
  {
    auto writer = CheckpointWriter::open_exclusive(path, clock);
    ASSERT_TRUE(writer.ok()) << writer.status().to_string();
    (*writer)->write(Record{.type = Record::Type::kProcess, .state = "RUNNING", .name = "web"});
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
