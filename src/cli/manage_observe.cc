// The `manage` verbs that look at a running job:
//   borealis manage history|tail JOB --stage STAGE [options]
//   borealis manage ssh JOB --stage STAGE [--instance N] [options]
// Each resolves JOB + STAGE to the job key through the stage file, then runs what
// `borealis job history`, `borealis job tail` and `borealis task ssh` run.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/history_commands.h"
#include "cli/manage_args.h"

namespace borealis::cli {

namespace {

const CommandDoc kHistoryDoc = {
    "history", "Show what the job ran: its create and updates with each version's githash",
    "Example:\n"
    "  borealis manage history eightball --stage prod\n"};
const CommandDoc kTailDoc = {"tail", "Follow the output of every instance at once",
                             "Example:\n"
                             "  borealis manage tail eightball --stage prod --process eightball\n"};
const CommandDoc kSshDoc = {"ssh", "A shell in an instance's sandbox, through its agent (or ssh)",
                            "Example:\n"
                            "  borealis manage ssh eightball --stage prod --instance 3\n"};

struct HistoryArgs : ManageArgs {
  HistoryOptions options;
};
struct TailArgs : ManageArgs {
  TailFlags flags;
};
struct SshArgs : ManageArgs {
  int32_t instance = 0;
  SshOptions options;
};

int run_history(const HistoryArgs& o, const CommandContext& ctx, const CLI::App*) {
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  return run_job_history(*key, o.options, ctx);
}

int run_tail(const TailArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto options = tail_options(o.flags);
  if (!options.ok()) return usage_error(ctx, sub, options.status().message());
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  return run_job_tail(*key, *options, ctx);
}

int run_ssh(const SshArgs& o, const CommandContext& ctx, const CLI::App*) {
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  return run_task_ssh(*key, o.instance, o.options, ctx);
}

}  // namespace

void register_manage_observe(CLI::App& manage, CommandContext& ctx) {
  auto [history, ho] = add_command<HistoryArgs>(manage, ctx, kHistoryDoc, run_history);
  add_manage_args(history, ho);
  add_history_options(history, &ho->options);

  auto [tail, to] = add_command<TailArgs>(manage, ctx, kTailDoc, run_tail);
  add_manage_args(tail, to);
  add_tail_options(tail, &to->flags);

  auto [ssh, so] = add_command<SshArgs>(manage, ctx, kSshDoc, run_ssh);
  add_manage_args(ssh, so);
  ssh->add_option("--instance,-i", so->instance, "The instance to log in to")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_ssh_options(ssh, &so->options);
}

}  // namespace borealis::cli
