#include "cli/command.h"

#include <CLI/CLI.hpp>

#include "cli/cluster_config.h"
#include "cli/scheduler_locator.h"

namespace borealis::cli {

void CommandTable::on_run(const CLI::App* sub, Action action) { actions_[sub] = std::move(action); }

const CommandTable::Action* CommandTable::selected(const CLI::App& app) const {
  auto it = actions_.find(selected_command(app));
  return it == actions_.end() ? nullptr : &it->second;
}

const CLI::App* selected_command(const CLI::App& app) {
  const CLI::App* cur = &app;
  for (auto subs = cur->get_subcommands(); !subs.empty(); subs = cur->get_subcommands())
    cur = subs.front();
  return cur;
}

std::string command_path(const CLI::App* sub) {
  std::string path;
  for (const CLI::App* a = sub; a; a = a->get_parent())
    path = a->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

std::string help_text(const CLI::App* sub) {
  // Not sub->help(): that shows the help of a selected subcommand instead.
  return sub->get_formatter()->make_help(sub, command_path(sub), CLI::AppFormatMode::Normal);
}

void require_verb(CLI::App* noun, CommandContext& ctx) {
  noun->require_subcommand(0, 1);
  ctx.table.on_run(noun, [noun, &ctx] {
    ctx.err << "error: '" << command_path(noun) << "' needs a command\n\n" << help_text(noun);
    return kExitUsage;
  });
}

int fail(const CommandContext& ctx, const Status& st) {
  ctx.err << "error: " << st.message() << "\n";
  bool refused =
      st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied;
  return refused ? kExitAuth : kExitFailed;
}

int usage_error(const CommandContext& ctx, const CLI::App* sub, const std::string& message) {
  ctx.err << "error: " << message << "\n";
  ctx.err << "Run '" << command_path(sub) << " --help' for usage.\n";
  return kExitUsage;
}

Result<std::unique_ptr<ApiClient>> connect(const CliEnv& env, const std::string& cluster,
                                           ClusterInfo* info_out) {
  BOREALIS_ASSIGN_OR_RETURN(Clusters clusters, Clusters::load(env.cluster_files));
  BOREALIS_ASSIGN_OR_RETURN(ClusterConfig config, clusters.find(cluster));
  BOREALIS_ASSIGN_OR_RETURN(ClusterCredentials credentials, credentials_for(config, env.tokens));
  return connect_to(env, config, std::move(credentials), info_out);
}

Result<std::unique_ptr<ApiClient>> connect_to(const CliEnv& env, const ClusterConfig& entry,
                                              ClusterCredentials credentials,
                                              ClusterInfo* info_out) {
  BOREALIS_ASSIGN_OR_RETURN(ClusterConfig config, with_scheduler_uri(entry, env.zk_timeout));
  const std::string& cluster = config.name;
  auto api = ApiClient::create(cluster, config.scheduler_uri, env.http_timeout,
                               std::move(credentials), config.tls);
  if (!api.ok())
    return api.status().with_context("cluster '" + cluster + "' (from " + config.source + ")");
  BOREALIS_ASSIGN_OR_RETURN(ClusterInfo info, (*api)->cluster_info());
  if (info.cluster != cluster) {
    return failed_precondition("the scheduler at " + config.scheduler_uri + " (cluster '" +
                               cluster + "' in " + config.source + ") serves cluster '" +
                               info.cluster + "', not '" + cluster + "'");
  }
  if (info_out) *info_out = std::move(info);
  return api;
}

CLI::App* add_documented_subcommand(CLI::App& parent, const CommandDoc& doc) {
  CLI::App* sub = parent.add_subcommand(doc.name, doc.help);
  sub->footer(doc.footer);
  return sub;
}

void add_output_option(CLI::App* sub, std::string* output) {
  sub->add_option("--output,-o", *output, "Output format: text (tables) or json (the API's JSON)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
}

void print_json(std::ostream& out, const json::value& v) { out << to_pretty_json(v); }

void add_wait_timeout_option(CLI::App* sub, int64_t* secs, const std::string& help) {
  sub->add_option("--wait-timeout", *secs, help)
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

}  // namespace borealis::cli
