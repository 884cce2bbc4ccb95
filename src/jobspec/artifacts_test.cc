#include "jobspec/artifacts.h"

#include <gtest/gtest.h>

#include "jobspec/job_spec_json.h"
#include "jobspec/validate.h"

namespace borealis::jobspec {
namespace {

const std::string kSha(64, 'a');

Task task_with(std::vector<Artifact> artifacts) {
  Task t;
  t.artifacts = std::move(artifacts);
  return t;
}

std::string error_of(std::vector<Artifact> artifacts) {
  Status st = validate_artifacts(task_with(std::move(artifacts)));
  return st.ok() ? "" : st.message();
}

TEST(ArtifactsTest, NameDefaultsToTheUrisLastSegment) {
  EXPECT_EQ(artifact_file_name({"http://store/b/1/eightball.pex?x=1", kSha, ""}), "eightball.pex");
  EXPECT_EQ(artifact_file_name({"file:///srv/store/app.tar.gz", kSha, ""}), "app.tar.gz");
  EXPECT_EQ(artifact_file_name({"file:///srv/store/app.tar.gz", kSha, "other"}), "other");
}

TEST(ArtifactsTest, GoodArtifactsPass) {
  EXPECT_EQ(error_of({{"http://store:8080/b/1/a.pex", kSha, ""},
                      {"https://store/b/1/a.tgz", kSha, "b.tgz"},
                      {"file:///srv/store/c.jar", kSha, ""}}),
            "");
}

TEST(ArtifactsTest, EachBadValueNamesItsPath) {
  struct Case {
    Artifact artifact;
    std::string expected;
  };
  std::vector<Case> cases = {
      {{"ftp://h/a", kSha, ""}, "task.artifacts[1].uri: 'ftp://h/a': the scheme must be"},
      {{"store/a", kSha, ""}, "task.artifacts[1].uri: 'store/a': the scheme must be"},
      {{"file://relative/a", kSha, ""}, "task.artifacts[1].uri: 'file://relative/a': expected"},
      {{"file:///srv/../etc/a", kSha, ""}, "task.artifacts[1].uri: 'file:///srv/../etc/a'"},
      {{"http://user@h/a", kSha, ""}, "task.artifacts[1].uri: 'http://user@h/a': expected a host"},
      {{"http://h:99999/a", kSha, ""}, "task.artifacts[1].uri: 'http://h:99999/a': bad port"},
      {{"http://h/a b", kSha, ""}, "task.artifacts[1].uri: 'http://h/a b' contains spaces"},
      {{"http://h/a", std::string(64, 'A'), ""},
       "task.artifacts[1].sha256: expected 64 lowercase hex digits"},
      {{"http://h/a", "abc", ""}, "task.artifacts[1].sha256: expected 64 lowercase hex digits"},
      {{"http://h/a", kSha, "x/y"}, "task.artifacts[1].name: 'x/y' must be a plain file name"},
      {{"http://h/a", kSha, ".."}, "task.artifacts[1].name: '..' must be a plain file name"},
      {{"http://h/a", kSha, ".hidden"}, "task.artifacts[1].name: '.hidden' must be a plain"},
      {{"http://h/a", kSha, "a\nb"}, "task.artifacts[1].name: 'a\nb' must be a plain file name"},
      {{"http://h/a", kSha, std::string(256, 'n')},
       "task.artifacts[1].name: file name of 256 bytes, more than the limit of 255"},
      {{"http://h/dir/", kSha, ""}, "task.artifacts[1].uri: no file name"},
      {{"http://h/x/first", kSha, ""}, "task.artifacts[1].name: 'first' is used by an earlier"},
  };
  for (const auto& c : cases) {
    std::string error = error_of({{"http://h/first", kSha, ""}, c.artifact});
    EXPECT_EQ(error.substr(0, c.expected.size()), c.expected) << c.artifact.uri;
  }
}

TEST(ArtifactsTest, AtMost64) {
  std::vector<Artifact> many;
  for (int i = 0; i < 65; ++i) many.push_back({"http://h/a" + std::to_string(i), kSha, ""});
  EXPECT_EQ(error_of(many), "task.artifacts: 65 entries, more than the limit of 64");
  many.pop_back();
  EXPECT_EQ(error_of(many), "");
}

TEST(ArtifactsTest, ParsesUris) {
  auto http = parse_artifact_uri("http://store:8080/b/1/a.pex?v=2#frag");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->host, "store");
  EXPECT_EQ(http->port, "8080");
  EXPECT_EQ(http->target, "/b/1/a.pex?v=2");
  auto https = parse_artifact_uri("https://[::1]/a");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->host, "::1");
  EXPECT_EQ(https->port, "443");
  auto file = parse_artifact_uri("file:///srv/a.jar");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->target, "/srv/a.jar");
}

TEST(ArtifactsTest, JsonRoundTripsAndIsAbsentWhenEmpty) {
  Task t;
  t.processes.push_back(Process{.name = "p", .cmdline = "true"});
  EXPECT_FALSE(task_to_json(t).as_object().contains("artifacts"));
  t.artifacts = {{"http://h/a.pex", kSha, ""}, {"file:///s/b", kSha, "c"}};
  json::value v = task_to_json(t);
  const auto& list = v.as_object().at("artifacts").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_FALSE(list[0].as_object().contains("name"));
  EXPECT_EQ(list[1].as_object().at("name").as_string(), "c");

  JobSpec job;
  job.role = "r";
  job.environment = "prod";
  job.cluster = "c";
  job.name = "j";
  job.task = t;
  job.task.name = "p";
  job.task.resources = Resources{1, kMB, kMB, 0};
  auto back = job_spec_from_json(job_spec_to_json(job));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->task.artifacts, t.artifacts);
}

}  // namespace
}  // namespace borealis::jobspec
