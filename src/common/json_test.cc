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

TEST(JsonTest, DuplicateKeysAreRefusedWithKeyPositionAndPath) {
  auto top = parse_json(R"({"name": "a", "name": "b"})");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.status().message(), "duplicate key 'name' at line 1, column 20 (name)");

  auto nested = parse_json(
      "{\"task\": {\"processes\": [{\"name\": \"x\"},\n"
      "  {\"name\": \"y\", \"cmdline\": \"a\", \"name\": \"z\"}]}}");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(nested.status().message(),
            "duplicate key 'name' at line 2, column 38 (task.processes[1].name)");
}

TEST(JsonTest, NumbersThatAreNotFiniteAreRefused) {
  for (const char* text : {R"({"cpu": 1e999})", R"({"cpu": -1e999})", R"({"cpu": 0E3000})"}) {
    auto v = parse_json(text);
    ASSERT_FALSE(v.ok()) << text << " read as " << json::serialize(*v);
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(v.status().message().find("number out of range at line 1"), std::string::npos)
        << v.status().message();
  }
  auto big = parse_json(R"({"cpu": 1e308, "zero": 0e-3000})");
  ASSERT_TRUE(big.ok()) << big.status().message();
  EXPECT_EQ(big->at("cpu").as_double(), 1e308);
}

TEST(JsonTest, SameKeyInDifferentObjectsIsFine) {
  auto v = parse_json(R"({"a": {"x": 1}, "b": {"x": 2}, "l": [{"x": 3}, {"x": 4}], "x": 5})");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->at("l").at(1).at("x").as_int64(), 4);
  EXPECT_EQ(v->at("x").as_int64(), 5);
}

TEST(JsonTest, KeysSplitByEscapesAreComparedWhole) {
  // "\u0061" is "a": the same key spelled two ways.
  auto r = parse_json(R"({"ab": 1, "\u0061b": 2})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate key 'ab'"), std::string::npos)
      << r.status().message();
}

TEST(JsonTest, TrailingDataIsRefused) {
  auto r = parse_json(R"({"a": 1} x)");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("malformed JSON at line 1"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace borealis
