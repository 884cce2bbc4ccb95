#include "common/job_key.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

TEST(JobKeyTest, ParsesClusterKey) {
  auto k = parse_cluster_job_key("devcluster/www-data/prod/hello_world");
  ASSERT_TRUE(k.ok()) << k.status().to_string();
  EXPECT_EQ(k->cluster, "devcluster");
  EXPECT_EQ(k->job.role, "www-data");
  EXPECT_EQ(k->job.environment, "prod");
  EXPECT_EQ(k->job.name, "hello_world");
  EXPECT_EQ(k->to_string(), "devcluster/www-data/prod/hello_world");
}

TEST(JobKeyTest, RejectsWrongShapeAndCharacters) {
  auto a = parse_cluster_job_key("devcluster/www-data/prod");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("CLUSTER/ROLE/ENVIRONMENT/NAME"), std::string::npos);

  auto b = parse_cluster_job_key("devcluster/www data/prod/x");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("role 'www data'"), std::string::npos);

  auto c = parse_cluster_job_key("devcluster//prod/x");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("role must not be empty"), std::string::npos);
}

TEST(JobKeyTest, RejectsOverlongIdentifier) {
  EXPECT_FALSE(validate_identifier("name", std::string(256, 'a')).ok());
  EXPECT_TRUE(validate_identifier("name", std::string(255, 'a')).ok());
}

}  // namespace
}  // namespace borealis
