#include "agent/shell_probe.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "agent/complete_once.h"
#include "agent/file_util.h"
#include "agent/sandbox_command.h"
#include "common/beneath.h"
#include "common/utf8.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

constexpr size_t kOutputTail = 200;
// Read from the end of the output for the tail: trailing blanks are trimmed first.
constexpr int64_t kOutputReadBytes = 4096;

std::string output_tail(const std::string& task_dir) {
  auto fd = open_beneath(task_dir, taskcontract::kHealthCheckOutPath, OpenIntent::kReadFile);
  if (!fd.ok()) return "";
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return "";
  auto text = read_at_most(*fd, std::max<int64_t>(0, st.st_size - kOutputReadBytes),
                           static_cast<size_t>(kOutputReadBytes));
  if (!text.ok()) return "";
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.size() > kOutputTail) {
    // Keep the end; skip continuation bytes so that no character is split.
    size_t from = s.size() - kOutputTail;
    while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
    s = "..." + s.substr(from);
  }
  return make_valid_utf8(s);  // the task's output: hostile bytes stop here
}

std::string timeout_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

class ShellRun final : public ShellProbe, public std::enable_shared_from_this<ShellRun> {
 public:
  ShellRun(std::string command, std::string sandbox, std::chrono::milliseconds timeout, Done done)
      : command_(std::move(command)),
        task_dir_(std::move(sandbox)),
        timeout_(timeout),
        done_(std::move(done)) {}

  ~ShellRun() override { cancel_command(); }

  void run(asio::io_context& io, const RunAs& who) {
    // Created anew by root in the root-only .runner/: never an existing file or a link.
    auto out = open_beneath(task_dir_, taskcontract::kHealthCheckOutPath, OpenIntent::kCreateFresh,
                            taskcontract::kRunnerFileMode);
    if (!out.ok()) {
      asio::post(io, [self = shared_from_this(), error = out.status().message()] {
        self->complete({false, false, "`" + self->command_ + "`: " + error});
      });
      return;
    }
    // The callback holds the probe until the command ended or was cancelled.
    command_run_ =
        SandboxCommand::start(io, command_, check_dir(task_dir_), who, out->get(), timeout_,
                              [self = shared_from_this()](CommandEnd end) { self->on_end(end); });
  }

  void cancel() override {
    done_ = nullptr;
    cancel_command();
  }

 private:
  void on_end(const CommandEnd& end) {
    command_run_.reset();
    CheckResult r;
    r.ok = end.error.empty() && end.exit_code == 0 && !end.timed_out;
    if (!end.error.empty()) {
      r.detail = "`" + command_ + "`: " + end.error;
    } else if (r.ok) {
      r.detail = "`" + command_ + "` exited 0";
    } else if (end.timed_out) {
      r.detail = "`" + command_ + "` timed out after " + timeout_text(timeout_);
    } else {
      r.detail = "`" + command_ + "` " +
                 (end.exit_code ? "exited with status " + std::to_string(*end.exit_code)
                                : "was killed by signal " + std::to_string(end.signal.value_or(0)));
      std::string tail = output_tail(task_dir_);
      if (!tail.empty()) r.detail += ": " + tail;
    }
    complete(std::move(r));
  }

  void complete(CheckResult r) { complete_once(done_, std::move(r)); }

  void cancel_command() {
    if (command_run_) command_run_->cancel();
    command_run_.reset();
  }

  std::string command_;
  std::string task_dir_;
  std::chrono::milliseconds timeout_;
  Done done_;
  std::shared_ptr<SandboxCommand> command_run_;
};

}  // namespace

std::string check_dir(const std::string& task_dir) {
  std::string work = taskcontract::work_dir_of(task_dir);
  struct stat st {};
  return ::lstat(work.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? work : task_dir;
}

std::shared_ptr<ShellProbe> ShellProbe::start(asio::io_context& io, const std::string& command,
                                              const std::string& sandbox, const RunAs& who,
                                              std::chrono::milliseconds timeout, Done done) {
  auto run = std::make_shared<ShellRun>(command, sandbox, timeout, std::move(done));
  run->run(io, who);
  return run;
}

}  // namespace borealis::agent
