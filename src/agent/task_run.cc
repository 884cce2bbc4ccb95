#include "agent/task_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "agent/complete_once.h"
#include "agent/file_util.h"
#include "agent/sandbox_command.h"
#include "common/utf8.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

// Output still coming after the command ended is read this long at most.
constexpr auto kDrainAfterEnd = std::chrono::seconds(1);

class TaskRun : public std::enable_shared_from_this<TaskRun> {
 public:
  TaskRun(asio::io_context& io, std::string task_id, TaskRunDone done)
      : io_(io), pipe_(io), drain_timer_(io), done_(std::move(done)) {
    result_.task_id = std::move(task_id);
  }

  void start(const api::TaskRunRequest& request, const std::string& work_dir, const RunAs& who) {
    started_ = std::chrono::steady_clock::now();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return fail("cannot make a pipe for the command's output: " + errno_text(errno));
    pipe_.assign(fds[0]);
    command_ = SandboxCommand::start(
        io_, request.command, work_dir, who, fds[1], std::chrono::seconds(request.timeout_secs),
        [self = shared_from_this()](CommandEnd end) { self->on_end(std::move(end)); });
    ::close(fds[1]);  // the child has its copy: EOF once every writer is gone
    read_more();
  }

 private:
  void read_more() {
    pipe_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                            self->on_read(ec, n);
                          });
  }

  void on_read(boost::system::error_code ec, size_t n) {
    result_.output_bytes += static_cast<int64_t>(n);
    size_t room = static_cast<size_t>(api::kTaskRunMaxOutputBytes) - output_.size();
    output_.append(buffer_.data(), std::min(n, room));
    if (ec) {  // EOF (or the drain timer closed the pipe)
      output_done_ = true;
      return finish();
    }
    read_more();
  }

  void on_end(CommandEnd end) {
    command_.reset();
    end_ = std::move(end);
    if (!end_->error.empty()) return fail(end_->error);
    drain_timer_.expires_after(kDrainAfterEnd);
    drain_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      boost::system::error_code ignored;
      self->pipe_.close(ignored);  // the pending read ends with operation_aborted
    });
    finish();
  }

  void finish() {
    if (!end_ || !output_done_ || !done_) return;
    drain_timer_.cancel();
    result_.exit_code = end_->exit_code.value_or(-1);
    result_.signal = end_->signal.value_or(0);
    result_.timed_out = end_->timed_out;
    result_.output_cut = result_.output_bytes > static_cast<int64_t>(output_.size());
    result_.output = make_valid_utf8(output_);  // the task's bytes: hostile until here
    result_.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started_)
                              .count();
    complete_once(done_, Result<api::TaskRunResult>(std::move(result_)));
  }

  void fail(const std::string& error) {
    if (command_) command_->cancel();
    command_.reset();
    drain_timer_.cancel();
    boost::system::error_code ignored;
    pipe_.close(ignored);
    complete_once(done_, Result<api::TaskRunResult>(internal_error(
                             "task " + result_.task_id + ": cannot run the command: " + error)));
  }

  asio::io_context& io_;
  asio::posix::stream_descriptor pipe_;
  asio::steady_timer drain_timer_;
  TaskRunDone done_;
  std::shared_ptr<SandboxCommand> command_;
  std::optional<CommandEnd> end_;
  bool output_done_ = false;
  std::array<char, 64 * 1024> buffer_{};
  std::string output_;
  api::TaskRunResult result_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void start_task_run(asio::io_context& io, const std::string& task_id,
                    const api::TaskRunRequest& request, const std::string& work_dir,
                    const RunAs& who, TaskRunDone done) {
  auto run = std::make_shared<TaskRun>(io, task_id, std::move(done));
  run->start(request, work_dir, who);
}

}  // namespace borealis::agent
