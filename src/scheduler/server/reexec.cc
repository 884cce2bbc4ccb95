#include "scheduler/server/reexec.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "common/log.h"

namespace borealis::scheduler {

namespace {

std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return args;
}

// The listener, the store and ZooKeeper's sockets must not outlive the exec.
void close_on_exec_all() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  const int own = ::dirfd(dir);
  while (dirent* entry = ::readdir(dir)) {
    int fd = std::atoi(entry->d_name);
    if (fd > 2 && fd != own) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  ::closedir(dir);
}

}  // namespace

void reexec_self(const std::string& why) {
  static std::atomic<bool> started{false};
  if (started.exchange(true))
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));  // the exec replaces us
  std::vector<std::string> args = own_arguments();
  spdlog::error("{}: re-executing this scheduler as a fresh candidate", why);
  spdlog::default_logger()->flush();
  if (!args.empty()) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    close_on_exec_all();
    ::execv("/proc/self/exe", argv.data());
  }
  spdlog::critical("cannot re-execute /proc/self/exe: {}; exiting", std::strerror(errno));
  spdlog::default_logger()->flush();
  std::_Exit(75);
}

}  // namespace borealis::scheduler
