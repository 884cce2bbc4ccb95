#include "cli/job_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/test_util.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

std::string job_json(const std::string& name, const std::string& extra = "",
                     const std::string& cpu = "0.5", const std::string& cluster = "devcluster") {
  return R"({"name": ")" + name + R"(", "role": "www-data", "environment": "prod",
    "cluster": ")" +
         cluster + R"(", "instances": 2)" + extra + R"(,
    "task": {"processes": [{"name": "main", "cmdline": "echo hi"}],
             "resources": {"cpu": )" +
         cpu + R"(, "ram": 67108864, "disk": 67108864}}})";
}

ClusterJobKey key(const std::string& name, const std::string& cluster = "devcluster") {
  return ClusterJobKey{cluster, JobKey{"www-data", "prod", name}};
}

TEST(JobFileTest, LoadsOneJob) {
  TempDir dir;
  std::string f = dir.write("hello.json", job_json("hello"));
  auto job = load_job_spec(f, key("hello"), {});
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  EXPECT_EQ(job->name, "hello");
  EXPECT_EQ(job->instances, 2);
  EXPECT_EQ(job->task.resources->cpu, 0.5);
}

TEST(JobFileTest, KeyPicksOneOfSeveralJobs) {
  TempDir dir;
  std::string f =
      dir.write("jobs.json", "{\"jobs\": [" + job_json("a") + ", " + job_json("b") + "]}");
  auto b = load_job_spec(f, key("b"), {});
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(b->name, "b");

  auto none = load_job_spec(f, key("c"), {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            f + ": has no job devcluster/www-data/prod/c; the jobs it defines are: "
                "devcluster/www-data/prod/a, devcluster/www-data/prod/b");
}

TEST(JobFileTest, MismatchNamesBothValues) {
  TempDir dir;
  std::string f = dir.write("hello.json", job_json("hello"));
  auto name = load_job_spec(f, key("other"), {});
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.status().message(),
            f + ": defines job devcluster/www-data/prod/hello, not devcluster/www-data/prod/other: "
                "name is 'hello' in the file but 'other' in the job key");
  auto cluster = load_job_spec(f, key("hello", "us-east"), {});
  ASSERT_FALSE(cluster.ok());
  EXPECT_THAT(cluster.status().message(),
              HasSubstr("cluster is 'devcluster' in the file but 'us-east' in the job key"));
}

TEST(JobFileTest, BadInputSaysWhatAndWhere) {
  TempDir dir;
  std::string malformed = dir.write("m.json", "{\n  \"name\": \"x\",\n  oops\n}");
  auto m = load_job_spec(malformed, key("x"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr(malformed + ": malformed JSON at line 3, column 3"));

  std::string unknown = dir.write("u.json", job_json("u", ", \"cpus\": 2"));
  auto u = load_job_spec(unknown, key("u"), {});
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(),
              HasSubstr(unknown + ": job: MesosJob has no attribute 'cpus' (it has: announce,"));

  std::string negative = dir.write("n.json", job_json("n", "", "-1"));
  auto n = load_job_spec(negative, key("n"), {});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(n.status().message(),
              HasSubstr(negative +
                        ": job 'n': task.resources.cpu: must be between 0.001 and 4096, got -1"));
}

TEST(JobFileTest, FileTypesAndBinds) {
  TempDir dir;
  std::string yaml = dir.write("hello.yaml", "x: 1");
  auto y = load_job_spec(yaml, key("hello"), {});
  ASSERT_FALSE(y.ok());
  EXPECT_THAT(y.status().message(), HasSubstr("unsupported file type; supported: .json"));
  EXPECT_FALSE(load_job_spec(dir.write("hello.aurora", ""), key("hello"), {}).ok());

  auto missing = load_job_spec(dir.path() + "/nope.json", key("hello"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "cannot read job file '" + dir.path() + "/nope.json': No such file or directory");

  // JSON jobs are templated like .aurora ones: --bind applies.
  std::string templated = job_json("hello");
  templated.replace(templated.find("echo hi"), 7, "echo {{greeting}}");
  std::string f = dir.write("hello.json", templated);
  auto b = load_job_spec(f, key("hello"), {{"greeting", "hello"}});
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(b->task.processes[0].cmdline, "echo hello");
  EXPECT_FALSE(load_job_spec(f, key("hello"), {}).ok());  // unbound

  auto bad_bind = parse_binds({"novalue"});
  EXPECT_FALSE(bad_bind.ok());
  auto later_wins = parse_binds({"a=1", "a=2"});
  ASSERT_TRUE(later_wins.ok());
  EXPECT_EQ(later_wins->size(), 2u);
}

}  // namespace
}  // namespace borealis::cli
