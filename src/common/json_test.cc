#include "common/json.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

TEST(JsonTest, MalformedJsonSaysWhere) {
  auto r = parse_json("{\n  \"a\": 1,\n  \"b\": \n}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 4"), std::string::npos) << r.status().message();
}

TEST(JsonTest, FieldReaderNamesPathOfTypeErrors) {
  auto v = parse_json(R"({"task": {"resources": {"cpu": "lots"}}})").value();
  FieldReader top(v.as_object(), "");
  double cpu = 0;
  Status st = top.object("task", [&](FieldReader& t) {
    return t.object("resources", [&](FieldReader& r) { return r.get("cpu", &cpu); });
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "task.resources.cpu: expected a number, got a string");
}

TEST(JsonTest, FieldReaderRefusesUnknownFields) {
  auto v = parse_json(R"({"name": "x", "cpus": 1})").value();
  FieldReader r(v.as_object(), "job");
  std::string name;
  ASSERT_TRUE(r.get("name", &name).ok());
  EXPECT_EQ(name, "x");
  Status st = r.finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "job.cpus: unknown field");
}

TEST(JsonTest, RequiredAndDefaults) {
  auto v = parse_json(R"({"a": 3, "l": ["x", 2]})").value();
  FieldReader r(v.as_object(), "");
  int64_t a = 0, b = 9;
  EXPECT_TRUE(r.get("a", &a).ok());
  EXPECT_EQ(a, 3);
  EXPECT_TRUE(r.get("b", &b).ok());
  EXPECT_EQ(b, 9);
  EXPECT_EQ(r.get("b", &b, true).message(), "b: is required");
  std::vector<std::string> l;
  EXPECT_EQ(r.get("l", &l).message(), "l[1]: expected a string, got an integer");
}

TEST(JsonTest, PrettyPrintRoundTrips) {
  auto v = parse_json(R"({"a": [1, {"b": "c"}], "d": {}, "cpu": 0.30000000000000004,
                          "ram": 1073741824, "s": "\u00e9\n"})")
               .value();
  auto again = parse_json(to_pretty_json(v)).value();
  EXPECT_EQ(v, again);
}

TEST(JsonTest, PrettyPrintWritesNumbersAsPythonDoes) {
  json::value v = json::array{0.1, 15.0, 1.0, 2.5, 1e20, 7, -3, true, nullptr};
  EXPECT_EQ(to_pretty_json(v),
            "[\n  0.1,\n  15.0,\n  1.0,\n  2.5,\n  1e+20,\n  7,\n  -3,\n  true,\n  null\n]\n");
}

TEST(JsonTest, PrettyPrintIndentsAndKeepsMemberOrder) {
  json::value v = json::object{{"b", json::object{}}, {"a", json::array{}}, {"c", "x\"y"}};
  v.as_object()["d"] = json::object{{"e", json::array{1}}};
  EXPECT_EQ(to_pretty_json(v),
            "{\n  \"b\": {},\n  \"a\": [],\n  \"c\": \"x\\\"y\",\n  \"d\": {\n    \"e\": [\n"
            "      1\n    ]\n  }\n}\n");
}

}  // namespace
}  // namespace borealis

namespace borealis {
namespace {
TEST(JsonTest, AppendJsonStringEscapes) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
  auto back = parse_json(out);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->as_string(), "a\"b\\c\nd\x01");
}
}  // namespace
}  // namespace borealis
