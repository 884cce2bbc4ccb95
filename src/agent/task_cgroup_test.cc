// Per-task cgroups: the file formats over a fake cgroupfs, and a real cgroup where this
// machine lets us make one (root with v1 or v2 controllers mounted).
#include "agent/task_cgroup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "agent/cgroup_files.h"
#include "agent/file_util.h"
#include "agent/runner_process.h"
#include "agent/task_resources.h"
#include "agent/task_usage.h"
#include "taskcontract/sandbox_layout.h"
#include "testing/temp_dir.h"

namespace borealis::agent {
namespace {

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string get(const std::string& path) {
  auto text = read_file(path);
  return text.ok() ? *text : "<" + text.status().message() + ">";
}

TEST(CgroupFilesTest, ParsesCountersValuesAndProcs) {
  auto c = parse_keyed_counters("low 0\nhigh 3\noom 2\noom_kill 1\nbogus\nname x\n");
  EXPECT_EQ(c.at("oom_kill"), 1);
  EXPECT_EQ(c.at("high"), 3);
  EXPECT_FALSE(c.contains("name"));
  EXPECT_FALSE(c.contains("bogus"));
  EXPECT_EQ(*parse_cgroup_value("max\n"), -1);
  EXPECT_EQ(*parse_cgroup_value("67108864\n"), 67108864);
  EXPECT_FALSE(parse_cgroup_value("12 34").ok());
  EXPECT_EQ(parse_procs("12\n345\n\n0\n"), (std::vector<int64_t>{12, 345}));
}

TEST(CgroupFilesTest, ReadErrorsNameThePath) {
  testing::TempDir dir("cgfiles");
  auto v = read_cgroup_value(dir.path() + "/nope");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find(dir.path() + "/nope"), std::string::npos);
  put(dir.path() + "/events", "oom 0\n");
  auto missing = read_cgroup_counter(dir.path() + "/events", "oom_kill");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// A fake cgroup2 mount: the controllers, and the files the kernel would have made.
struct FakeV2 {
  testing::TempDir dir{"cgv2"};
  std::string mount = dir.path() + "/unified";
  std::string mounts = dir.path() + "/mounts";
  std::string parent = mount + "/borealis/host-1";

