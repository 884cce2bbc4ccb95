// The git questions `borealis manage` asks, answered by running git (posix_spawn, no
// shell; arguments never start with '-' where a user supplies them).
//
// Thread-safety: pure functions; any thread (each blocks while git runs, at most 30 s).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::manage {

struct GitRun {
  int exit_code = 0;
  std::string out;  // stdout, at most 64 KiB
  std::string err;  // stderr, at most 64 KiB
};

// `git -C dir ARGS...`. Fails only when git cannot be run (not installed, killed, timed out).
Result<GitRun> run_git(const std::string& dir, const std::vector<std::string>& args);

// The top of the work tree `dir` is in; NOT_FOUND when it is in none.
Result<std::string> git_toplevel(const std::string& dir);

// Whether `commit` names a commit in the repository of `dir`.
Result<bool> git_has_commit(const std::string& dir, const std::string& commit);

// Whether `commit` is an ancestor of (or is) `ref` ("origin/main"). The ref must exist:
// NOT_FOUND otherwise.
Result<bool> git_is_ancestor(const std::string& dir, const std::string& commit,
                             const std::string& ref);

}  // namespace borealis::manage
