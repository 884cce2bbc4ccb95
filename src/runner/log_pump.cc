#include "runner/log_pump.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runner/diag.h"

namespace borealis::runner {

namespace {

// Best effort: the console is the runner's stdout/stderr (.runner/runner.log); output
// that cannot be written there is dropped rather than stalling the runner.
void write_console(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    data += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

void LogPump::add(Fd pipe, std::optional<LogFile> file, int console_fd, std::string label) {
  int flags = ::fcntl(pipe.get(), F_GETFL);
  if (flags >= 0) ::fcntl(pipe.get(), F_SETFL, flags | O_NONBLOCK);
  streams_.push_back(Stream{std::move(pipe), std::move(file), console_fd, std::move(label)});
}

void LogPump::set_pid(int pid) {
  for (Stream& s : streams_)
    if (s.pid == 0) s.pid = pid;
}

void LogPump::run_ended(int pid) {
  size_t ended = 0;
  for (Stream& s : streams_) {
    if (s.pid == pid) s.ended = true;
    if (s.ended) ++ended;
  }
  // Oldest first: streams_ is in the order the runs started.
  size_t ignored = 0;
  for (auto it = streams_.begin(); ended > kMaxEndedStreams && it != streams_.end();) {
    if (!it->ended) {
      ++it;
      continue;
    }
    copy(*it, &ignored);
    diag("%s: closing the output of an ended run still held open", it->label.c_str());
    it = streams_.erase(it);
    --ended;
  }
}

void LogPump::poll_fds(std::vector<pollfd>* fds) const {
  for (const Stream& s : streams_) fds->push_back(pollfd{s.pipe.get(), POLLIN, 0});
}

void LogPump::deliver(Stream& s, const char* data, size_t n) {
  if (s.file) {
    Status st = s.file->write(std::string_view(data, n));
    if (!st.ok() && !s.reported_error) {
      s.reported_error = true;  // once per stream: a full disk must not flood runner.log
      diag("%s: dropping output: %s", s.label.c_str(), st.to_string().c_str());
    }
  }
  if (s.console_fd >= 0) write_console(s.console_fd, data, n);
}

bool LogPump::copy(Stream& s, size_t* copied) {
  char buf[kReadBytes];
  size_t total = 0;
  while (total < kMaxBytesPerWakeup) {
    ssize_t n = ::read(s.pipe.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *copied += total;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    if (n == 0) {
      *copied += total;
      return false;
    }
    deliver(s, buf, static_cast<size_t>(n));
    total += static_cast<size_t>(n);
  }
  *copied += total;
  return true;
}

size_t LogPump::on_poll(std::span<const pollfd> ready) {
  size_t copied = 0;
  size_t kept = 0;
  for (size_t i = 0; i < streams_.size(); ++i) {
    bool open = true;
    short revents = i < ready.size() ? ready[i].revents : 0;
    if (revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) open = copy(streams_[i], &copied);
    if (open && kept != i) streams_[kept] = std::move(streams_[i]);
    if (open) ++kept;
  }
  streams_.resize(kept);
  return copied;
}

void LogPump::drain_and_close() {
  size_t ignored = 0;
  for (Stream& s : streams_) copy(s, &ignored);
  streams_.clear();
}

}  // namespace borealis::runner