  explicit FakeV2(const std::string& controllers) {
    EXPECT_EQ(::mkdir(mount.c_str(), 0755), 0);
    put(mounts, "cgroup2 " + mount + " cgroup2 rw,relatime 0 0\nproc /proc proc rw 0 0\n");
    put(mount + "/cgroup.controllers", controllers + "\n");
    for (const std::string& d : {mount + "/borealis", parent}) {
      EXPECT_EQ(::mkdir(d.c_str(), 0755), 0);
    }
    for (const std::string& d : {mount, mount + "/borealis", parent})
      put(d + "/cgroup.subtree_control", "");
  }
  // The files of a task cgroup the agent writes.
  std::string task(const std::string& id) {
    std::string d = parent + "/" + id;
    EXPECT_EQ(::mkdir(d.c_str(), 0755), 0);
    for (const char* f : {"memory.max", "memory.swap.max", "cpu.max", "cpu.weight", "pids.max"})
      put(d + "/" + f, "");
    return d;
  }
};

TEST(TaskCgroupTest, PicksV2WithTheControllersAndWritesTheLimits) {
  FakeV2 fake("cpuset cpu io memory pids");
  std::string why;
  CgroupSettings settings;
  settings.mounts_file = fake.mounts;
  settings.cpu_limit = CpuLimit::kQuota;
  CgroupLayout layout = setup_cgroups(settings, "host-1", &why);
  ASSERT_EQ(layout.version, CgroupVersion::kV2) << why;
  EXPECT_EQ(layout.v2_parent, fake.parent);
  EXPECT_EQ(get(fake.mount + "/cgroup.subtree_control"), "+memory +cpu +pids");
  EXPECT_EQ(get(fake.parent + "/cgroup.subtree_control"), "+memory +cpu +pids");

  std::string d = fake.task("t1");
  TaskCgroup cg(layout, "t1");
  ASSERT_TRUE(cg.create({0.5, 64 << 20}).ok());
  EXPECT_EQ(get(d + "/memory.max"), std::to_string(64 << 20));
  EXPECT_EQ(get(d + "/memory.swap.max"), "0");
  EXPECT_EQ(get(d + "/cpu.max"), "50000 100000");
  EXPECT_EQ(get(d + "/pids.max"), "4096");
  EXPECT_EQ(cg.dir(), d);
  EXPECT_EQ(cg.procs_files(), std::vector<std::string>{d + "/cgroup.procs"});

  layout.cpu_limit = CpuLimit::kWeight;
  ASSERT_TRUE(TaskCgroup(layout, "t1").create({2, 0}).ok());
  EXPECT_EQ(get(d + "/cpu.weight"), "200");

  put(d + "/memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
  put(d + "/memory.max", "67108864\n");
  EXPECT_EQ(cg.oom_kills(), 1);
  EXPECT_EQ(cg.memory_limit(), 64 << 20);
  put(d + "/cpu.stat", "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n");
  put(d + "/memory.current", "1048576\n");
  put(d + "/memory.peak", "2097152\n");
  auto u = cg.usage();
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->cpu_usec, 2'500'000);
  EXPECT_EQ(u->memory_bytes, 1 << 20);
  EXPECT_EQ(u->memory_peak_bytes, 2 << 20);
  EXPECT_EQ(list_task_cgroups(layout), std::vector<std::string>{"t1"});
}

TEST(TaskCgroupTest, V2WithoutTheControllersFallsToV1OrOffWithTheReason) {
  FakeV2 fake("");  // a hybrid host: the controllers are bound to v1 hierarchies
  std::string why;
  CgroupSettings settings;
  settings.mounts_file = fake.mounts;
  CgroupLayout layout = setup_cgroups(settings, "host-1", &why);
  EXPECT_EQ(layout.version, CgroupVersion::kOff);
  EXPECT_NE(why.find("lacks the memory, cpu or pids controller"), std::string::npos) << why;
  EXPECT_NE(why.find("no cgroup v1 hierarchy has the memory controller"), std::string::npos) << why;

  settings.enabled = false;
  EXPECT_EQ(setup_cgroups(settings, "host-1", &why).version, CgroupVersion::kOff);
  EXPECT_EQ(why, "--cgroups off");
}

TEST(TaskCgroupTest, V1FindsEachControllerAndReadsItsFormats) {
  testing::TempDir dir("cgv1");
  std::string mounts = dir.path() + "/mounts", text;
  // cpu and cpuacct share a hierarchy, as on many distributions.
  for (const char* h : {"memory", "cpu,cpuacct", "pids", "freezer"}) {
    std::string m = dir.path() + "/" + h;
    ASSERT_EQ(::mkdir(m.c_str(), 0755), 0);
    text += std::string("cgroup ") + m + " cgroup rw,nosuid,relatime," + h + " 0 0\n";
  }
  put(mounts, text);
  std::string why;
  CgroupSettings settings;
  settings.mounts_file = mounts;
  settings.cpu_limit = CpuLimit::kQuota;
  CgroupLayout layout = setup_cgroups(settings, "h", &why);
  ASSERT_EQ(layout.version, CgroupVersion::kV1) << why;
  EXPECT_EQ(layout.v1_parents.at("cpuacct"), dir.path() + "/cpu,cpuacct/borealis/h");

  TaskCgroup cg(layout, "t");
  std::string mem = dir.path() + "/memory/borealis/h/t";
  std::string cpu = dir.path() + "/cpu,cpuacct/borealis/h/t";
  std::string pids = dir.path() + "/pids/borealis/h/t";
  for (const auto& d : {mem, cpu, pids, dir.path() + "/freezer/borealis/h/t"})
    ASSERT_EQ(::mkdir(d.c_str(), 0755), 0);
  for (const auto& f : {mem + "/memory.limit_in_bytes", cpu + "/cpu.cfs_period_us",
                        cpu + "/cpu.cfs_quota_us", pids + "/pids.max"})
    put(f, "");
  ASSERT_TRUE(cg.create({1.5, 32 << 20}).ok());
  EXPECT_EQ(get(mem + "/memory.limit_in_bytes"), std::to_string(32 << 20));
  EXPECT_EQ(get(cpu + "/cpu.cfs_quota_us"), "150000");
  EXPECT_EQ(cg.procs_files().size(), 4u);  // one per hierarchy, cpu and cpuacct shared
  EXPECT_EQ(cg.dir(), pids);

  put(mem + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
  put(mem + "/memory.limit_in_bytes", "9223372036854771712\n");
  EXPECT_EQ(cg.oom_kills(), 2);
  EXPECT_EQ(cg.memory_limit(), -1);  // v1's "unlimited"
  put(cpu + "/cpuacct.usage", "1500000000\n");
  put(mem + "/memory.usage_in_bytes", "4096\n");
  auto u = cg.usage();
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->cpu_usec, 1'500'000);
  EXPECT_EQ(u->memory_bytes, 4096);
  EXPECT_EQ(u->memory_peak_bytes, -1);
}

TEST(TaskUsageTest, RateIsOverTheInterval) {
  TaskUsage first = next_usage({}, {1'000'000, 10, -1}, 5000);
  EXPECT_DOUBLE_EQ(first.cpu_seconds, 1.0);
  EXPECT_DOUBLE_EQ(first.cpu_rate, 0);  // one sample says nothing about a rate
  TaskUsage second = next_usage(first, {3'000'000, 20, 30}, 9000);
  EXPECT_DOUBLE_EQ(second.cpu_rate, 0.5);
  EXPECT_EQ(second.memory_peak_bytes, 30);
  EXPECT_EQ(second.sampled_ms, 9000);
}

TEST(DiskMeasureTest, CountsFilesWithoutFollowingLinksAndStopsAtTheBound) {
  testing::TempDir dir("disk");
  std::string sub = dir.path() + "/a/b";
  ASSERT_TRUE(make_dirs(sub).ok());
  {
    std::ofstream f(sub + "/data");
    f << std::string(1 << 20, 'x');
  }
  ASSERT_EQ(::symlink("/usr", (dir.path() + "/usr-link").c_str()), 0);
  auto m = measure_disk(dir.path(), 1000);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_GE(m->bytes, 1 << 20);
  EXPECT_LT(m->bytes, 2 << 20);  // /usr not counted
  EXPECT_FALSE(m->truncated);
  auto bounded = measure_disk(dir.path(), 1);
  ASSERT_TRUE(bounded.ok());
  EXPECT_TRUE(bounded->truncated);
  EXPECT_FALSE(measure_disk(dir.path() + "/usr-link", 10).ok());
}

TEST(CgroupScopeTest, StableAndDistinctPerWorkDir) {
  EXPECT_EQ(cgroup_scope("h.example", "/w1"), cgroup_scope("h.example", "/w1"));
  EXPECT_NE(cgroup_scope("h.example", "/w1"), cgroup_scope("h.example", "/w2"));
  EXPECT_EQ(cgroup_scope("h.example", "/w1").rfind("h_example-", 0), 0u);
}

// ---- a real cgroup

struct RealCgroup : ::testing::Test {
  testing::TempDir dir{"cgreal"};
  CgroupLayout layout;

  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    std::string why;
    layout = setup_cgroups({}, "agent-test-" + std::to_string(::getpid()), &why);
    if (!layout.enabled()) GTEST_SKIP() << "no usable cgroups here: " << why;
    ASSERT_TRUE(make_dirs(dir.path() + "/" + taskcontract::kRunnerDir).ok());
  }
  void TearDown() override {
    for (const auto& id : list_task_cgroups(layout)) {
      TaskCgroup cg(layout, id);
      cg.kill_all();
      for (int i = 0; i < 100 && !cg.remove().ok(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (const auto& [c, parent] : layout.v1_parents) ::rmdir(parent.c_str());
    if (!layout.v2_parent.empty()) ::rmdir(layout.v2_parent.c_str());
  }
  // A stand-in runner: a script that ignores the runner's flags and runs `body`.
  std::string runner(const std::string& body) {
    std::string path = dir.path() + "/runner.sh";
    put(path, "#!/bin/bash\n" + body + "\n");
    ::chmod(path.c_str(), 0755);
    return path;
  }
  // Lowering oom_score_adj needs CAP_SYS_RESOURCE (bit 24 of CapEff).
  static bool has_cap_sys_resource() {
    std::string status = get("/proc/self/status");
    size_t at = status.find("CapEff:\t");
    if (at == std::string::npos) return false;
    uint64_t caps = std::stoull(status.substr(at + 8, 16), nullptr, 16);
    return (caps >> 24) & 1;
  }
  static std::string oom_score_adj(int pid) {
    return get("/proc/" + std::to_string(pid) + "/oom_score_adj");
  }
};

TEST_F(RealCgroup, RunnerStartsInsideShieldedAndKillAllEmptiesIt) {
  TaskCgroup cg(layout, "t-kill");
  ASSERT_TRUE(cg.create({0.5, 64 << 20}).ok());
  EXPECT_EQ(cg.memory_limit(), 64 << 20);
  RunnerCgroup where{cg.procs_files(), cg.dir()};
  // A child that leaves the session and process group, as daemons do.
  auto pid = spawn_runner(runner("setsid sleep 60 & exec sleep 60"), dir.path(), 0, &where);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  std::vector<int64_t> pids;
  for (int i = 0; i < 200 && pids.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    pids = cg.pids();
  }
  ASSERT_EQ(pids.size(), 2u);
  EXPECT_NE(std::find(pids.begin(), pids.end(), *pid), pids.end());
  if (has_cap_sys_resource())
    EXPECT_EQ(oom_score_adj(*pid), "-1000\n");
  else  // containers without CAP_SYS_RESOURCE cannot shield it: best effort
    EXPECT_EQ(oom_score_adj(*pid), "0\n");
  EXPECT_EQ(cg.kill_all(), 2);
  ::waitpid(*pid, nullptr, 0);
  bool removed = false;
  for (int i = 0; i < 200 && !removed; ++i) {
    removed = cg.remove().ok();
    if (!removed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(removed);
  EXPECT_FALSE(cg.exists());
}

TEST_F(RealCgroup, AProcessOverTheMemoryLimitIsOomKilledAndCounted) {
  TaskCgroup cg(layout, "t-oom");
  ASSERT_TRUE(cg.create({0, 32 << 20}).ok());
  RunnerCgroup where{cg.procs_files(), cg.dir()};
  auto pid =
      spawn_runner(runner("echo 0 > /proc/self/oom_score_adj; "
                          "exec python3 -c 'b = []\nwhile True: b.append(bytearray(1 << 20))'"),
                   dir.path(), 0, &where);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  int status = 0;
  ASSERT_EQ(::waitpid(*pid, &status, 0), *pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_EQ(cg.oom_kills(), 1);
  auto u = cg.usage();
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_GT(u->cpu_usec, 0);
}

TEST_F(RealCgroup, AMissingRunnerIsAnErrorAndLeavesNoProcess) {
  TaskCgroup cg(layout, "t-missing");
  ASSERT_TRUE(cg.create({}).ok());
  RunnerCgroup where{cg.procs_files(), cg.dir()};
  auto pid = spawn_runner(dir.path() + "/no-such-runner", dir.path(), 0, &where);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.status().message().find("exec"), std::string::npos) << pid.status().message();
  EXPECT_TRUE(cg.pids().empty());
}

}  // namespace
}  // namespace borealis::agent
