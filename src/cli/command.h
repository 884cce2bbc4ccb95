// What every CLI command shares: the environment it runs in, where its output goes, how a
// parsed subcommand is bound to the code that runs it, and the exit codes.
//
// Exit codes: 0 ok, 1 the operation failed (bad job file, unknown cluster, scheduler error,
// wait failed or timed out), 2 usage error (the command line itself is wrong), 30 the
// scheduler refused the caller (401 or 403: no token, a bad one, or one without the grant;
// Aurora's client uses 30 for its auth errors too).
//
// Threading: a command runs on the thread that called run_cli.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/api_client.h"
#include "cli/cluster_config.h"
#include "cli/job_args.h"
#include "common/clock.h"
#include "common/result.h"

namespace CLI {
class App;
}

namespace borealis::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitAuth = 30;

// The outside world as the CLI sees it; tests substitute every part.
struct CliEnv {
  std::vector<std::string> cluster_files;  // clusters.json files, lowest precedence first
  const Clock* clock = &SystemClock::instance();
  std::function<void(TimeMs)> sleep;  // waits between polls
  bool terminal = false;              // stderr is a terminal: print progress
  std::chrono::milliseconds http_timeout{10000};
  // How long finding a "zk" cluster's scheduler waits for a ZooKeeper server to answer.
  std::chrono::milliseconds zk_timeout{5000};
  TokenSettings tokens;  // BOREALIS_TOKEN and ~/.borealis/credentials
  // Reads a secret line (`borealis login`'s token), showing `prompt` when interactive.
  std::function<Result<std::string>(const std::string& prompt)> read_secret;
  // Waits poll first after poll_initial_ms, then twice as long each time up to poll_ms,
  // so short operations return quickly and long ones do not hammer the scheduler.
  TimeMs poll_initial_ms = 50;
  TimeMs poll_ms = 1000;
  // `borealis manage`: $BOREALIS_CONFIGS and $BOREALIS_ARTIFACTS (empty when unset).
  std::string manage_configs;
  std::string manage_artifacts;
};

// Binds subcommands to what they do. A command registers its CLI11 subcommand and an
// action; after parsing, run_cli runs the action of the subcommand the user chose and
// returns its exit code. Owned by run_cli for one invocation.
class CommandTable {
 public:
  using Action = std::function<int()>;
  void on_run(const CLI::App* sub, Action action);
  // The action of the deepest subcommand selected in `app`, or nullptr.
  const Action* selected(const CLI::App& app) const;

 private:
  std::map<const CLI::App*, Action> actions_;
};

// Handed to every register_*_commands function; outlives the actions.
struct CommandContext {
  const CliEnv& env;
  std::ostream& out;
  std::ostream& err;
  CommandTable& table;
};

// "error: MESSAGE" on err; returns kExitAuth for UNAUTHENTICATED or PERMISSION_DENIED (a
// 401 or 403), else kExitFailed.
int fail(const CommandContext& ctx, const Status& st);
// "error: MESSAGE" and a pointer to --help on err; returns kExitUsage.
int usage_error(const CommandContext& ctx, const CLI::App* sub, const std::string& message);

// Resolves `cluster` through the clusters.json files, picks its token (credentials.h), and
// checks that the scheduler found there serves that cluster (so a stale clusters.json cannot aim a
// kill at the wrong one). `info`, when given, receives the scheduler's description of its cluster
// (GET /api/v1/cluster: its capabilities).
Result<std::unique_ptr<ApiClient>> connect(const CliEnv& env, const std::string& cluster,
                                           ClusterInfo* info = nullptr);
// connect() to the cluster `config` describes, sending `credentials`.
Result<std::unique_ptr<ApiClient>> connect_to(const CliEnv& env, const ClusterConfig& config,
                                              ClusterCredentials credentials,
                                              ClusterInfo* info = nullptr);

// "borealis job create" for the subcommand `sub`.
std::string command_path(const CLI::App* sub);
// The --help text of `sub`.
std::string help_text(const CLI::App* sub);
// The deepest subcommand the user selected in `app` (or `app` itself).
const CLI::App* selected_command(const CLI::App& app);
// Makes a noun (`job`, `cluster`) given without a verb a usage error that shows its verbs.
void require_verb(CLI::App* noun, CommandContext& ctx);

// What --help shows of a subcommand: its name, one line, and the text after the options.
struct CommandDoc {
  const char* name;
  const char* help;
  const char* footer;
};

