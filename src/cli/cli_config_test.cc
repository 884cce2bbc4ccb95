// Config files in the CLI end to end, against a real in-process cluster: `job create` from
// .aurora files, --bind, errors a user can act on, container refusal, `job inspect`,
// `job diff`, `config list`.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using testing::CliTest;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTwoJobs = R"(
task = Task(processes = [Process(name = 'main', cmdline = 'echo {{greeting}} {{mesos.instance}}')],
            resources = Resources(cpu = 0.5, ram = 64 * MB, disk = 64 * MB))
base = Service(cluster = 'devcluster', role = 'www-data', environment = 'prod', task = task,
               instances = 2)
jobs = [base(name = 'web'), base(name = 'api', instances = 3)]
)";

class ConfigTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    two_ = dir_.write("two.aurora", kTwoJobs);
  }
  std::string two_;
};

TEST_F(ConfigTest, CreateFromAnAuroraFilePicksTheJobByKeyAndBinds) {
  Run r = run_ok({"job", "create", "devcluster/www-data/prod/api", two_, "--bind", "greeting=hi"});
  EXPECT_EQ(r.out, "Created job devcluster/www-data/prod/api (3 instances).\n");
  json::value spec = body_of("POST", "/api/v1/jobs");
  ASSERT_TRUE(spec.is_object());
  EXPECT_EQ(spec.at("name"), "api");
  EXPECT_EQ(spec.at("instances"), 3);
  // Bound on the client; runtime references are left for the runner.
  EXPECT_EQ(spec.at("task").at("processes").at(0).at("cmdline"), "echo hi {{mesos.instance}}");
  // The scheduler has it.
  EXPECT_TRUE(cluster_->api("GET", "/api/v1/jobs/www-data/prod/api").ok());
}

TEST_F(ConfigTest, KeyNotInTheFileListsTheKeys) {
  Run r =
      run_failed({"job", "create", "devcluster/www-data/prod/db", two_, "--bind", "greeting=hi"});
  EXPECT_EQ(r.err, "error: " + two_ +
                       ": has no job devcluster/www-data/prod/db; the jobs it defines are: "
                       "devcluster/www-data/prod/web, devcluster/www-data/prod/api\n");
  EXPECT_TRUE(proxy_->requests().empty());
}

TEST_F(ConfigTest, ErrorsAUserCanActOn) {
  Run unbound = run_failed({"job", "create", "devcluster/www-data/prod/web", two_});
  EXPECT_THAT(unbound.err, HasSubstr("job 'web': task.processes[0].cmdline: unbound reference "
                                     "{{greeting}}"));

  std::string syntax = dir_.write("syntax.aurora", "x = 1\njobs = [Job(name = 'a'\n");
  Run s = run_failed({"job", "create", "devcluster/www-data/prod/a", syntax});
  EXPECT_THAT(s.err, HasSubstr("error: " + syntax + ":2: SyntaxError"));
  EXPECT_THAT(s.err, Not(HasSubstr("Traceback")));

  std::string raises = dir_.write("raises.aurora", "x = {}\ny = x['medium']\n");
  Run e = run_failed({"job", "create", "devcluster/www-data/prod/a", raises});
  EXPECT_EQ(e.err, "error: " + raises + ":2: KeyError: 'medium'\n");

  std::string typed = dir_.write("typed.aurora", R"(
jobs = [Job(cluster = 'devcluster', role = 'www-data', environment = 'prod', name = 'hello',
  task = Task(processes = [Process(name = 'p', cmdline = 'echo')],
              resources = Resources(cpu = 'lots', ram = 1 * GB, disk = 1 * GB)))]
)");
  Run t = run_failed({"job", "create", "devcluster/www-data/prod/hello", typed});
  EXPECT_EQ(t.err, "error: " + typed +
                       ": job 'hello': task.resources.cpu: expected Float, got str 'lots'\n");

  std::string required = dir_.write("required.aurora", R"(
jobs = [Job(cluster = 'devcluster', role = 'www-data', environment = 'prod', name = 'hello',
  task = Task(processes = [Process(name = 'p', cmdline = 'echo')],
              resources = Resources(cpu = 1, ram = 1 * GB)))]
)");
  Run q = run_failed({"job", "create", "devcluster/www-data/prod/hello", required});
  EXPECT_THAT(q.err, HasSubstr("job 'hello': task.resources.disk: is required but not set"));
  EXPECT_TRUE(proxy_->requests().empty());
}

