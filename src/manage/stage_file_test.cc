#include "manage/stage_file.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace borealis::manage {
namespace {

// The talk's eightball.yaml, with hashes long enough to be git's.
const char kEightball[] =
    "file: eightball\n"
    "user: cbe\n"
    "cluster: devcluster\n"
    "buildname: eightball\n"
    "hashtype: git\n"
    "config:\n"
    "  cpu: 0.25\n"
    "  num_instances: 1\n"
    "  ram: 300\n"
    "  disk: 5000\n"
    "taskargs:\n"
    "  workers: 10\n"
    "  mode: fast\n"
    "envs:\n"
    "  prod:\n"
    "    config:\n"
    "      cpu: 1.5\n"
    "      num_instances: 12\n"
    "    taskargs:\n"
    "      workers: 34\n"
    "    githash: ABC1234\n"
    "  devel:\n"
    "    githash: def4567\n";

Result<Profile> profile_of(const std::string& text, const std::string& stage,
                           const Settings& settings = {}) {
  auto file = parse_stage_file("/c/eightball.yaml", text);
  if (!file.ok()) return file.status();
  return make_profile(*file, stage, settings, "/c");
}

TEST(StageFileTest, ProdMergesOverTheTopLevel) {
  auto p = profile_of(kEightball, "prod");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->name, "eightball");
  EXPECT_EQ(p->key().to_string(), "devcluster/cbe/prod/eightball");
  EXPECT_EQ(p->template_path, "/c/eightball.aurora");
  EXPECT_DOUBLE_EQ(p->cpu, 1.5);
  EXPECT_EQ(p->instances, 12);
  EXPECT_EQ(p->ram_mb, 300);  // kept from the top level: config merges key by key
  EXPECT_EQ(p->disk_mb, 5000);
  EXPECT_EQ(p->githash, "abc1234");
  EXPECT_EQ(p->githash_at, "/c/eightball.yaml:21");
  EXPECT_EQ(p->buildname_at, "/c/eightball.yaml:4");
  std::map<std::string, std::string> args = {{"workers", "34"}, {"mode", "fast"}};
  EXPECT_EQ(p->taskargs, args);
  EXPECT_EQ(p->overrides, (std::vector<std::string>{"config.cpu", "config.num_instances", "githash",
                                                    "taskargs.workers"}));
}

TEST(StageFileTest, DevelKeepsTheTopLevel) {
  auto p = profile_of(kEightball, "devel");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_DOUBLE_EQ(p->cpu, 0.25);
  EXPECT_EQ(p->instances, 1);
  EXPECT_EQ(p->githash, "def4567");
  EXPECT_EQ(p->taskargs.at("workers"), "10");
  EXPECT_EQ(p->hashtype, "git");
}

TEST(StageFileTest, ProfileJsonHasTheSharedShape) {
  auto p = profile_of(kEightball, "prod");
  ASSERT_TRUE(p.ok());
  json::object o = profile_json(*p);
  EXPECT_EQ(o.at("stage").as_string(), "prod");
  EXPECT_EQ(o.at("instances").as_int64(), 12);
  EXPECT_DOUBLE_EQ(o.at("cpu").as_double(), 1.5);
  EXPECT_EQ(o.at("taskargs").at("workers").as_string(), "34");
}

TEST(StageFileTest, AStageNotUnderEnvsIsRefusedListingTheStages) {
  auto p = profile_of(kEightball, "prd");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "/c/eightball.yaml:14: no stage 'prd' under envs (stages: devel, prod)");
}

TEST(StageFileTest, UnknownKeysAnywhereNameTheLine) {
  auto top = parse_stage_file("/c/j.yaml", "file: t\nusr: x\nenvs: {devel: {}}\n");
  EXPECT_EQ(top.status().message(),
            "/c/j.yaml:2: unknown key 'usr' in the stage file (known: file, user, cluster, "
            "buildname, hashtype, githash, config, taskargs, envs)");
  auto nested = parse_stage_file("/c/j.yaml", "envs:\n  prod:\n    config:\n      mem: 3\n");
  EXPECT_EQ(nested.status().message(),
            "/c/j.yaml:4: unknown key 'mem' in envs.prod.config (known: cpu, ram, disk, "
            "num_instances)");
  auto envs_in_envs = parse_stage_file("/c/j.yaml", "envs:\n  prod:\n    envs: {}\n");
  EXPECT_EQ(envs_in_envs.status().message(),
            "/c/j.yaml:3: unknown key 'envs' in envs.prod (known: file, user, cluster, "
            "buildname, hashtype, githash, config, taskargs)");
}

