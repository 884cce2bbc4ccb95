#include "agent/task_cgroup.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <set>
#include <sstream>

#include "agent/cgroup_files.h"
#include "agent/file_util.h"

namespace borealis::agent {

namespace {

constexpr int64_t kCfsPeriodUs = 100'000;
constexpr int64_t kMinCfsQuotaUs = 1000;  // the kernel's minimum
// v1 reports "no limit" as a huge page-rounded number.
constexpr int64_t kV1Unlimited = int64_t{1} << 62;

struct Mount {
  std::string dir;
  std::string fstype;
  std::set<std::string> options;
};

std::vector<Mount> read_mounts(const std::string& mounts_file) {
  std::vector<Mount> out;
  auto text = read_file(mounts_file, 4 << 20);
  if (!text.ok()) return out;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string dev, dir, fstype, opts;
    if (!(fields >> dev >> dir >> fstype >> opts)) continue;
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    if (dir.find('\\') != std::string::npos) continue;  // escaped names: not ours to guess
    Mount m{dir, fstype, {}};
    std::istringstream parts(opts);
    for (std::string o; std::getline(parts, o, ',');) m.options.insert(o);
    out.push_back(std::move(m));
  }
  return out;
}

bool has_words(const std::string& text, const char* const* first, const char* const* last) {
  std::istringstream in(text);
  std::set<std::string> words;
  for (std::string w; in >> w;) words.insert(w);
  return std::all_of(first, last, [&](const char* w) { return words.contains(w); });
}

Status make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status();
  return io_error("cannot create cgroup " + path + ": " + errno_text(errno));
}

// A file some kernels lack (memory.swap.max without swap accounting): absent is fine.
Status write_if_present(const std::string& path, std::string_view value) {
  if (::access(path.c_str(), F_OK) != 0) return Status();
  return write_cgroup_file(path, value);
}

std::string setup_v2(const Mount& m, const std::string& scope, CgroupLayout* out) {
  auto controllers = read_cgroup_file(m.dir + "/cgroup.controllers");
  if (!controllers.ok()) return controllers.status().message();
  if (!has_words(*controllers, std::begin(kV2Controllers), std::end(kV2Controllers)))
    return "cgroup2 at " + m.dir + " lacks the memory, cpu or pids controller (it has: '" +
           std::string(*controllers).substr(0, controllers->find('\n')) + "')";
  std::string enable = "+memory +cpu +pids";
  std::string dir = m.dir;
  for (const std::string& part : {std::string("borealis"), scope}) {
    if (Status st = write_cgroup_file(dir + "/cgroup.subtree_control", enable); !st.ok())
      return st.message();
    dir += "/" + part;
    if (Status st = make_dir(dir); !st.ok()) return st.message();
  }
  if (Status st = write_cgroup_file(dir + "/cgroup.subtree_control", enable); !st.ok())
    return st.message();
  out->version = CgroupVersion::kV2;
  out->v2_parent = dir;
  return "";
}

std::string setup_v1(const std::vector<Mount>& mounts, const std::string& scope,
                     CgroupLayout* out) {
  std::map<std::string, std::string> parents;
  for (const char* c : kV1Controllers) {
    auto m = std::find_if(mounts.begin(), mounts.end(), [&](const Mount& x) {
      return x.fstype == "cgroup" && x.options.contains(c);
    });
    if (m == mounts.end())
      return std::string("no cgroup v1 hierarchy has the ") + c + " controller";
    std::string dir = m->dir + "/borealis";
    if (Status st = make_dir(dir); !st.ok()) return st.message();
    dir += "/" + scope;
    if (Status st = make_dir(dir); !st.ok()) return st.message();
    parents[c] = dir;
  }
  out->version = CgroupVersion::kV1;
  out->v1_parents = std::move(parents);
  return "";
}

}  // namespace

std::string CgroupLayout::describe() const {
  if (version == CgroupVersion::kV2) return "v2 at " + v2_parent;
  if (version == CgroupVersion::kOff) return "off";
  std::string out = "v1 (";
  for (const auto& [c, dir] : v1_parents) out += (out.size() > 4 ? ", " : "") + c + " at " + dir;
  return out + ")";
}

