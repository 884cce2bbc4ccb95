#include "config/aurora/aurora_loader.h"

#include <gtest/gtest.h>

#include <thread>

namespace borealis::config {
namespace {

const char kTwoJobs[] = R"(
web = Service(cluster = 'c1', role = 'www-data', environment = 'prod', name = 'web',
              task = SimpleTask('web', './web --port={{thermos.ports[http]}}'),
              announce = Announcer())
jobs = [
  web,
  web(environment = 'devel'),
  web(name = 'broken', task = SimpleTask('b', 'run {{version}}')),
]
)";

ClusterJobKey key(const std::string& text) { return parse_cluster_job_key(text).value(); }

TEST(AuroraLoaderTest, ParsesBindings) {
  auto b = parse_binding("profile.version=1.2=3");
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(b->first, "profile.version");
  EXPECT_EQ(b->second, "1.2=3");
  EXPECT_EQ(parse_binding("services.[db]=x")->first, "services[db]");
  EXPECT_EQ(parse_binding("novalue").status().message(), "--bind 'novalue': expected name=value");
  EXPECT_FALSE(parse_binding("a b=c").ok());
}

TEST(AuroraLoaderTest, ABrokenJobDoesNotStopTheOthers) {
  auto jobs = load_aurora_text("two.aurora", kTwoJobs);
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  ASSERT_EQ(jobs->size(), 3u);
  EXPECT_TRUE((*jobs)[0].status.ok()) << (*jobs)[0].status.to_string();
  EXPECT_EQ((*jobs)[0].key.to_string(), "c1/www-data/prod/web");
  EXPECT_EQ((*jobs)[0].ports, std::vector<std::string>{"http"});
  EXPECT_EQ((*jobs)[0].spec.name, "web");
  EXPECT_TRUE((*jobs)[0].spec.service);
  EXPECT_EQ((*jobs)[1].key.to_string(), "c1/www-data/devel/web");
  EXPECT_EQ((*jobs)[2].key.to_string(), "c1/www-data/prod/broken");
  EXPECT_FALSE((*jobs)[2].status.ok());
  EXPECT_TRUE((*jobs)[2].aurora_json.is_null());
  EXPECT_NE((*jobs)[2].status.message().find("job 'broken': task.processes[0].cmdline: unbound "
                                             "reference {{version}}"),
            std::string::npos);
}

// What `borealis manage` sends: the template sees the stage file through make_profile() and
// the build's files through artifact().
const char kManaged[] = R"(
PROFILE = make_profile()
pex = artifact('app.pex')
jobs = [Job(cluster = '{{profile.cluster}}', role = '{{profile.user}}',
            environment = '{{profile.stage}}', name = '{{profile.name}}',
            instances = '{{profile.instances}}',
            task = Task(processes = [Process(name = 'w',
                          cmdline = 'run ' + pex.uri().get() + ' {{profile.taskargs[workers]}}')],
                        resources = Resources(cpu = '{{profile.cpu}}', ram = 300 * MB,
                                              disk = 1 * GB))).bind(profile = PROFILE)]
)";

json::value manage_context() {
  return parse_json(R"({"profile": {"name": "w", "user": "u", "stage": "prod",
      "cluster": "c", "buildname": "b", "githash": "abc1234", "hashtype": "git",
      "cpu": 1.5, "ram_mb": 300, "disk_mb": 1024, "instances": 3,
      "taskargs": {"workers": "34"}},
    "artifacts": {"app.pex": {"uri": "file:///s/b/abc1234/app.pex", "sha256": "00"}}})")
      .value();
}

TEST(AuroraLoaderTest, ATemplateReadsTheManageContext) {
  auto jobs = load_aurora_text("t.aurora", kManaged, {}, manage_context());
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  ASSERT_EQ(jobs->size(), 1u);
  const LoadedJob& job = (*jobs)[0];
  ASSERT_TRUE(job.status.ok()) << job.status.to_string();
  EXPECT_EQ(job.key.to_string(), "c/u/prod/w");
  EXPECT_EQ(job.spec.instances, 3);
  EXPECT_EQ(job.spec.task.processes[0].cmdline, "run file:///s/b/abc1234/app.pex 34");
}

TEST(AuroraLoaderTest, WithoutAManageContextMakeProfileSaysWhereItWorks) {
  auto jobs = load_aurora_text("t.aurora", kManaged);
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().message(),
            "t.aurora:2: make_profile() works only under `borealis manage` (it reads the job's "
            "<job>.yaml)");
  // The context of one load does not leak into the next.
  ASSERT_TRUE(load_aurora_text("t.aurora", kManaged, {}, manage_context()).ok());
  EXPECT_FALSE(load_aurora_text("t.aurora", kManaged).ok());
}

TEST(AuroraLoaderTest, AMissingArtifactNamesTheFilesTheBuildHas) {
  auto jobs =
      load_aurora_text("t.aurora", "x = artifact('other.jar')\njobs = []\n", {}, manage_context());
  ASSERT_FALSE(jobs.ok());
  EXPECT_EQ(jobs.status().message(),
            "t.aurora:1: artifact('other.jar'): build b at abc1234 has no such file in the "
            "artifact store; it has: app.pex");
}