constexpr const char* kDocker = R"(
jobs = [Service(cluster = 'devcluster', role = 'www-data', environment = 'prod', name = 'box',
  task = SimpleTask('app', 'python3 -m http.server {{thermos.ports[http]}}'),
  container = Docker(image = 'python:3.11'))]
)";

TEST_F(ConfigTest, ContainerConfigsLoadButAreRefusedWhereImagesCannotRun) {
  std::string docker = dir_.write("docker.aurora", kDocker);
  Run inspect = run_ok({"job", "inspect", "devcluster/www-data/prod/box", docker, "-o", "json"});
  EXPECT_THAT(inspect.out, HasSubstr("python:3.11"));

  Run r = run_failed({"job", "create", "devcluster/www-data/prod/box", docker});
  EXPECT_EQ(r.err,
            "error: job devcluster/www-data/prod/box runs in a container (Docker image "
            "'python:3.11'), but cluster 'devcluster' cannot run container images (its scheduler "
            "reports capabilities.container_images: false); remove the container from the job or "
            "run it on a cluster that supports images\n");
  EXPECT_EQ(proxy_->count("POST", "/api/v1/jobs"), 0u);

  // A scheduler (of another version) that says it can, but then refuses: its message
  // reaches the user. The proxy answers for the claim; the real scheduler refuses.
  proxy_->answer_next("GET", "/api/v1/cluster", 200,
                      R"({"cluster": "devcluster", "version": "0.1.0", "agents": 1,
                          "capabilities": {"container_images": true}})");
  Run refused = run_failed({"job", "create", "devcluster/www-data/prod/box", docker});
  EXPECT_EQ(refused.err,
            "error: creating job devcluster/www-data/prod/box: job devcluster/www-data/prod/box "
            "asks for a container image, but cluster 'devcluster' cannot run images: its agents "
            "run processes directly in a sandbox\n");
  EXPECT_EQ(proxy_->count("POST", "/api/v1/jobs"), 1u);
}

TEST_F(ConfigTest, InspectText) {
  Run r = run_ok({"job", "inspect", "devcluster/www-data/prod/web", two_, "--bind", "greeting=hi"});
  EXPECT_THAT(r.out, HasSubstr("devcluster/www-data/prod/web"));
  EXPECT_THAT(r.out, HasSubstr("echo hi {{mesos.instance}}"));
  EXPECT_THAT(r.out, HasSubstr("main"));
  EXPECT_TRUE(proxy_->requests().empty());  // reads only the file
}

TEST_F(ConfigTest, InspectTextSummarisesTheJob) {
  std::string web = dir_.write("web.aurora", R"(
server = Process(name = 'server', cmdline = 'python3 -m http.server {{thermos.ports[http]}}')
setup = Process(name = 'setup', cmdline = 'mkdir -p data\necho ready')
jobs = [Service(cluster = 'devcluster', role = 'www-data', environment = 'prod', name = 'web',
  instances = 3, constraints = {'rack': 'a,b'},
  update_config = UpdateConfig(batch_size = 2, watch_secs = 10, max_total_failures = 1),
  task = Task(name = 'web', processes = [setup, server],
              constraints = order(setup, server),
              resources = Resources(cpu = 0.5, ram = 128 * MB, disk = 1 * GB)))]
)");
  Run r = run_ok({"job", "inspect", "devcluster/www-data/prod/web", web});
  EXPECT_EQ(r.out,
            "Job devcluster/www-data/prod/web\n"
            "  instances:      3\n"
            "  service:        yes\n"
            "  production:     no, priority 0\n"
            "  task failures:  1 allowed\n"
            "  constraints:    rack=a,b\n"
            "  ports:          http\n"
            "  update:         queue of 2, watch 10s, failures allowed: 0 per instance, 1 in "
            "total, rollback on failure\n"
            "  health check:   http /health on port 'http' expecting 'ok', every 10s, failures "
            "ignored for the first 15s, timeout 1s, unhealthy after 1 failure(s), healthy after 1 "
            "success(es)\n"
            "\n"
            "Task web\n"
            "  resources:      cpu 0.5, ram 128.0 MiB, disk 1.0 GiB\n"
            "  processes:      1 failed process(es) allowed\n"
            "  finalization:   30s for final processes\n"
            "  order:          setup < server\n"
            "\n"
            "Process setup (max failures 1, min duration 5s)\n"
            "    mkdir -p data\n"
            "    echo ready\n"
            "\n"
            "Process server (max failures 1, min duration 5s)\n"
            "    python3 -m http.server {{thermos.ports[http]}}\n");

  // Without a port to check, an http health check does not run, and inspect says so.
  Run none =
      run_ok({"job", "inspect", "devcluster/www-data/prod/web", two_, "--bind", "greeting=x"});
  EXPECT_THAT(none.out, HasSubstr("  health check:   none (an http check needs a 'health' or "
                                  "'http' port)\n"));
}

