#include "runner/task_processes.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>

namespace borealis::runner {

namespace {

// Reads cgroup.procs in pieces of this size; 8 bytes a pid at most (pid_max <= 2^22).
constexpr size_t kReadChunk = 4096;
constexpr size_t kMaxCgroupBytes = kMaxCgroupPids * 8;
// A task forking fast may change cgroup.procs between reads; the caller's teardown loop
// repeats anyway, so a few tries are enough.
constexpr int kMaxCgroupReads = 4;

bool parse_int(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Reads at most `max` bytes of the file at `fd` into `out`.
bool read_bounded(int fd, size_t max, std::string* out) {
  char buf[kReadChunk];
  while (out->size() < max) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, max - out->size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

bool parse_proc_entry(std::string_view stat, ProcEntry* out) {
  size_t close = stat.rfind(')');
  size_t space = stat.find(' ');
  if (close == std::string_view::npos || space == std::string_view::npos || space > close)
    return false;
  // After the command name: " S PPID ...".
  std::string_view rest = stat.substr(close + 1);
  if (rest.size() < 4 || rest[0] != ' ' || rest[2] != ' ') return false;
  std::string_view ppid = rest.substr(3);
  ppid = ppid.substr(0, ppid.find(' '));
  ProcEntry e;
  e.state = rest[1];
  if (!parse_int(stat.substr(0, space), &e.pid) || !parse_int(ppid, &e.ppid)) return false;
  // Field 22, the start time: 19 more fields after the state (field 3).
  std::string_view field = rest.substr(1);
  for (int i = 0; i < 19 && !field.empty(); ++i) {
    size_t sp = field.find(' ');
    field = sp == std::string_view::npos ? std::string_view() : field.substr(sp + 1);
  }
  field = field.substr(0, field.find_first_of(" \n"));
  int64_t ticks = 0;
  for (char c : field.substr(0, 19)) {
    if (c < '0' || c > '9') {
      ticks = 0;
      break;
    }
    ticks = ticks * 10 + (c - '0');
  }
  e.start_ticks = ticks;
  *out = e;
  return true;
}

std::vector<ProcEntry> descendants_of(int root, std::vector<ProcEntry> table) {
  std::sort(table.begin(), table.end(),
            [](const ProcEntry& a, const ProcEntry& b) { return a.ppid < b.ppid; });
  std::vector<ProcEntry> out;
  std::vector<int> parents{root};
  while (!parents.empty()) {
    int parent = parents.back();
    parents.pop_back();
    auto first = std::lower_bound(table.begin(), table.end(), parent,
                                  [](const ProcEntry& e, int p) { return e.ppid < p; });
    for (auto it = first; it != table.end() && it->ppid == parent; ++it) {
      // A zombie's children were re-parented when it exited: it has none to follow.
      if (it->state == 'Z' || it->state == 'X' || it->pid == root) continue;
      out.push_back(*it);
      parents.push_back(it->pid);
    }
  }
  return out;
}

bool parse_pid_lines(std::string_view text, size_t max, std::vector<int>* out) {
  while (!text.empty() && out->size() < max) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    int pid = 0;
    if (!parse_int(line, &pid) || pid <= 0) return false;
    out->push_back(pid);
  }
  return true;
}

TaskProcesses::TaskProcesses(std::string cgroup_dir, int self, std::string proc_root)
    : cgroup_dir_(std::move(cgroup_dir)), self_(self), proc_root_(std::move(proc_root)) {}

Result<std::vector<ProcEntry>> TaskProcesses::list() const {
  if (!cgroup_dir_.empty()) {
    auto pids = read_cgroup();
    if (pids.ok()) return pids;
    // The agent may have removed the cgroup; the task's processes still descend from us.
  }
  return walk_proc();
}

Result<std::vector<int>> TaskProcesses::read_cgroup_once() const {
  std::string path = cgroup_dir_ + "/cgroup.procs";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return io_error("cannot open " + path + ": " + std::strerror(errno));
  std::string text;
  bool ok = read_bounded(fd, kMaxCgroupBytes, &text);
  int err = errno;
  ::close(fd);
  if (!ok) return io_error("cannot read " + path + ": " + std::strerror(err));
  std::vector<int> pids;
  if (!parse_pid_lines(text, kMaxCgroupPids, &pids))
    return io_error(path + ": expected one pid per line");
  std::erase(pids, self_);
  // cgroup v1 may list a pid twice; one signal each.
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  return pids;
}

Result<std::vector<ProcEntry>> TaskProcesses::read_cgroup() const {
  // The kernel lists cgroup.procs while processes fork and exit: one read may miss a
  // process forked during it, so read until two reads agree.
  BOREALIS_ASSIGN_OR_RETURN(std::vector<int> previous, read_cgroup_once());
  std::vector<int> seen = previous;  // a pid seen once may have exited: signalling it is harmless
  for (int i = 1; i < kMaxCgroupReads; ++i) {
    BOREALIS_ASSIGN_OR_RETURN(std::vector<int> next, read_cgroup_once());
    std::vector<int> both;
    std::set_union(seen.begin(), seen.end(), next.begin(), next.end(), std::back_inserter(both));
    seen = std::move(both);
    if (next == previous) break;
    previous = std::move(next);
  }
  std::vector<ProcEntry> out(seen.size());
  for (size_t i = 0; i < seen.size(); ++i) out[i].pid = seen[i];
  return out;
}

Result<std::vector<ProcEntry>> TaskProcesses::walk_proc() const {
  // Every descendant of the runner descends from one of its children: with none, there
  // is nothing to look for, and a task's end costs one system call instead of a read of
  // every /proc/<pid>/stat.
  siginfo_t info{};
  if (self_ == ::getpid() && ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 &&
      errno == ECHILD)
    return std::vector<ProcEntry>{};
  DIR* dir = ::opendir(proc_root_.c_str());
  if (!dir) return io_error("cannot list " + proc_root_ + ": " + std::strerror(errno));
  std::vector<ProcEntry> table;
  while (dirent* d = ::readdir(dir)) {
    int pid = 0;
    ProcEntry e;
    if (parse_int(d->d_name, &pid) && read_entry(::dirfd(dir), d->d_name, &e)) table.push_back(e);
  }
  ::closedir(dir);
  return descendants_of(self_, std::move(table));
}

bool TaskProcesses::read_entry(int dir_fd, const char* pid, ProcEntry* out) const {
  std::string stat = std::string(pid) + "/stat";
  int fd = ::openat(dir_fd, stat.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;  // it exited meanwhile
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  return n > 0 && parse_proc_entry(std::string_view(buf, static_cast<size_t>(n)), out);
}

size_t TaskProcesses::signal(const std::vector<ProcEntry>& processes, int sig) const {
  size_t signalled = 0;
  int proc_fd = -1;
  for (const ProcEntry& p : processes) {
    if (p.ppid == self_ || p.start_ticks == 0) {
      signalled += ::kill(p.pid, sig) == 0;  // ESRCH: it exited meanwhile
      continue;
    }
    // A pidfd pins the process the pid names now; if that is still the one listed (same
    // start time), the signal reaches it and no other.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, p.pid, 0u));
    if (pidfd < 0) continue;  // gone
    if (proc_fd < 0) proc_fd = ::open(proc_root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ProcEntry now;
    if (proc_fd >= 0 && read_entry(proc_fd, std::to_string(p.pid).c_str(), &now) &&
        now.start_ticks == p.start_ticks &&
        ::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0u) == 0)
      ++signalled;
    ::close(pidfd);
  }
  if (proc_fd >= 0) ::close(proc_fd);
  return signalled;
}

}  // namespace borealis::runner
