#include "template/template.h"

#include <gtest/gtest.h>

namespace borealis::tmpl {
namespace {

TEST(TemplateTest, ParsesReferencePaths) {
  auto r = Ref::parse(" thermos.ports[http] ");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->path.size(), 3u);
  EXPECT_EQ(r->path[0].text, "thermos");
  EXPECT_EQ(r->path[2].kind, RefComponent::Kind::kIndex);
  EXPECT_EQ(r->path[2].text, "http");
  EXPECT_EQ(r->to_string(), "thermos.ports[http]");
  EXPECT_TRUE(r->in_scope("thermos"));
  EXPECT_EQ(Ref::parse("list[0].name")->to_string(), "list[0].name");
}

TEST(TemplateTest, ReadsDotBeforeIndexAsIndex) {
  auto r = Ref::parse("services.[memcache]");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->to_string(), "services[memcache]");
  EXPECT_FALSE(Ref::parse("a..[b]").ok());
  EXPECT_FALSE(Ref::parse(".[b]").ok());
}

TEST(TemplateTest, RejectsBadReferences) {
  EXPECT_FALSE(Ref::parse("").ok());
  EXPECT_FALSE(Ref::parse("a..b").ok());
  EXPECT_FALSE(Ref::parse("a.").ok());
  EXPECT_FALSE(Ref::parse("[0]").ok());
  EXPECT_FALSE(Ref::parse("a[0").ok());
  EXPECT_FALSE(Ref::parse("a b").ok());
  auto bad = Ref::parse("a b");
  EXPECT_NE(bad.status().message().find("'{{a b}}'"), std::string::npos);
}

TEST(TemplateTest, RefusesNestedMustaches) {
  auto r = parse("x {{a{{b}}}}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested mustache"), std::string::npos);
}

TEST(TemplateTest, InterpolatesFlatBindings) {
  std::map<std::string, std::string> b = {{"thermos.ports[http]", "31000"},
                                          {"mesos.instance", "3"}};
  auto r = interpolate("serve --port={{thermos.ports[http]}} --shard={{ mesos.instance }}",
                       map_resolver(b));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "serve --port=31000 --shard=3");
  EXPECT_TRUE(r->unbound.empty());
}

TEST(TemplateTest, LeavesUnboundReferencesAndReportsThem) {
  std::map<std::string, std::string> b = {{"a", "1"}};
  auto r = interpolate("{{a}} {{b}} {{b}} {{c.d}}", map_resolver(b));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "1 {{b}} {{b}} {{c.d}}");
  ASSERT_EQ(r->unbound.size(), 2u);
  EXPECT_EQ(r->unbound[0].to_string(), "b");
  EXPECT_EQ(r->unbound[1].to_string(), "c.d");
}

TEST(TemplateTest, ResolvedValuesAreInterpolatedAgain) {
  std::map<std::string, std::string> b = {{"greeting", "hello {{who}}"}, {"who", "world"}};
  auto r = interpolate("say {{greeting}}", map_resolver(b));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "say hello world");
}

TEST(TemplateTest, SelfReferenceIsAnError) {
  std::map<std::string, std::string> b = {{"a", "x{{a}}"}};
  auto r = interpolate("{{a}}", map_resolver(b));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("refers back to itself"), std::string::npos);
}

TEST(TemplateTest, UnmatchedBracesAreText) {
  auto r = interpolate("awk '{{print}' and {{", map_resolver({}));
  ASSERT_TRUE(r.ok());
}

}  // namespace
}  // namespace borealis::tmpl
