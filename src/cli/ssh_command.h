// The command line of `borealis task ssh`: pure functions, so the exact argv is testable.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::cli {

struct SshTarget {
  std::string user;
  std::string host;
  std::string work_dir;                  // the task's sandbox work dir on `host`
  std::map<std::string, int64_t> ports;  // the task's named ports
};

// `program` (split on spaces; "" = ssh) -t [-L LOCAL:HOST:PORT]... USER@HOST
// 'cd WORK_DIR && exec $SHELL -l' (or 'cd WORK_DIR && COMMAND'). A tunnel is
// LOCALPORT:NAME with NAME one of the task's ports; errors name the bad one.
Result<std::vector<std::string>> ssh_argv(const SshTarget& target, const std::string& program,
                                          const std::string& command,
                                          const std::vector<std::string>& tunnels);

// `s` quoted for a POSIX shell: as is when it holds only safe characters, else in single
// quotes.
std::string shell_quote(const std::string& s);
// The words quoted and joined by spaces: a line a shell runs as `argv`.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace borealis::cli
