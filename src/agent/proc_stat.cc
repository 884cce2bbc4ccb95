#include "agent/proc_stat.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "common/strings.h"

namespace borealis::agent {

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::nullopt;
  ProcStat st;
  auto pid = parse_int64(trim(text.substr(0, open)));
  if (!pid) return std::nullopt;
  st.pid = *pid;
  // Fields from 3 on, space separated.
  std::vector<std::string> f;
  for (auto& part : split(trim(text.substr(close + 1)), ' '))
    if (!part.empty()) f.push_back(std::move(part));
  // f[i] is field i + 3.
  if (f.size() < 22 || f[0].size() != 1) return std::nullopt;
  st.state = f[0][0];
  auto ppid = parse_int64(f[1]);     // field 4
  auto pgrp = parse_int64(f[2]);     // field 5
  auto session = parse_int64(f[3]);  // field 6
  auto utime = parse_int64(f[11]);
  auto stime = parse_int64(f[12]);
  auto cutime = parse_int64(f[13]);
  auto cstime = parse_int64(f[14]);
  auto start = parse_int64(f[19]);
  auto rss = parse_int64(f[21]);
  if (!ppid || !pgrp || !session || !utime || !stime || !cutime || !cstime || !start || !rss)
    return std::nullopt;
  st.ppid = *ppid;
  st.pgrp = *pgrp;
  st.session = *session;
  st.utime_ticks = *utime;
  st.stime_ticks = *stime;
  st.cutime_ticks = *cutime;
  st.cstime_ticks = *cstime;
  st.start_ticks = *start;
  st.rss_pages = *rss;
  return st;
}

std::optional<ProcStat> read_proc_stat(int64_t pid, const std::string& proc_root) {
  if (pid <= 0) return std::nullopt;
  std::string path = proc_root + "/" + std::to_string(pid) + "/stat";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  return parse_proc_stat(std::string_view(buf, static_cast<size_t>(n)));
}

Liveness runner_liveness(int64_t pid, int64_t start_ticks, const std::string& proc_root) {
  auto st = read_proc_stat(pid, proc_root);
  if (!st) return Liveness::kGone;
  if (start_ticks != 0 && st->start_ticks != start_ticks) return Liveness::kGone;
  if (st->state == 'Z' || st->state == 'X') return Liveness::kZombie;
  return Liveness::kAlive;
}

namespace {

template <typename Pred>
std::vector<ProcStat> processes_where(const std::string& proc_root, Pred pred,
                                      size_t max_processes = SIZE_MAX) {
  std::vector<ProcStat> out;
  DIR* dir = ::opendir(proc_root.c_str());
  if (!dir) return out;
  while (dirent* e = ::readdir(dir)) {
    if (out.size() >= max_processes) break;
    auto pid = parse_int64(e->d_name);
    if (!pid) continue;
    auto st = read_proc_stat(*pid, proc_root);
    if (st && pred(*st)) out.push_back(*st);
  }
  ::closedir(dir);
  return out;
}

}  // namespace

std::vector<ProcStat> processes_in_session(int64_t sid, const std::string& proc_root) {
  return processes_where(proc_root, [sid](const ProcStat& st) { return st.session == sid; });
}

std::vector<ProcStat> children_of(int64_t ppid, const std::string& proc_root) {
  return processes_where(proc_root, [ppid](const ProcStat& st) { return st.ppid == ppid; });
}

std::vector<ProcStat> all_processes(size_t max_processes, const std::string& proc_root) {
  return processes_where(
      proc_root, [](const ProcStat&) { return true; }, max_processes);
}

}  // namespace borealis::agent
