#include "runner/log_pump.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::read_file;
using testing::TempSandbox;

struct Pipe {
  Fd read_end, write_end;
};

Pipe make_pipe() {
  int ends[2];
  EXPECT_EQ(::pipe2(ends, O_CLOEXEC), 0);
  return Pipe{Fd(ends[0]), Fd(ends[1])};
}

LogFile open_log(const TempSandbox& dir, const std::string& name, int64_t max_bytes,
                 int64_t backups) {
  auto fd = open_directory(dir.path());
  EXPECT_TRUE(fd.ok());
  auto log = LogFile::open(std::move(fd).value(), dir.path(), name, max_bytes, backups);
  EXPECT_TRUE(log.ok()) << log.status().to_string();
  return std::move(log).value();
}

void write_all(int fd, const std::string& data) {
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
}

class LogPumpTest : public ::testing::Test {
 protected:
  // A stream copied to the file `name` in `dir_` (and to `console_fd`); returns the write end.
  Fd add(const std::string& name, int64_t max_bytes = 0, int64_t backups = 0, int console_fd = -1) {
    Pipe p = make_pipe();
    pump_.add(std::move(p.read_end), open_log(dir_, name, max_bytes, backups), console_fd, name);
    return std::move(p.write_end);
  }

  TempSandbox dir_;
  LogPump pump_;
};

// One loop iteration of the runner: poll without waiting, then copy.
size_t pump_once(LogPump& pump, int timeout_ms = 0) {
  std::vector<pollfd> fds;
  pump.poll_fds(&fds);
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return 0;
  return pump.on_poll(fds);
}

TEST_F(LogPumpTest, PassesPartialLinesOnAtOnceAndClosesAtEndOfFile) {
  Fd writer = add("stdout");
  write_all(writer.get(), "no newline yet");
  EXPECT_EQ(pump_once(pump_, 1000), 14u);
  EXPECT_EQ(read_file(dir_.file("stdout")), "no newline yet");
  write_all(writer.get(), ", now\n");
  writer = Fd();  // the writer is gone: what it wrote still arrives, then EOF
  EXPECT_EQ(pump_once(pump_, 1000), 6u);
  EXPECT_EQ(pump_.open_streams(), 0u);
  EXPECT_EQ(read_file(dir_.file("stdout")), "no newline yet, now\n");
}

TEST_F(LogPumpTest, AFastWriterCannotStallTheLoopOrStarveAQuietStream) {
  Fd chatty = add("chatty", 64 * 1024, 2);
  Fd quiet = add("quiet");
  constexpr size_t kTotal = 8 << 20;
  pid_t writer = ::fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {  // writes 8 MiB as fast as the pipe takes it, blocking when full
    std::string block(64 * 1024, 'x');
    block.back() = '\n';
    for (size_t sent = 0; sent < kTotal; sent += block.size())
      if (::write(chatty.get(), block.data(), block.size()) < 0) ::_exit(1);
    ::_exit(0);
  }
  chatty = Fd();
  size_t copied = 0;
  bool quiet_seen = false;
  for (int wakeups = 0; pump_.open_streams() > 1 || copied < kTotal; ++wakeups) {
    ASSERT_LT(wakeups, 100000);
    if (wakeups == 3) write_all(quiet.get(), "hello\n");
    size_t n = pump_once(pump_, 1000);
    // Each wakeup is bounded per pipe whatever the writer does.
    ASSERT_LE(n, 2 * LogPump::kMaxBytesPerWakeup);
    copied += n;
    if (!quiet_seen && read_file(dir_.file("quiet")) == "hello\n") {
      quiet_seen = true;
      EXPECT_LT(copied, kTotal) << "the quiet stream waited for the chatty one to finish";
    }
    if (copied >= kTotal && pump_.open_streams() == 1) break;
  }
  int status = 0;
  ASSERT_EQ(::waitpid(writer, &status, 0), writer);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(quiet_seen);
  EXPECT_EQ(copied, kTotal + 6);
  int64_t on_disk = 0;
  for (const char* name : {"chatty", "chatty.1", "chatty.2"}) {
    std::string text = read_file(dir_.file(name));
    EXPECT_EQ(text.size(), 64u * 1024) << name;
    on_disk += static_cast<int64_t>(text.size());
  }
  EXPECT_EQ(on_disk, 3 * 64 * 1024);
}

TEST_F(LogPumpTest, CopiesToTheConsoleAndToTheFile) {
  Pipe console = make_pipe();
  Fd writer = add("stdout", 0, 0, console.write_end.get());
  write_all(writer.get(), "to both\n");
  EXPECT_EQ(pump_once(pump_, 1000), 8u);
  char buf[64];
  ssize_t n = ::read(console.read_end.get(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "to both\n");
  EXPECT_EQ(read_file(dir_.file("stdout")), "to both\n");
}

TEST_F(LogPumpTest, DrainCopiesWhatIsLeftAndClosesPipesStillHeldOpen) {
  Fd writer = add("stdout");
  write_all(writer.get(), "last words");
  // The write end stays open (an escaped process holds it): drain must not wait for EOF.
  pump_.drain_and_close();
  EXPECT_EQ(pump_.open_streams(), 0u);
  EXPECT_EQ(read_file(dir_.file("stdout")), "last words");
  // The reader is gone: a later write fails with EPIPE instead of blocking.
  signal(SIGPIPE, SIG_IGN);
  EXPECT_EQ(::write(writer.get(), "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
}

TEST_F(LogPumpTest, PipesOfEndedRunsHeldOpenAreBoundedOldestFirst) {
  signal(SIGPIPE, SIG_IGN);
  Fd live = add("live");  // run 1, still running
  pump_.set_pid(1);
  std::vector<Fd> held;  // write ends kept by what escaped each ended run
  const int kRuns = static_cast<int>(LogPump::kMaxEndedStreams) + 5;
  for (int pid = 2; pid < 2 + kRuns; ++pid) {
    held.push_back(add("run" + std::to_string(pid)));
    pump_.set_pid(pid);
    pump_.run_ended(pid);
  }
  EXPECT_EQ(pump_.open_streams(), 1 + LogPump::kMaxEndedStreams);
  // The five oldest ended runs lost their reader; the newest and the live run did not.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(::write(held[i].get(), "x", 1), -1) << i;
  EXPECT_EQ(::write(held.back().get(), "x", 1), 1);
  EXPECT_EQ(::write(live.get(), "x", 1), 1);
}

}  // namespace
}  // namespace borealis::runner
