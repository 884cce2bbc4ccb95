// `borealis manage` against a real in-process cluster: the job a stage file and its template
// make is what reaches the scheduler, with manage's metadata; refusals send nothing.
#include "cli/cli_fixture.h"

namespace borealis::cli {
namespace {

using testing::CliTest;
using ::testing::HasSubstr;

constexpr const char* kTemplate = R"(
PROFILE = make_profile()
jobs = [Service(cluster = '{{profile.cluster}}', role = '{{profile.user}}',
                environment = '{{profile.stage}}', name = '{{profile.name}}',
                instances = '{{profile.instances}}',
                task = Task(processes = [Process(name = 'w',
                                                 cmdline = 'echo {{profile.taskargs[greeting]}}')],
                            resources = Resources(cpu = '{{profile.cpu}}', ram = 64 * MB,
                                                  disk = 64 * MB))).bind(profile = PROFILE)]
)";

constexpr const char* kStageFile = R"(file: greeter
user: www-data
config: {cpu: 0.5, ram: 64, disk: 64, num_instances: 1}
taskargs: {greeting: hi}
envs:
  devel:
    config: {num_instances: 2}
  prod:
    buildname: greeter
    githash: 0123abcd
)";

class ManageTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    configs_ = dir_.path() + "/configs";
    dir_.write("configs/settings.yaml", "cluster: devcluster\n");
    dir_.write("configs/greeter.aurora", kTemplate);
    dir_.write("configs/hello.yaml", kStageFile);
    env_.manage_configs = configs_;
  }
  std::string configs_;
};

TEST_F(ManageTest, CreateSendsTheJobTheStageMakesWithManageMetadata) {
  Run r = run_ok({"manage", "create", "hello", "--stage", "devel"});
  EXPECT_EQ(r.out, "Created job devcluster/www-data/devel/hello (2 instances).\n");
  json::value spec = body_of("POST", "/api/v1/jobs");
  ASSERT_TRUE(spec.is_object());
  EXPECT_EQ(spec.at("instances"), 2);
  EXPECT_EQ(spec.at("task").at("processes").at(0).at("cmdline"), "echo hi");
  EXPECT_EQ(spec.at("metadata"),
            json::parse(R"([{"key": "borealis.stage_file", "value": "hello.yaml"}])"));
}

TEST_F(ManageTest, AStageTheFileDoesNotListSendsNothing) {
  Run r = run_failed({"manage", "create", "hello", "--stage", "test"});
  EXPECT_EQ(r.err, "error: " + configs_ +
                       "/hello.yaml:5: no stage 'test' under envs (stages: " + "devel, prod)\n");
  EXPECT_TRUE(proxy_->requests().empty());
  EXPECT_EQ(run({"manage", "create", "hello"}).code, kExitUsage);  // no default stage
}

TEST_F(ManageTest, ProdNeedsTheConfigsInAGitRepository) {
  Run r = run_failed({"manage", "create", "hello", "--stage", "prod"});
  EXPECT_THAT(r.err, HasSubstr("is not in a git work tree, so githash 0123abcd cannot be "
                               "checked"));
  EXPECT_TRUE(proxy_->requests().empty());
}

TEST_F(ManageTest, ATemplateMakingAnotherJobIsRefusedNamingBoth) {
  dir_.write("configs/other.yaml",
             "file: greeter\nuser: nobody\n"
             "config: {cpu: 1, ram: 64, disk: 64}\n"
             "taskargs: {greeting: x}\nenvs: {devel: }\n");
  dir_.write("configs/greeter.aurora",
             std::string(kTemplate) + "jobs = [jobs[0](role = 'www-data')]\n");
  Run r = run_failed({"manage", "inspect", "other", "--stage", "devel"});
  EXPECT_THAT(r.err, HasSubstr("defines job devcluster/www-data/devel/other, not "
                               "devcluster/nobody/devel/other"));
}

TEST_F(ManageTest, InspectShowsTheStageOverrides) {
  Run r = run_ok({"manage", "inspect", "hello", "--stage", "devel"});
  EXPECT_THAT(r.out, HasSubstr("overrides:   config.num_instances\n"));
  EXPECT_THAT(r.out, HasSubstr("taskargs:    greeting=hi\n"));
  EXPECT_TRUE(proxy_->requests().empty());
}

TEST_F(ManageTest, ALibraryTemplateNeedsNoAuroraFile) {
  dir_.write("configs/worker.yaml",
             "file: borealis/python_worker\nuser: www-data\n"
             "config: {cpu: 0.5, ram: 64, disk: 64}\n"
             "taskargs: {command: ./run, workers: 3}\nenvs: {devel: }\n");
  Run r = run_ok({"manage", "inspect", "worker", "--stage", "devel", "--output", "json"});
  auto spec = parse_json(r.out);
  ASSERT_TRUE(spec.ok()) << r.out;
  EXPECT_EQ(spec->at("task").at("processes").at(0).at("cmdline"), "./run --workers 3");
  r = run_ok({"manage", "inspect", "worker", "--stage", "devel"});
  EXPECT_THAT(r.out, HasSubstr("template:    borealis/python_worker (template library)\n"));
}

TEST_F(ManageTest, ListShowsEveryJobAndBrokenFilesAsRows) {
  dir_.write("configs/broken.yaml", "file: greeter\nnope: 1\n");
  Run r = run_ok({"manage", "list"});
  EXPECT_EQ(r.out,
            "JOB     TEMPLATE  USER      CLUSTER     STAGES (githash)\n"
            "broken  -         -         -           error: " +
                configs_ +
                "/broken.yaml:2: unknown key 'nope' in the stage file (known: file, user, "
                "cluster, buildname, hashtype, githash, config, taskargs, envs)\n"
                "hello   greeter   www-data  devcluster  devel=- prod=0123abcd\n");
}

}  // namespace
}  // namespace borealis::cli