CgroupLayout setup_cgroups(const CgroupSettings& settings, const std::string& scope,
                           std::string* why_off) {
  CgroupLayout layout;
  layout.cpu_limit = settings.cpu_limit;
  layout.pids_max = settings.pids_max;
  if (!settings.enabled) {
    *why_off = "--cgroups off";
    return layout;
  }
  std::vector<Mount> mounts = read_mounts(settings.mounts_file);
  std::string v2_reason = "no cgroup2 mount";
  for (const Mount& m : mounts) {
    if (m.fstype != "cgroup2") continue;
    v2_reason = setup_v2(m, scope, &layout);
    if (v2_reason.empty()) return layout;
  }
  std::string v1_reason = setup_v1(mounts, scope, &layout);
  if (v1_reason.empty()) return layout;
  *why_off = "v2: " + v2_reason + "; v1: " + v1_reason;
  return CgroupLayout{CgroupVersion::kOff, "", {}, settings.cpu_limit, settings.pids_max};
}

std::vector<std::string> list_task_cgroups(const CgroupLayout& layout) {
  std::set<std::string> ids;
  std::vector<std::string> parents;
  if (layout.version == CgroupVersion::kV2) parents.push_back(layout.v2_parent);
  for (const auto& [c, dir] : layout.v1_parents) parents.push_back(dir);
  for (const auto& parent : parents) {
    DIR* d = ::opendir(parent.c_str());
    if (!d) continue;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (e->d_type == DT_DIR && name != "." && name != "..") ids.insert(name);
    }
    ::closedir(d);
  }
  return {ids.begin(), ids.end()};
}

