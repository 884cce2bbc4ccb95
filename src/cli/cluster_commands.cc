// The `cluster` noun: borealis cluster agents CLUSTER [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

struct AgentsOptions {
  std::string cluster;
  std::string output = "text";
};

int run_agents(const AgentsOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  Status st = validate_identifier("cluster", o.cluster);
  if (!st.ok()) return usage_error(ctx, sub, st.message());
  auto api = connect(ctx.env, o.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto agents = (*api)->agents();
  if (!agents.ok()) return fail(ctx, agents.status());
  if (o.output == "json") {
    print_json(ctx.out, agents->raw);
  } else {
    ctx.out << format_agents(*agents, ctx.env.clock->now_ms());
  }
  return kExitOk;
}

}  // namespace

void register_cluster_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* cluster = app.add_subcommand("cluster", "Inspect a cluster");
  require_verb(cluster, ctx);

  auto o = std::make_shared<AgentsOptions>();
  CLI::App* agents = cluster->add_subcommand("agents", "List a cluster's agents and their load");
  agents->add_option("cluster", o->cluster, "The cluster's name (see clusters.json)")->required();
  add_output_option(agents, &o->output);
  agents->footer(
      "Examples:\n"
      "  borealis cluster agents devcluster\n"
      "  borealis cluster agents devcluster --output json\n");
  ctx.table.on_run(agents, [o, &ctx, agents] { return run_agents(*o, ctx, agents); });
}

}  // namespace borealis::cli
