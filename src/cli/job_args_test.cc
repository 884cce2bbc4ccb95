#include "cli/job_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;

TEST(JobArgsTest, KeyWithAndWithoutInstances) {
  auto plain = parse_instance_key("devcluster/www-data/prod/hello");
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(plain->key.to_string(), "devcluster/www-data/prod/hello");
  EXPECT_FALSE(plain->instances.has_value());

  auto some = parse_instance_key("devcluster/www-data/prod/hello/4,0-1");
  ASSERT_TRUE(some.ok()) << some.status().to_string();
  EXPECT_EQ(some->key.job.name, "hello");
  EXPECT_EQ(*some->instances, (std::vector<int32_t>{0, 1, 4}));
}

TEST(JobArgsTest, BadKeysSayWhatIsWrong) {
  auto short_key = parse_instance_key("devcluster/www-data/hello");
  ASSERT_FALSE(short_key.ok());
  EXPECT_THAT(short_key.status().message(),
              HasSubstr("must have the form CLUSTER/ROLE/ENVIRONMENT/NAME[/INSTANCES]"));

  auto bad_instances = parse_instance_key("c/r/prod/n/1-x");
  ASSERT_FALSE(bad_instances.ok());
  EXPECT_EQ(bad_instances.status().message(),
            "instances '1-x' in 'c/r/prod/n/1-x' must be a list of instance ids and ranges, "
            "such as 0-2,5: '1-x' is not an instance id or a range LO-HI");
  EXPECT_THAT(parse_instance_key("c/r/prod/n/0-1000000").status().message(),
              HasSubstr("instance id 1000000 is above the maximum of 999999"));
  EXPECT_FALSE(parse_instance_key("c/r/prod/n/").ok());
  EXPECT_FALSE(parse_instance_key("c/r/prod/n/3-1").ok());

  auto bad_role = parse_instance_key("c/r!/prod/n/0");
  ASSERT_FALSE(bad_role.ok());
  EXPECT_THAT(bad_role.status().message(), HasSubstr("role 'r!' may only contain"));
}

TEST(JobArgsTest, PlainKeyRefusesInstances) {
  EXPECT_TRUE(parse_job_key_arg("c/r/prod/n").ok());
  auto r = parse_job_key_arg("c/r/prod/n/0");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("does not take instances"));
}

TEST(JobArgsTest, Filters) {
  auto c = parse_job_filter("devcluster");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->cluster, "devcluster");
  EXPECT_EQ(c->role, "");
  auto cre = parse_job_filter("devcluster/www-data/prod");
  ASSERT_TRUE(cre.ok());
  EXPECT_EQ(cre->role, "www-data");
  EXPECT_EQ(cre->environment, "prod");
  EXPECT_EQ(cre->to_string(), "devcluster/www-data/prod");
  EXPECT_FALSE(parse_job_filter("a/b/c/d").ok());
  EXPECT_FALSE(parse_job_filter("devcluster/").ok());
  EXPECT_FALSE(parse_job_filter("").ok());
}

TEST(JobArgsTest, UpdateFiltersTakeAName) {
  auto job = parse_update_filter("devcluster/www-data/prod/web");
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  EXPECT_EQ(job->name, "web");
  EXPECT_EQ(job->to_string(), "devcluster/www-data/prod/web");
  EXPECT_EQ(parse_update_filter("devcluster")->to_string(), "devcluster");
  auto too_long = parse_update_filter("a/b/c/d/e");
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]"));
  EXPECT_FALSE(parse_update_filter("devcluster/www-data/prod/w!b").ok());
}

TEST(JobArgsTest, CanaryInstanceRanges) {
  auto k = parse_instance_key("devcluster/www-data/prod/web/0-1,4");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(*k->instances, (std::vector<int32_t>{0, 1, 4}));
  auto one = parse_instance_key("devcluster/www-data/prod/web/7");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one->instances, (std::vector<int32_t>{7}));
  for (const char* bad : {"0-", "-1", "1,,2", "a"})
    EXPECT_FALSE(parse_instance_key(std::string("devcluster/www-data/prod/web/") + bad).ok())
        << bad;
}

TEST(JobArgsTest, FormatsInstanceRanges) {
  EXPECT_EQ(format_instance_ranges({0, 1, 2, 4, 6, 7}), "0-2,4,6-7");
  EXPECT_EQ(format_instance_ranges({5}), "5");
  EXPECT_EQ(format_instance_ranges({}), "");
}

}  // namespace
}  // namespace borealis::cli
