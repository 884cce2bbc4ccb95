// LogPump: copies the output of process runs whose Logger needs the runner between the
// process and its destination (taskcontract::LogPolicy::piped: rotation, console, both)
// from pipes to a LogFile and/or the runner's own stdout/stderr.
//
// The pipes are read non-blocking from the runner's poll loop, at most kMaxBytesPerWakeup
// per pipe per wakeup: a process that writes faster than that waits on its full pipe
// (the kernel's back-pressure), while the runner goes on handling signals, timers and the
// other processes' output. Bytes are passed on as they arrive (a partial line is written
// at once). A pipe is read until its end of file, which comes when the run and every
// process that inherited its stdout have exited; the runner kills those when the task
// ends, then drain_and_close copies what is left. Pipes of ended runs that something
// escaped from the run still holds open are kept up to kMaxEndedStreams; past that the
// oldest is drained and closed (its holder's next write gets EPIPE), so a restarting
// process whose runs each leave such a holder cannot exhaust the runner's descriptors.
//
// Thread-safety: the runner's one thread.
#pragma once

#include <poll.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/beneath.h"
#include "runner/log_file.h"

namespace borealis::runner {

class LogPump {
 public:
  static constexpr size_t kReadBytes = 16 * 1024;
  static constexpr size_t kMaxBytesPerWakeup = 64 * 1024;
  static constexpr size_t kMaxEndedStreams = 64;

  // Copies `pipe` (the read end; made non-blocking here) of the run `pid` to `file` if set
  // and to `console_fd` if >= 0 (not owned). `label` names the stream in diagnostics:
  // "web/0/stdout". `pid` may be 0 until set_pid (the run is started after its pipes).
  void add(Fd pipe, std::optional<LogFile> file, int console_fd, std::string label);
  // The streams added since the last call belong to run `pid`.
  void set_pid(int pid);
  // Run `pid` was reaped; its streams stay open until end of file, within kMaxEndedStreams.
  void run_ended(int pid);

  // Appends one pollfd (POLLIN) per open stream to `fds`, in the order on_poll expects.
  void poll_fds(std::vector<pollfd>* fds) const;

  // Copies from the streams `ready` says are readable (the entries poll_fds appended, as
  // poll returned them) and closes those at end of file. Returns the bytes copied.
  size_t on_poll(std::span<const pollfd> ready);

  // Copies what the pipes still hold (kMaxBytesPerWakeup each at most: what a live writer
  // keeps adding is not waited for) and closes them all.
  void drain_and_close();

  size_t open_streams() const { return streams_.size(); }

 private:
  struct Stream {
    Fd pipe;
    std::optional<LogFile> file;
    int console_fd = -1;
    std::string label;
    int pid = 0;
    bool ended = false;
    bool reported_error = false;
  };
  // Reads up to kMaxBytesPerWakeup; false at end of file or on a read error.
  bool copy(Stream& s, size_t* copied);
  void deliver(Stream& s, const char* data, size_t n);

  std::vector<Stream> streams_;
};

}  // namespace borealis::runner
