// `borealis job history`, `borealis job tail` and `borealis task ssh`: entry points that
// take an already resolved job key, so other commands (`borealis manage history|tail|ssh
// JOB --stage S`) run them for the key they computed. The register_* functions in
// commands.h parse the plain commands' arguments and call these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/job_key.h"
#include "common/result.h"

namespace borealis::cli {

struct HistoryOptions {
  std::string output = "text";  // text or json
  int64_t limit = 20;           // newest versions shown
};
// The job's deploy history, newest first: the create and every update kept by the
// scheduler, with each version's borealis.githash / borealis.buildname metadata.
int run_job_history(const ClusterJobKey& key, const HistoryOptions& options,
                    const CommandContext& ctx);
// --output, --limit
void add_history_options(CLI::App* sub, HistoryOptions* options);

struct TailOptions {
  std::optional<std::vector<int32_t>> instances;  // nullopt = every instance
  std::string process;                            // "" = the last process with logs
  std::string stream = "stdout";                  // stdout or stderr
  int64_t lines = 10;                             // shown of each instance at the start
  bool follow = true;                             // false: print the last lines and end
  bool colour = false;                            // colour the instance prefixes
};
// Follows the output of every selected active instance until SIGINT or SIGTERM (exit 0).
int run_job_tail(const ClusterJobKey& key, const TailOptions& options, const CommandContext& ctx);
// The tail flags as typed: --instances, --process, --stream, --lines, --no-follow.
struct TailFlags {
  std::string instances;
  TailOptions options;
  bool no_follow = false;
};
void add_tail_options(CLI::App* sub, TailFlags* flags);
// TailOptions from the flags (colour when stdout is a terminal); a bad --instances is an error.
Result<TailOptions> tail_options(const TailFlags& flags);

struct SshOptions {
  std::string command;               // run this in the sandbox instead of a login shell
  std::string ssh_command;           // the ssh program (and options); "" = $BOREALIS_SSH, else ssh
  std::string ssh_user;              // "" = the job's role
  std::vector<std::string> tunnels;  // LOCALPORT:PORTNAME
  bool print = false;                // print the command instead of running it
  bool via_ssh = false;              // ssh to the host instead of a shell through the agent
  // The options only ssh has (and --command) choose ssh too.
  bool uses_ssh() const {
    return via_ssh || print || !command.empty() || !ssh_command.empty() || !ssh_user.empty() ||
           !tunnels.empty();
  }
};
// Opens a shell in the sandbox of the instance's active task through its agent, as the
// task's user, and returns the shell's exit status; or, when options.uses_ssh(), runs ssh
// to its host, in its sandbox's work dir (exec: the exit status is ssh's), and with
// `print` prints that command line instead.
int run_task_ssh(const ClusterJobKey& key, int32_t instance, const SshOptions& options,
                 const CommandContext& ctx);
// --via-ssh, --command, --ssh-command, --ssh-user, --tunnel, --print
void add_ssh_options(CLI::App* sub, SshOptions* options);

}  // namespace borealis::cli