// `doc` as a subcommand of `parent`.
CLI::App* add_documented_subcommand(CLI::App& parent, const CommandDoc& doc);

// What runs when the user chose a subcommand: its parsed options in, the exit code out.
template <class Options>
using CommandAction = int (*)(const Options&, const CommandContext&, const CLI::App*);

// Adds the subcommand `doc` to `parent`, bound to `action`. The caller adds the
// subcommand's arguments, writing into the returned options, which the action reads (they
// live as long as the action).
template <class Options>
std::pair<CLI::App*, Options*> add_command(CLI::App& parent, CommandContext& ctx,
                                           const CommandDoc& doc, CommandAction<Options> action) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = add_documented_subcommand(parent, doc);
  ctx.table.on_run(sub, [action, options, &ctx, sub] { return action(*options, ctx, sub); });
  return {sub, options.get()};
}

// What a step of a command gives: the value, or (the error already printed) the exit code
// the command returns instead.
template <class T>
struct OrExit {
  OrExit(T v) : value(std::move(v)) {}  // NOLINT(google-explicit-constructor): a step's value
  static OrExit exit(int code) {
    OrExit r;
    r.exit_code = code;
    return r;
  }
  explicit operator bool() const { return value.has_value(); }
  T* operator->() { return &*value; }
  T& operator*() { return *value; }

  std::optional<T> value;
  int exit_code = kExitOk;

 private:
  OrExit() = default;
};

// A client for the cluster a command's argument names, with the argument as parsed (a job
// key, a scope, a cluster name).
template <class Key>
struct Connected {
  Key key;
  std::unique_ptr<ApiClient> api;
};

// The cluster a command's argument names.
inline const std::string& cluster_of(const std::string& cluster) { return cluster; }
inline const std::string& cluster_of(const InstanceKey& k) { return k.key.cluster; }
inline const std::string& cluster_of(const ClusterJobKey& k) { return k.cluster; }
inline const std::string& cluster_of(const JobFilter& f) { return f.cluster; }

// A command's first steps: its argument parsed (`parsed`; an error is a usage error), then
// a client for the cluster it names.
template <class Parsed>
OrExit<Connected<Parsed>> connect_parsed(Result<Parsed> parsed, const CommandContext& ctx,
                                         const CLI::App* sub) {
  using Out = OrExit<Connected<Parsed>>;
  if (!parsed.ok()) return Out::exit(usage_error(ctx, sub, parsed.status().message()));
  auto api = connect(ctx.env, cluster_of(*parsed));
  if (!api.ok()) return Out::exit(fail(ctx, api.status()));
  return Connected<Parsed>{std::move(parsed).value(), std::move(api).value()};
}

// KEY parsed as CLUSTER/ROLE/ENV/NAME[/INSTANCES], then connected.
inline OrExit<Connected<InstanceKey>> connect_instance_key(const std::string& arg,
                                                           const CommandContext& ctx,
                                                           const CLI::App* sub) {
  return connect_parsed(parse_instance_key(arg), ctx, sub);
}
// KEY parsed as CLUSTER/ROLE/ENV/NAME, then connected.
inline OrExit<Connected<ClusterJobKey>> connect_job_key(const std::string& arg,
                                                        const CommandContext& ctx,
                                                        const CLI::App* sub) {
  return connect_parsed(parse_job_key_arg(arg), ctx, sub);
}

// `--output text|json` on a reading command.
void add_output_option(CLI::App* sub, std::string* output);
// The arguments of a command that shows one thing: what (a cluster, a scope, a key), and
// --output.
struct ShowArgs {
  std::string what;
  std::string output = "text";
};
// `--wait-timeout SECS`: how long a command waits; 0 waits forever.
void add_wait_timeout_option(CLI::App* sub, int64_t* secs, const std::string& help);
// The API's JSON, indented, for `--output json`.
void print_json(std::ostream& out, const json::value& v);

// A reading command's answer: with `--output json` the API's JSON as received (`r.raw`),
// otherwise the text `format(r)` makes.
template <class Response, class Format>
int print_response(const CommandContext& ctx, const std::string& output, const Response& r,
                   Format format) {
  if (output == "json") {
    print_json(ctx.out, r.raw);
  } else {
    ctx.out << format(r);
  }
  return kExitOk;
}

}  // namespace borealis::cli