TEST(AuroraLoaderTest, SelectsOneJobByKey) {
  auto jobs = load_aurora_text("two.aurora", kTwoJobs);
  ASSERT_TRUE(jobs.ok());
  auto devel = select_job(*jobs, key("c1/www-data/devel/web"));
  ASSERT_TRUE(devel.ok()) << devel.status().to_string();
  EXPECT_EQ(devel->spec.environment, "devel");

  auto broken = select_job(*jobs, key("c1/www-data/prod/broken"));
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);

  auto missing = select_job(*jobs, key("c2/www-data/prod/web"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "no job c2/www-data/prod/web in this config; it defines:\n"
            "  c1/www-data/prod/web\n  c1/www-data/devel/web\n  c1/www-data/prod/broken");
}

TEST(AuroraLoaderTest, DuplicateKeysAndMissingPartsAreNamed) {
  auto jobs = load_aurora_text("dup.aurora", R"(
j = Job(cluster = 'c', role = 'r', environment = 'test', task = SimpleTask('a', 'true'))
jobs = [j, j(), j(environment = Empty)]
)");
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  auto dup = select_job(*jobs, key("c/r/test/a"));
  EXPECT_NE(dup.status().message().find("defines 2 jobs with the key c/r/test/a"),
            std::string::npos);
  auto missing = select_job(*jobs, key("c/r/prod/a"));
  EXPECT_NE(missing.status().message().find("  c/r/{MISSING}/a"), std::string::npos);
}

TEST(AuroraLoaderTest, BindingsApplyToEveryJob) {
  auto jobs = load_aurora_text("two.aurora", kTwoJobs, {{"version", "1.0"}});
  ASSERT_TRUE(jobs.ok());
  ASSERT_TRUE((*jobs)[2].status.ok()) << (*jobs)[2].status.to_string();
  EXPECT_EQ((*jobs)[2].spec.task.processes[0].cmdline, "run 1.0");
  auto bad = load_aurora_text("two.aurora", kTwoJobs, {{"a b", "1"}});
  EXPECT_FALSE(bad.ok());
}

TEST(AuroraLoaderTest, FileErrorsNameTheFileAndLine) {
  auto r = load_aurora_text("conf/x.aurora", "\n\njobs = [Job(\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().substr(0, 21), "conf/x.aurora:3: Synt");
  auto missing = load_aurora_file("/nonexistent/dir/x.aurora");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot read config '/nonexistent/dir/x.aurora': No such file or directory");
}

TEST(AuroraLoaderTest, ReadsAuroraJson) {
  const char one[] = R"({"name": "j", "role": "r", "cluster": "c", "environment": "test",
    "task": {"processes": [{"name": "p", "cmdline": "echo {{role}}"}],
             "resources": {"cpu": 1, "ram": 1048576, "disk": 1048576}}})";
  auto jobs = load_aurora_json_text("one.json", one);
  ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
  ASSERT_EQ(jobs->size(), 1u);
  ASSERT_TRUE((*jobs)[0].status.ok()) << (*jobs)[0].status.to_string();
  EXPECT_EQ((*jobs)[0].spec.task.processes[0].cmdline, "echo r");
  EXPECT_EQ((*jobs)[0].spec.update_config.watch_secs, 45);  // defaults are filled

  auto many =
      load_aurora_json_text("many.json", std::string("{\"jobs\": [") + one + "," + one + "]}");
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->size(), 2u);

  auto malformed = load_aurora_json_text("bad.json", "{\"jobs\": [");
  EXPECT_EQ(malformed.status().message().substr(0, 28), "bad.json: malformed JSON at ");
  auto unknown = load_aurora_json_text("u.json", R"({"nmae": "x"})");
  EXPECT_EQ(unknown.status().message().rfind("u.json: job: MesosJob has no attribute 'nmae'", 0),
            0u)
      << unknown.status().message();
}

TEST(AuroraLoaderTest, TheInterpreterServesAnyThreadAndManyLoads) {
  for (int i = 0; i < 3; ++i) {
    auto jobs = load_aurora_text("two.aurora", kTwoJobs);
    ASSERT_TRUE(jobs.ok());
  }
  Result<std::vector<LoadedJob>> from_thread = internal_error("not run");
  std::thread t([&] { from_thread = load_aurora_text("two.aurora", kTwoJobs); });
  t.join();
  ASSERT_TRUE(from_thread.ok()) << from_thread.status().to_string();
  EXPECT_EQ(from_thread->size(), 3u);
}

TEST(AuroraLoaderTest, ConfigsSeeOnlyTheirOwnGlobals) {
  auto first = load_aurora_text("a.aurora", R"(
LEAK = 1
jobs = [Job(cluster='c', role='r', environment='test', task=SimpleTask('a', 'true'))]
)");
  ASSERT_TRUE(first.ok());
  auto second = load_aurora_text("b.aurora", "x = LEAK\n");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), "b.aurora:1: NameError: name 'LEAK' is not defined");
}

}  // namespace
}  // namespace borealis::config
