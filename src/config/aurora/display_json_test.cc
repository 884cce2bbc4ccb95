#include "config/aurora/display_json.h"

#include <gtest/gtest.h>

namespace borealis::config {
namespace {

TEST(DisplayJsonTest, WritesNumbersAsPythonDoes) {
  json::value v = json::array{0.1, 15.0, 1.0, 2.5, 1e20, 7, -3, true, nullptr};
  EXPECT_EQ(to_display_json(v),
            "[\n  0.1,\n  15.0,\n  1.0,\n  2.5,\n  1e+20,\n  7,\n  -3,\n  true,\n  null\n]\n");
}

TEST(DisplayJsonTest, IndentsAndKeepsMemberOrder) {
  json::value v = json::object{{"b", json::object{}}, {"a", json::array{}}, {"c", "x\"y"}};
  v.as_object()["d"] = json::object{{"e", json::array{1}}};
  EXPECT_EQ(to_display_json(v),
            "{\n  \"b\": {},\n  \"a\": [],\n  \"c\": \"x\\\"y\",\n  \"d\": {\n    \"e\": [\n"
            "      1\n    ]\n  }\n}\n");
}

TEST(DisplayJsonTest, RoundTrips) {
  auto v = parse_json(R"({"cpu": 0.30000000000000004, "ram": 1073741824, "s": "\u00e9\n"})");
  ASSERT_TRUE(v.ok());
  auto again = parse_json(to_display_json(*v));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *v);
}

}  // namespace
}  // namespace borealis::config
