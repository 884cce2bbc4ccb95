#include "discovery/serverset_path.h"

#include <gtest/gtest.h>

namespace borealis::discovery {
namespace {

TEST(ServersetPath, DefaultIsRootRoleEnvironmentJob) {
  ServersetPolicy policy;
  auto dir = serverset_dir(policy, "www-data", "prod", "hello", std::nullopt);
  ASSERT_TRUE(dir.ok()) << dir.status().message();
  EXPECT_EQ(*dir, "/aurora/www-data/prod/hello");
  policy.root = "/";
  EXPECT_EQ(*serverset_dir(policy, "r", "e", "j", std::nullopt), "/r/e/j");
}

TEST(ServersetPath, ZkPathNeedsAnAllowedPrefix) {
  ServersetPolicy policy;
  auto refused = serverset_dir(policy, "r", "e", "j", std::string("/finagle/svc"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("it has no --zk-path-allow"), std::string::npos);

  policy.allowed_zk_paths = {"/finagle", "/other"};
  EXPECT_EQ(*serverset_dir(policy, "r", "e", "j", std::string("/finagle/svc")), "/finagle/svc");
  EXPECT_EQ(*serverset_dir(policy, "r", "e", "j", std::string("/finagle")), "/finagle");
  auto sibling = serverset_dir(policy, "r", "e", "j", std::string("/finagles/svc"));
  ASSERT_FALSE(sibling.ok());
  EXPECT_NE(sibling.status().message().find("--zk-path-allow /finagle, /other"), std::string::npos);
}

TEST(ServersetPath, InvalidZkPathIsRefusedWhateverTheAllowList) {
  ServersetPolicy policy;
  policy.allowed_zk_paths = {"/"};
  auto bad = serverset_dir(policy, "r", "e", "j", std::string("/a/../b"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*serverset_dir(policy, "r", "e", "j", std::string("/any/where")), "/any/where");
}

TEST(ServersetPath, PathUnderComparesWholeComponents) {
  EXPECT_TRUE(path_under("/a/b", "/a"));
  EXPECT_TRUE(path_under("/a", "/a"));
  EXPECT_FALSE(path_under("/ab", "/a"));
  EXPECT_FALSE(path_under("/", "/a"));
  EXPECT_TRUE(path_under("/x", "/"));
}

}  // namespace
}  // namespace borealis::discovery
