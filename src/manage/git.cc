#include "manage/git.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/strings.h"

extern char** environ;

namespace borealis::manage {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;
constexpr auto kGitTimeout = std::chrono::seconds(30);

struct Pipe {
  int fds[2] = {-1, -1};
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) close(fd);
  }
};

// Reads both pipes until both close or the deadline passes; false on timeout.
bool drain(int out_fd, int err_fd, std::string* out, std::string* err) {
  auto deadline = std::chrono::steady_clock::now() + kGitTimeout;
  std::array<pollfd, 2> fds = {pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
  std::array<std::string*, 2> bufs = {out, err};
  int open = 2;
  char chunk[4096];
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    int n = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = read(fds[i].fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      size_t room = kMaxOutput - std::min(kMaxOutput, bufs[i]->size());
      bufs[i]->append(chunk, std::min(room, static_cast<size_t>(got)));
    }
  }
  return true;
}

}  // namespace

Result<GitRun> run_git(const std::string& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv_s = {"git", "-C", dir};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  Pipe out, err;
  if (pipe2(out.fds, O_CLOEXEC) != 0 || pipe2(err.fds, O_CLOEXEC) != 0)
    return io_error(std::string("cannot run git: pipe: ") + strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fds[1], 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return unavailable(std::string("cannot run git: ") + strerror(rc));
  close(out.fds[1]);
  out.fds[1] = -1;
  close(err.fds[1]);
  err.fds[1] = -1;

  GitRun run;
  bool finished = drain(out.fds[0], err.fds[0], &run.out, &run.err);
  if (!finished) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!finished) return unavailable("git " + join(args, " ") + " in " + dir + " timed out");
  if (!WIFEXITED(wstatus))
    return unavailable("git " + join(args, " ") + " in " + dir + " was killed");
  run.exit_code = WEXITSTATUS(wstatus);
  return run;
}

Result<std::string> git_toplevel(const std::string& dir) {
  BOREALIS_ASSIGN_OR_RETURN(GitRun r, run_git(dir, {"rev-parse", "--show-toplevel"}));
  if (r.exit_code != 0) return not_found(dir + " is not in a git work tree");
  return std::string(trim(r.out));
}

Result<bool> git_has_commit(const std::string& dir, const std::string& commit) {
  BOREALIS_ASSIGN_OR_RETURN(GitRun r, run_git(dir, {"cat-file", "-e", commit + "^{commit}"}));
  return r.exit_code == 0;
}

Result<bool> git_is_ancestor(const std::string& dir, const std::string& commit,
                             const std::string& ref) {
  BOREALIS_ASSIGN_OR_RETURN(bool has_ref, git_has_commit(dir, ref));
  if (!has_ref) return not_found("the repository at " + dir + " has no " + ref);
  BOREALIS_ASSIGN_OR_RETURN(GitRun r, run_git(dir, {"merge-base", "--is-ancestor", commit, ref}));
  if (r.exit_code == 0) return true;
  if (r.exit_code == 1) return false;
  return unavailable("git merge-base --is-ancestor " + commit + " " + ref + " in " + dir +
                     " failed: " + std::string(trim(r.err)));
}

}  // namespace borealis::manage
