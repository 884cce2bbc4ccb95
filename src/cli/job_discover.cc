// borealis job discover CLUSTER/ROLE/ENV/NAME [--endpoint NAME] [--output json]: the job's
// ServerSet as the scheduler's HTTP discovery answers it (docs/api.md, "Discovery").
#include <CLI/CLI.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/job_args.h"

namespace borealis::cli {

namespace {

const CommandDoc kDiscoverDoc = {
    "discover", "List the endpoints of a job's announced, RUNNING instances",
    "Prints HOST:PORT of each member of the job's ServerSet, by instance: its primary port\n"
    "(Announcer.primary_port), or with --endpoint NAME its port of that name (members\n"
    "without it are left out). Members are the instances that are RUNNING (and healthy,\n"
    "when health checked). A job without `announce` has no ServerSet: an error.\n"
    "--output json prints the scheduler's answer, each member in the ServerSet JSON\n"
    "Finagle and Aurora's announcer use (or {host, port} with --endpoint).\n\n"
    "Examples:\n"
    "  borealis job discover devcluster/www-data/prod/hello\n"
    "  borealis job discover devcluster/www-data/prod/hello --endpoint admin\n"
    "  borealis job discover devcluster/www-data/prod/hello --output json\n"};

struct DiscoverArgs {
  std::string key;
  std::string endpoint;
  std::string output = "text";
};

std::string endpoint_lines(const std::vector<api::Endpoint>& endpoints) {
  std::ostringstream out;
  for (const api::Endpoint& e : endpoints) out << api::endpoint_text(e) << "\n";
  return out.str();
}

int run_discover(const DiscoverArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_job_key(o.key, ctx, sub);
  if (!c) return c.exit_code;
  const JobKey& key = c->key.job;
  if (!o.endpoint.empty()) {
    auto named = c->api->discover_endpoint(key, o.endpoint);
    if (!named.ok()) return fail(ctx, named.status());
    return print_response(ctx, o.output, *named,
                          [](const DiscoveryEndpoints& d) { return endpoint_lines(d.members); });
  }
  auto members = c->api->discover(key);
  if (!members.ok()) return fail(ctx, members.status());
  return print_response(ctx, o.output, *members, [](const Discovery& d) {
    std::vector<api::Endpoint> primary;
    for (const api::ServersetMember& m : d.members) primary.push_back(m.service_endpoint);
    return endpoint_lines(primary);
  });
}

}  // namespace

void register_job_discover(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<DiscoverArgs>(job, ctx, kDiscoverDoc, run_discover);
  sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  sub->add_option("--endpoint", o->endpoint,
                  "Print this named port of each member (an additionalEndpoints name)");
  add_output_option(sub, &o->output);
}

}  // namespace borealis::cli
