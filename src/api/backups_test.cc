#include "api/backups.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_refused;
using testing::expect_round_trip;

BackupEntry entry() { return {"backup-20261126T115012.345Z.jsonl", 4096, 1764157812345}; }

TEST(BackupsApiTest, RoundTrips) {
  expect_round_trip(BackupList{"/var/lib/borealis/backups", {entry(), entry()}});
  expect_round_trip(BackupList{});
  expect_round_trip(BackupTaken{entry()});
  expect_round_trip(BackupRestored{entry(), "the scheduler exits to restart from it"});
}

TEST(BackupsApiTest, Shape) {
  EXPECT_EQ(json::serialize(encode(BackupTaken{entry()})),
            R"({"backup":{"name":"backup-20261126T115012.345Z.jsonl","size_bytes":4096,)"
            R"("created_ms":1764157812345}})");
}

TEST(BackupsApiTest, RefusesMissingOrMistypedFields) {
  expect_refused(BackupTaken{entry()}, "/backup/name", "name");
  expect_refused(BackupList{"d", {entry()}}, "/backups", "backups");
}

}  // namespace
}  // namespace borealis::api
