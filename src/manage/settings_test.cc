#include "manage/settings.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace borealis::manage {
namespace {

TEST(SettingsTest, ReadsEveryKey) {
  auto s = parse_settings("s.yaml",
                          "cluster: devcluster\n"
                          "artifacts: http://store:8080/builds\n"
                          "prod_stages: [prod, live]\n"
                          "git: {remote: upstream, branch: trunk}\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->cluster, "devcluster");
  EXPECT_EQ(s->artifacts, "http://store:8080/builds");
  EXPECT_TRUE(s->is_prod("live"));
  EXPECT_FALSE(s->is_prod("devel"));
  EXPECT_EQ(s->main_ref(), "upstream/trunk");
}

TEST(SettingsTest, DefaultsWhenTheFileIsMissing) {
  testing::TempDir dir;
  auto s = load_settings(dir.path());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->path.empty());
  EXPECT_TRUE(s->is_prod("prod"));
  EXPECT_EQ(s->main_ref(), "origin/main");
}

TEST(SettingsTest, EmptyRemoteMeansALocalBranch) {
  auto s = parse_settings("s.yaml", "git:\n  remote: ''\n  branch: main\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->main_ref(), "main");
}

TEST(SettingsTest, UnknownKeyNamesFileAndLine) {
  auto s = parse_settings("/c/settings.yaml", "cluster: a\nartefacts: /x\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "/c/settings.yaml:2: unknown key 'artefacts' in settings (known: cluster, artifacts, "
            "prod_stages, git)");
}

TEST(SettingsTest, BadValuesNameTheirLine) {
  EXPECT_EQ(parse_settings("s.yaml", "cluster: a\nprod_stages: prod\n").status().message(),
            "s.yaml:2: prod_stages must be a list of stage names");
  EXPECT_EQ(parse_settings("s.yaml", "git:\n  branch: --force\n").status().message(),
            "s.yaml:2: git.branch '--force' is not a git name");
  EXPECT_EQ(parse_settings("s.yaml", "git:\n  tag: v1\n").status().message(),
            "s.yaml:2: unknown key 'tag' in git (known: remote, branch)");
  EXPECT_EQ(parse_settings("s.yaml", "cluster: [a\n").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace borealis::manage
