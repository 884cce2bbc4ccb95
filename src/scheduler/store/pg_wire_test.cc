#include "scheduler/store/pg_wire.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace borealis::scheduler {
namespace {

std::string u32(uint32_t v) {
  uint32_t n = htonl(v);
  return std::string(reinterpret_cast<const char*>(&n), 4);
}
std::string u16(uint16_t v) {
  uint16_t n = htons(v);
  return std::string(reinterpret_cast<const char*>(&n), 2);
}
const std::string kHeader = std::string("PGCOPY\n\377\r\n\0", 11) + u32(0) + u32(0);
std::string row(const std::string& id, const std::string& data) {
  return u16(2) + u32(static_cast<uint32_t>(id.size())) + id +
         u32(static_cast<uint32_t>(data.size())) + data;
}

TEST(PgWireTest, TextArrayIsOneDimensionalTextWithLengthPrefixedElements) {
  TextArray a;
  a.add("t1");
  a.add("{\"x\":\"\\\"\"}");
  const std::string& wire = a.finish();
  std::string want =
      u32(1) + u32(0) + u32(25) + u32(2) + u32(1) + u32(2) + "t1" + u32(10) + "{\"x\":\"\\\"\"}";
  EXPECT_EQ(wire, want);
  EXPECT_EQ(a.size(), 2u);
}

TEST(PgWireTest, CopyReaderReadsRowsAcrossMessages) {
  CopyReader r;
  std::vector<Row> rows;
  ASSERT_TRUE(r.feed(kHeader + row("a", "{}"), rows).ok());
  ASSERT_TRUE(r.feed(row("b", std::string("x\0y", 3)), rows).ok());
  EXPECT_FALSE(r.finished());
  ASSERT_TRUE(r.feed(u16(0xffff), rows).ok());
  EXPECT_TRUE(r.finished());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"a", "{}"}));
  EXPECT_EQ(rows[1].second, std::string("x\0y", 3));
}

TEST(PgWireTest, CopyReaderRefusesHostileData) {
  std::vector<Row> rows;
  auto refused = [&](const std::string& message) {
    CopyReader r;
    return !r.feed(message, rows).ok();
  };
  EXPECT_TRUE(refused("PGCOPY\n"));  // short signature
  EXPECT_TRUE(refused(std::string("NOTCOPY\n\r\n\0", 11) + u32(0) + u32(0)));
  EXPECT_TRUE(refused(kHeader.substr(0, 13)));  // truncated header
  EXPECT_TRUE(refused(std::string("PGCOPY\n\377\r\n\0", 11) + u32(0) + u32(100)));
  EXPECT_TRUE(refused(kHeader + u16(3) + u32(1) + "a"));               // three fields
  EXPECT_TRUE(refused(kHeader + u16(2) + u32(1000) + "a"));            // length beyond data
  EXPECT_TRUE(refused(kHeader + u16(2) + u32(0xffffffffu) + u32(0)));  // NULL id
  EXPECT_TRUE(refused(kHeader + row("a", "b").substr(0, 9)));          // cut mid-row
  EXPECT_TRUE(refused(kHeader + u16(0xffff) + row("a", "b")));         // rows after the end
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace borealis::scheduler
