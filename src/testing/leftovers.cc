#include "testing/leftovers.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "agent/checkpoint_reader.h"
#include "agent/proc_stat.h"
#include "agent/runner_process.h"
#include "agent/task_progress.h"
#include "common/files.h"
#include "testing/wait_until.h"

namespace borealis::testing {

namespace fs = std::filesystem;

namespace {

// The runners the checkpoints under `sandboxes` name that still run (or wait to be
// reaped): their pids, which are also their session ids. A runner gone long ago may have
// had its pid recycled, so it is not trusted to name a session.
std::set<int64_t> runner_pids(const std::string& sandboxes) {
  std::set<int64_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(sandboxes, ec)) {
    agent::CheckpointTail tail(e.path().string());
    agent::TaskProgress progress;
    if (auto records = tail.read_new(); records.ok())
      for (const auto& r : *records) progress.apply(r);
    if (progress.has_runner_record() &&
        agent::runner_liveness(progress.runner_pid(), progress.runner_start_ticks()) !=
            agent::Liveness::kGone)
      out.insert(progress.runner_pid());
  }
  return out;
}

bool is_under(const std::string& path, const std::string& root) {
  return path == root || path.rfind(root + "/", 0) == 0;
}

// A process works under `root` (a task) or names it on its command line (a runner: one
// that has not written its checkpoint yet is found only this way).
bool belongs_to(const fs::path& proc_dir, const std::string& root) {
  std::error_code ec;
  if (std::string cwd = fs::read_symlink(proc_dir / "cwd", ec).string(); !ec && is_under(cwd, root))
    return true;
  // read_file, not an ifstream: reading a process that exits meanwhile fails with ESRCH,
  // which libstdc++'s filebuf throws from under an istreambuf_iterator.
  auto cmdline = read_file((proc_dir / "cmdline").string(), "command line", 1 << 20);
  return cmdline.ok() && cmdline->find(root + "/") != std::string::npos;
}

// One pass over /proc: SIGKILLs every live process in one of `sessions` or belonging to
// `root`, adds the sessions such processes lead, and reaps those that are our children.
// Returns how many it signalled.
int kill_pass(const std::string& root, std::set<int64_t>& sessions) {
  int killed = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int64_t pid = std::stoll(name);
    if (pid == ::getpid()) continue;
    auto stat = agent::read_proc_stat(pid);
    if (!stat) continue;
    const bool ours = sessions.count(stat->session) || belongs_to(e.path(), root);
    if (!ours) continue;
    if (stat->session == pid) sessions.insert(pid);  // a runner: its tasks are in its session
    if (stat->state != 'Z' && ::kill(static_cast<pid_t>(pid), SIGKILL) == 0) ++killed;
    agent::reap_pid(pid);
  }
  return killed;
}

}  // namespace

void kill_task_processes(const std::string& root, const std::vector<std::string>& sandbox_roots) {
  if (root.empty() || root == "/") return;  // never everything
  std::set<int64_t> sessions;
  for (const auto& dir : sandbox_roots) sessions.merge(runner_pids(dir));
  wait_until([&] { return kill_pass(root, sessions) == 0; }, std::chrono::seconds(5));
  // The runners among them are children of this process: reap them.
  wait_until(
      [&] {
        bool all_gone = true;
        for (int64_t pid : sessions) {
          agent::reap_pid(pid);
          all_gone = all_gone && agent::runner_liveness(pid, 0) == agent::Liveness::kGone;
        }
        return all_gone;
      },
      std::chrono::seconds(5));
}

}  // namespace borealis::testing
