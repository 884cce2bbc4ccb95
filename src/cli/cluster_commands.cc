// The `cluster` noun: borealis cluster agents CLUSTER [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

const CommandDoc kAgentsDoc = {"agents", "List a cluster's agents and their load",
                               "Examples:\n"
                               "  borealis cluster agents devcluster\n"
                               "  borealis cluster agents devcluster --output json\n"};

// CLUSTER, checked to be a name.
Result<std::string> cluster_name(const std::string& arg) {
  Status st = validate_identifier("cluster", arg);
  if (!st.ok()) return st;
  return arg;
}

int run_agents(const ShowArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_parsed(cluster_name(o.what), ctx, sub);
  if (!c) return c.exit_code;
  auto agents = c->api->agents();
  if (!agents.ok()) return fail(ctx, agents.status());
  return print_response(ctx, o.output, *agents, [&](const AgentList& list) {
    return format_agents(list, ctx.env.clock->now_ms());
  });
}

}  // namespace

void register_cluster_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* cluster = app.add_subcommand("cluster", "Inspect a cluster");
  require_verb(cluster, ctx);

  auto [agents, o] = add_command<ShowArgs>(*cluster, ctx, kAgentsDoc, run_agents);
  agents->add_option("cluster", o->what, "The cluster's name (see clusters.json)")->required();
  add_output_option(agents, &o->output);
}

}  // namespace borealis::cli