TEST(StageFileTest, BadValuesNameTheLine) {
  auto msg = [](const std::string& text) {
    return parse_stage_file("/c/j.yaml", text).status().message();
  };
  EXPECT_EQ(msg("config:\n  cpu: -1\nenvs: {devel: {}}\n"),
            "/c/j.yaml:2: config.cpu must be between 0.001 and 4096, got -1");
  EXPECT_EQ(msg("config:\n  ram: 1e40\nenvs: {devel: {}}\n"),
            "/c/j.yaml:2: config.ram (MB) must be a whole number, got '1e40'");
  EXPECT_EQ(msg("envs:\n  devel:\n    config: {num_instances: 99999999}\n"),
            "/c/j.yaml:3: config.num_instances must be between 1 and 10000, got 99999999");
  EXPECT_EQ(msg("githash: xyz456\nenvs: {devel: {}}\n"),
            "/c/j.yaml:1: githash must be a git commit id (4 to 40 hex digits), got 'xyz456'");
  EXPECT_EQ(msg("hashtype: svn\nenvs: {devel: {}}\n"),
            "/c/j.yaml:1: hashtype must be 'git' (the only kind), got 'svn'");
  EXPECT_EQ(msg("file: ../../etc/x\nenvs: {devel: {}}\n"),
            "/c/j.yaml:1: file must be a template name in the configs dir, without .aurora, got "
            "'../../etc/x'");
  EXPECT_EQ(msg("taskargs: [a, b]\nenvs: {devel: {}}\n"),
            "/c/j.yaml:1: taskargs must be a map of names to values");
  EXPECT_EQ(msg("taskargs:\n  w: {x: 1}\nenvs: {devel: {}}\n"),
            "/c/j.yaml:2: taskargs.w must be a single value");
  EXPECT_EQ(msg("user: a b\nenvs: {devel: {}}\n"),
            "/c/j.yaml:1: user must be letters, digits, '_', '.' or '-', got 'a b'");
  EXPECT_EQ(msg("file: t\n"),
            "/c/j.yaml:1: no envs: list the stages (envs: {devel: {}, prod: {...}})");
  EXPECT_EQ(msg("file: [t\n").substr(0, 10), "/c/j.yaml:");  // where yaml-cpp noticed
}

TEST(StageFileTest, MissingKeysSayWhereToSetThem) {
  auto p = profile_of("file: t\nuser: u\nconfig: {cpu: 1, disk: 10}\nenvs: {devel: {}}\n", "devel",
                      Settings{.cluster = "dc"});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "/c/eightball.yaml: stage 'devel' has no config.ram (set it at the top level or "
            "under envs.devel)");
}

TEST(StageFileTest, TheClusterDefaultsToTheSettings) {
  auto p = profile_of("file: t\nuser: u\nconfig: {cpu: 1, ram: 1, disk: 1}\nenvs: {devel: }\n",
                      "devel", Settings{.cluster = "dc"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->cluster, "dc");
  EXPECT_EQ(p->instances, 1);
  EXPECT_TRUE(p->githash.empty());
}

TEST(StageFileTest, TheFileNameMustBeAJobName) {
  auto f = parse_stage_file("/c/bad name.yaml", "envs: {devel: {}}\n");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("/c/bad name.yaml: the file name gives the job name"),
            std::string::npos);
}

TEST(StageFileTest, ListsJobsAndNamesThemWhenOneIsMissing) {
  testing::TempDir dir;
  dir.write("b.yaml", "envs: {devel: {}}\n");
  dir.write("a.yaml", "envs: {devel: {}}\n");
  dir.write("settings.yaml", "cluster: x\n");
  dir.write("t.aurora", "jobs = []\n");
  auto jobs = list_jobs(dir.path());
  ASSERT_TRUE(jobs.ok());
  EXPECT_EQ(*jobs, (std::vector<std::string>{"a", "b"}));
  auto missing = load_stage_file(dir.path(), "c");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "no job 'c' in " + dir.path() + ": " + dir.path() +
                                            "/c.yaml does not exist (jobs there: a, b)");
}

}  // namespace
}  // namespace borealis::manage