std::string mib_text(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

TaskCgroup::TaskCgroup(CgroupLayout layout, std::string task_id)
    : layout_(std::move(layout)), task_id_(std::move(task_id)) {}

std::string TaskCgroup::in(const std::string& controller) const {
  if (layout_.version == CgroupVersion::kV2) return layout_.v2_parent + "/" + task_id_;
  auto it = layout_.v1_parents.find(controller);
  return it == layout_.v1_parents.end() ? std::string() : it->second + "/" + task_id_;
}

std::string TaskCgroup::dir() const { return in("pids"); }

bool TaskCgroup::exists() const { return ::access(dir().c_str(), F_OK) == 0; }

Status TaskCgroup::create(const TaskLimits& limits) {
  std::set<std::string> dirs;
  for (const char* c : kV1Controllers) dirs.insert(in(c));
  for (const auto& d : dirs) BOREALIS_RETURN_IF_ERROR(make_dir(d));
  const bool v2 = layout_.version == CgroupVersion::kV2;
  if (limits.ram > 0) {
    std::string ram = std::to_string(limits.ram);
    if (v2) {
      BOREALIS_RETURN_IF_ERROR(write_cgroup_file(in("memory") + "/memory.max", ram));
      BOREALIS_RETURN_IF_ERROR(write_if_present(in("memory") + "/memory.swap.max", "0"));
    } else {
      BOREALIS_RETURN_IF_ERROR(write_cgroup_file(in("memory") + "/memory.limit_in_bytes", ram));
      // memory+swap = memory: no swap. Without swap accounting the file is absent.
      BOREALIS_RETURN_IF_ERROR(
          write_if_present(in("memory") + "/memory.memsw.limit_in_bytes", ram));
    }
  }
  if (limits.cpu > 0) {
    if (layout_.cpu_limit == CpuLimit::kQuota) {
      int64_t quota = std::max<int64_t>(kMinCfsQuotaUs, std::llround(limits.cpu * kCfsPeriodUs));
      if (v2) {
        BOREALIS_RETURN_IF_ERROR(write_cgroup_file(
            in("cpu") + "/cpu.max", std::to_string(quota) + " " + std::to_string(kCfsPeriodUs)));
      } else {
        BOREALIS_RETURN_IF_ERROR(
            write_cgroup_file(in("cpu") + "/cpu.cfs_period_us", std::to_string(kCfsPeriodUs)));
        BOREALIS_RETURN_IF_ERROR(
            write_cgroup_file(in("cpu") + "/cpu.cfs_quota_us", std::to_string(quota)));
      }
    } else if (v2) {
      int64_t weight = std::clamp<int64_t>(std::llround(limits.cpu * 100), 1, 10000);
      BOREALIS_RETURN_IF_ERROR(
          write_cgroup_file(in("cpu") + "/cpu.weight", std::to_string(weight)));
    } else {
      int64_t shares = std::max<int64_t>(2, std::llround(limits.cpu * 1024));
      BOREALIS_RETURN_IF_ERROR(
          write_cgroup_file(in("cpu") + "/cpu.shares", std::to_string(shares)));
    }
  }
  if (layout_.pids_max > 0)
    BOREALIS_RETURN_IF_ERROR(
        write_cgroup_file(in("pids") + "/pids.max", std::to_string(layout_.pids_max)));
  return Status();
}

std::vector<std::string> TaskCgroup::procs_files() const {
  std::set<std::string> dirs;
  for (const char* c : kV1Controllers) dirs.insert(in(c));
  std::vector<std::string> out;
  for (const auto& d : dirs) out.push_back(d + "/cgroup.procs");
  return out;
}

std::vector<int64_t> TaskCgroup::pids() const {
  auto text = read_cgroup_file(dir() + "/cgroup.procs");
  return text.ok() ? parse_procs(*text) : std::vector<int64_t>{};
}

int64_t TaskCgroup::oom_kills() const {
  auto n = layout_.version == CgroupVersion::kV2
               ? read_cgroup_counter(in("memory") + "/memory.events", "oom_kill")
               : read_cgroup_counter(in("memory") + "/memory.oom_control", "oom_kill");
  return n.ok() ? *n : 0;
}

int64_t TaskCgroup::memory_limit() const {
  auto n = read_cgroup_value(in("memory") + (layout_.version == CgroupVersion::kV2
                                                 ? "/memory.max"
                                                 : "/memory.limit_in_bytes"));
  if (!n.ok() || *n >= kV1Unlimited) return -1;
  return *n;
}

Result<CgroupUsage> TaskCgroup::usage() const {
  CgroupUsage u;
  if (layout_.version == CgroupVersion::kV2) {
    BOREALIS_ASSIGN_OR_RETURN(u.cpu_usec,
                              read_cgroup_counter(in("cpu") + "/cpu.stat", "usage_usec"));
    BOREALIS_ASSIGN_OR_RETURN(u.memory_bytes, read_cgroup_value(in("memory") + "/memory.current"));
    if (auto peak = read_cgroup_value(in("memory") + "/memory.peak"); peak.ok())
      u.memory_peak_bytes = *peak;
  } else {
    BOREALIS_ASSIGN_OR_RETURN(int64_t ns, read_cgroup_value(in("cpuacct") + "/cpuacct.usage"));
    u.cpu_usec = ns / 1000;
    BOREALIS_ASSIGN_OR_RETURN(u.memory_bytes,
                              read_cgroup_value(in("memory") + "/memory.usage_in_bytes"));
    if (auto peak = read_cgroup_value(in("memory") + "/memory.max_usage_in_bytes"); peak.ok())
      u.memory_peak_bytes = *peak;
  }
  return u;
}

int TaskCgroup::kill_all() {
  std::vector<int64_t> listed = pids();
  if (listed.empty()) return 0;
  if (layout_.version == CgroupVersion::kV2 &&
      ::access((dir() + "/cgroup.kill").c_str(), F_OK) == 0 &&
      write_cgroup_file(dir() + "/cgroup.kill", "1").ok())
    return static_cast<int>(listed.size());
  // Frozen, no process can fork between the listing and the kill; SIGKILL is delivered
  // on thaw.
  const bool v2 = layout_.version == CgroupVersion::kV2;
  std::string freeze = v2 ? in("pids") + "/cgroup.freeze" : in("freezer") + "/freezer.state";
  (void)write_cgroup_file(freeze, v2 ? "1" : "FROZEN");
  listed = pids();
  for (int64_t pid : listed) ::kill(static_cast<pid_t>(pid), SIGKILL);
  (void)write_cgroup_file(freeze, v2 ? "0" : "THAWED");
  return static_cast<int>(listed.size());
}

Status TaskCgroup::remove() {
  std::set<std::string> dirs;
  for (const char* c : kV1Controllers) dirs.insert(in(c));
  for (const auto& d : dirs)
    if (::rmdir(d.c_str()) != 0 && errno != ENOENT)
      return io_error("cannot remove cgroup " + d + ": " + errno_text(errno));
  return Status();
}

}  // namespace borealis::agent
