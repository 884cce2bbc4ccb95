#include "zk/node_path.h"

#include <gtest/gtest.h>

namespace borealis::zk {
namespace {

TEST(NodePathTest, AcceptsAbsolutePaths) {
  for (const char* path : {"/", "/aurora", "/aurora/www-data/prod/hello", "/a/member_"}) {
    EXPECT_TRUE(validate_node_path(path).ok()) << path;
  }
}

TEST(NodePathTest, RefusesMalformedPathsNamingThem) {
  struct Case {
    std::string path;
    std::string reason;
  };
  const Case cases[] = {
      {"", "is empty"},
      {"aurora", "does not start with '/'"},
      {"/aurora/", "ends with '/'"},
      {"/a//b", "empty component"},
      {"/a/../b", "'..' component"},
      {"/a/./b", "'.' or '..'"},
      {std::string("/a\nb"), "control character"},
      {"/" + std::string(1100, 'x'), "longer than 1024 bytes"},
  };
  for (const Case& c : cases) {
    Status st = validate_node_path(c.path);
    ASSERT_FALSE(st.ok()) << c.path;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find(c.reason), std::string::npos) << st.message();
  }
}

TEST(NodePathTest, ParentsOutermostFirst) {
  EXPECT_EQ(parent_paths("/a/b/c"), (std::vector<std::string>{"/a", "/a/b"}));
  EXPECT_TRUE(parent_paths("/a").empty());
  EXPECT_TRUE(parent_paths("/").empty());
}

}  // namespace
}  // namespace borealis::zk