TEST_F(ConfigTest, InspectJsonIsTheJobSpec) {
  Run r = run_ok({"job", "inspect", "devcluster/www-data/prod/web", two_, "--bind", "greeting=hi",
                  "--output", "json"});
  auto spec = parse_json(r.out);
  ASSERT_TRUE(spec.ok()) << r.out;
  EXPECT_EQ(spec->at("name"), "web");
  EXPECT_EQ(spec->at("instances"), 2);
  EXPECT_EQ(spec->at("task").at("resources").at("ram"), 64 << 20);
}

TEST_F(ConfigTest, ConfigListIsSortedAndWarnsAboutBrokenJobs) {
  Run r = run_ok({"config", "list", two_, "--bind", "greeting=hi"});
  EXPECT_EQ(r.out, "devcluster/www-data/prod/api\ndevcluster/www-data/prod/web\n");
  EXPECT_EQ(r.err, "");

  Run unbound = run_ok({"config", "list", two_});
  EXPECT_EQ(unbound.out, "devcluster/www-data/prod/api\ndevcluster/www-data/prod/web\n");
  EXPECT_THAT(unbound.err, HasSubstr("warning: " + two_ + ": job 'web'"));

  Run json = run_ok({"config", "list", hello_file_});
  EXPECT_EQ(json.out, "devcluster/www-data/prod/hello\n");

  Run missing = run_failed({"config", "list", dir_.path() + "/nope.aurora"});
  EXPECT_THAT(missing.err, HasSubstr("nope.aurora"));
}

TEST_F(ConfigTest, DiffAgainstTheRunningJob) {
  Run created =
      run({"job", "create", "devcluster/www-data/prod/web", two_, "--bind", "greeting=hi"});
  ASSERT_EQ(created.code, 0) << created.err;

  Run same = run_ok({"job", "diff", "devcluster/www-data/prod/web", two_, "--bind", "greeting=hi"});
  EXPECT_EQ(same.out, "no changes\n");

  Run changed =
      run_ok({"job", "diff", "devcluster/www-data/prod/web", two_, "--bind", "greeting=hello"});
  EXPECT_THAT(changed.out, HasSubstr("--- running devcluster/www-data/prod/web\n+++ " + two_));
  EXPECT_THAT(changed.out, HasSubstr("\n-        \"cmdline\": \"echo hi {{mesos.instance}}\",\n"));
  EXPECT_THAT(changed.out,
              HasSubstr("\n+        \"cmdline\": \"echo hello {{mesos.instance}}\",\n"));

  Run none =
      run_failed({"job", "diff", "devcluster/www-data/prod/api", two_, "--bind", "greeting=hi"});
  EXPECT_EQ(none.err,
            "error: diffing devcluster/www-data/prod/api: job devcluster/www-data/prod/api does "
            "not exist\n");
}

}  // namespace
}  // namespace borealis::cli
