#include "agent/proc_stat.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/runner_process.h"
#include "agent/test_util.h"

namespace borealis::agent {
namespace {

TEST(ProcStatTest, ParsesACommandNameWithSpacesAndParentheses) {
  std::string text =
      "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
      "123456 1000 50 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
  auto st = parse_proc_stat(text);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->ppid, 1);
  EXPECT_EQ(st->pgrp, 4242);
  EXPECT_EQ(st->session, 4242);
  EXPECT_EQ(st->start_ticks, 123456);
  EXPECT_FALSE(parse_proc_stat("4242 (short) S 1 2").has_value());
  EXPECT_FALSE(parse_proc_stat("garbage").has_value());
}

TEST(ProcStatTest, LivenessNeedsTheSameStartTicks) {
  auto self = read_proc_stat(::getpid());
  ASSERT_TRUE(self.has_value());
  EXPECT_EQ(runner_liveness(::getpid(), self->start_ticks), Liveness::kAlive);
  EXPECT_EQ(runner_liveness(::getpid(), self->start_ticks + 1), Liveness::kGone);  // recycled pid
  EXPECT_EQ(runner_liveness(::getpid(), 0), Liveness::kAlive);
  bool found = false;
  for (const auto& p : processes_in_session(::getsid(0))) found |= p.pid == ::getpid();
  EXPECT_TRUE(found);
}

TEST(ProcStatTest, AZombieIsNotAlive) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(3);
  // The child exits but is not reaped: a zombie.
  ASSERT_TRUE(testing::wait_for([&] { return runner_liveness(child, 0) == Liveness::kZombie; }));
  auto how = reap_pid(child);
  ASSERT_TRUE(how.has_value());
  EXPECT_EQ(*how, "exit status 3");
  EXPECT_EQ(runner_liveness(child, 0), Liveness::kGone);
}

TEST(RunnerProcessTest, SpawnedRunnerHasItsOwnSessionCleanSignalsAndOnlyStdio) {
  testing::TempDir dir;
  testing::write_text(dir / "sb/.runner/.keep", "");
  int leak = ::open("/dev/null", O_RDONLY);  // inheritable: the runner must not get it
  ASSERT_GE(leak, 3);
  // A stand-in runner that reports what it inherited.
  testing::write_text(dir / "runner.sh",
                      "#!/bin/bash\n"
                      "echo \"args=$*\"\n"
                      "echo \"sid=$(cut -d' ' -f6 /proc/$$/stat) pid=$$\"\n"
                      "grep -E '^Sig(Blk|Ign)' /proc/$$/status\n"
                      "[ -e /proc/$$/fd/" +
                          std::to_string(leak) +
                          " ] && echo LEAKED\n"
                          "exit 0\n");
  ::chmod((dir / "runner.sh").c_str(), 0755);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &block, &old);
  auto old_pipe = ::signal(SIGPIPE, SIG_IGN);
  auto pid = spawn_runner(dir / "runner.sh", dir / "sb", 1000);
  ::signal(SIGPIPE, old_pipe);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(leak);
  ASSERT_TRUE(pid.ok()) << pid.status().to_string();
  auto fd = open_pidfd(*pid);
  ASSERT_TRUE(fd.ok());
  ASSERT_TRUE(testing::wait_for([&] { return reap_pidfd(*fd).has_value(); }));
  ::close(*fd);
  std::string log;
  {
    std::ifstream in(dir / "sb/.runner/runner.log");
    log.assign(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(log.find("args=--sandbox " + (dir / "sb") + " --min-uid 1000"), std::string::npos)
      << log;
  EXPECT_NE(log.find("sid=" + std::to_string(*pid) + " pid=" + std::to_string(*pid)),
            std::string::npos)
      << log;
  auto mask = [&](const std::string& name) {
    auto at = log.find(name + ":\t");
    return at == std::string::npos ? ~0ull
                                   : std::stoull(log.substr(at + name.size() + 2, 16), nullptr, 16);
  };
  EXPECT_EQ(mask("SigBlk") & (1ull << (SIGTERM - 1)), 0u) << log;  // blocked in the parent
  EXPECT_EQ(mask("SigIgn") & (1ull << (SIGPIPE - 1)), 0u) << log;  // ignored in the parent
  EXPECT_EQ(log.find("LEAKED"), std::string::npos) << log;
}

TEST(RunnerProcessTest, MissingRunnerIsAnError) {
  testing::TempDir dir;
  testing::write_text(dir / "sb/.runner/.keep", "");
  auto pid = spawn_runner(dir / "no-such-runner", dir / "sb", 1000);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.status().message().find("no-such-runner"), std::string::npos);
}

}  // namespace
}  // namespace borealis::agent
