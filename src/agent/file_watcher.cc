#include "agent/file_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

#include "agent/file_util.h"
#include "common/log.h"

namespace borealis::agent {

namespace asio = boost::asio;

Result<std::unique_ptr<FileWatcher>> FileWatcher::create(asio::io_context& io,
                                                         std::string file_name, Callback callback) {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return io_error("inotify_init1: " + errno_text(errno));
  std::unique_ptr<FileWatcher> w(
      new FileWatcher(io, fd, std::move(file_name), std::move(callback)));
  w->wait();
  return w;
}

FileWatcher::FileWatcher(asio::io_context& io, int fd, std::string file_name, Callback callback)
    : fd_(io, fd), file_name_(std::move(file_name)), callback_(std::move(callback)) {}

FileWatcher::~FileWatcher() {
  *alive_ = false;
  boost::system::error_code ec;
  fd_.close(ec);
}

Result<int> FileWatcher::watch(const std::string& dir) {
  int wd = ::inotify_add_watch(fd_.native_handle(), dir.c_str(),
                               IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW);
  if (wd < 0) return io_error("cannot watch " + dir + ": " + errno_text(errno));
  return wd;
}

void FileWatcher::unwatch(int wd) { ::inotify_rm_watch(fd_.native_handle(), wd); }

void FileWatcher::wait() {
  fd_.async_wait(asio::posix::stream_descriptor::wait_read,
                 [this, alive = alive_](boost::system::error_code ec) {
                   if (ec || !*alive) return;
                   drain();
                   wait();
                 });
}

void FileWatcher::drain() {
  std::set<int> changed;
  bool overflow = false;
  alignas(inotify_event) char buf[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd_.native_handle(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN: drained
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) overflow = true;
      if (ev->len > 0 && file_name_ == ev->name) changed.insert(ev->wd);
    }
  }
  if (!changed.empty() || overflow) callback_(changed, overflow);
}

}  // namespace borealis::agent
