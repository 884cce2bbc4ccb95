#include "taskcontract/json_lite.h"

#include <gtest/gtest.h>

#include <string>

namespace borealis::taskcontract::json {
namespace {

TEST(JsonLiteTest, ParsesEveryKindOfValue) {
  auto v = parse(R"( {"s": "x\"y\\n\n\u00e9\ud83d\ude00", "i": -42, "d": 1.5e2, "t": true,
                     "f": false, "n": null, "a": [1, [], {}], "big": 12345678901234567890} )");
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  ASSERT_EQ(v->type, Value::Type::kObject);
  EXPECT_EQ(v->find("s")->string, "x\"y\\n\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(v->find("i")->is_integer);
  EXPECT_EQ(v->find("i")->integer, -42);
  EXPECT_FALSE(v->find("d")->is_integer);
  EXPECT_DOUBLE_EQ(v->find("d")->number, 150.0);
  EXPECT_TRUE(v->find("t")->boolean);
  EXPECT_EQ(v->find("f")->type, Value::Type::kBool);
  EXPECT_FALSE(v->find("f")->boolean);
  EXPECT_EQ(v->find("n")->type, Value::Type::kNull);
  EXPECT_EQ(v->find("a")->array.size(), 3u);
  EXPECT_FALSE(v->find("big")->is_integer);  // does not fit int64: kept as a double
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(JsonLiteTest, ErrorsSayLineAndColumn) {
  auto v = parse("{\n  \"a\": 1,\n  \"b\" 2\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "line 3, column 7: expected ':'");
}

TEST(JsonLiteTest, RefusesMalformedInput) {
  for (const char* text : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"abc",
                           "\"\\x\"", "\"\\ud800\"", "{} x", "[\"a\nb\"]", "nul"}) {
    EXPECT_FALSE(parse(text).ok()) << text;
  }
}

TEST(JsonLiteTest, LimitsNesting) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto v = parse(deep);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("nested too deeply"), std::string::npos);
  std::string ok(60, '[');
  ok += std::string(60, ']');
  EXPECT_TRUE(parse(ok).ok());
}

TEST(JsonLiteTest, QuotesStringsSoTheyParseBack) {
  std::string original = "tab\there \"quoted\" back\\slash \x01 nl\n \xC3\xA9";
  std::string quoted;
  append_quoted(&quoted, original);
  EXPECT_EQ(quoted, "\"tab\\there \\\"quoted\\\" back\\\\slash \\u0001 nl\\n \xC3\xA9\"");
  auto back = parse(quoted);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->string, original);
}

TEST(JsonLiteTest, QuotedSizeIsWhatAppendQuotedAppends) {
  for (std::string_view s :
       {std::string_view(""), std::string_view("plain"), std::string_view("q\"b\\n\nr\rt\t"),
        std::string_view("\x01\x1f\x7f\xc3\xa9", 5)}) {
    std::string out;
    append_quoted(&out, s);
    EXPECT_EQ(quoted_size(s), out.size()) << out;
  }
}

}  // namespace
}  // namespace borealis::taskcontract::json
