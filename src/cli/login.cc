// borealis login CLUSTER: reads a token (never from the command line, where `ps` shows
// it), checks that the cluster's scheduler accepts it, and stores it in the credentials
// file the CLI reads for that cluster (mode 0600).
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/job_key.h"

namespace borealis::cli {

namespace {

const CommandDoc kLoginDoc = {
    "login", "Store a token for a cluster in ~/.borealis/credentials",
    "Reads the token from standard input (hidden on a terminal), checks it against the\n"
    "cluster's scheduler (GET /api/v1/cluster), and stores it in the credentials file as\n"
    "'CLUSTER TOKEN' (or the entry and file clusters.json names in \"auth\"), mode 0600.\n"
    "An admin makes tokens with 'borealis admin token create'.\n"
    "Examples:\n"
    "  borealis login us-east\n"
    "  borealis admin token create ci --role www-data | head -1 | borealis login devcluster\n"};

struct LoginOptions {
  std::string cluster;
};

int run_login(const LoginOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  if (Status st = validate_identifier("cluster", o.cluster); !st.ok())
    return usage_error(ctx, sub, st.message());
  auto clusters = Clusters::load(ctx.env.cluster_files);
  if (!clusters.ok()) return fail(ctx, clusters.status());
  auto config = clusters->find(o.cluster);
  if (!config.ok()) return fail(ctx, config.status());
  if (config->auth.none) {
    return fail(ctx, failed_precondition("cluster '" + o.cluster + "' is \"auth\": \"none\" in " +
                                         config->source + ": no token is ever sent to it"));
  }
  ClusterCredentials creds;
  creds.cluster = o.cluster;
  creds.file = config->auth.file.empty() ? ctx.env.tokens.default_file : config->auth.file;
  creds.entry = config->auth.credentials.empty() ? o.cluster : config->auth.credentials;
  if (creds.file.empty())
    return fail(ctx, failed_precondition("no credentials file to store the token in: HOME is "
                                         "not set"));
  if (!ctx.env.read_secret) return fail(ctx, internal_error("no way to read a token"));

  auto token = ctx.env.read_secret("Token for cluster '" + o.cluster + "': ");
  if (!token.ok()) return fail(ctx, token.status());
  if (!is_bearer_token(*token)) {
    return fail(ctx, invalid_argument("that is not a bearer token: it may only contain letters, "
                                      "digits and -._~+/ followed by '='s, at most 4096 "
                                      "characters"));
  }
  creds.token = BearerToken(*token, "standard input");
  auto api = connect_to(ctx.env, *config, creds);
  if (!api.ok()) return fail(ctx, api.status().with_context("checking the token"));

  auto line = store_credentials(creds.file, creds.entry, *token);
  if (!line.ok()) return fail(ctx, line.status());
  ctx.out << "Stored the token for cluster '" << o.cluster << "' in " << creds.file << ":" << *line
          << " (entry '" << creds.entry << "').\n";
  if (ctx.env.tokens.env_token && !ctx.env.tokens.env_token->empty())
    ctx.err << "warning: " << kTokenEnvVar << " is set; it takes precedence over the file\n";
  return kExitOk;
}

}  // namespace

void register_login_command(CLI::App& app, CommandContext& ctx) {
  auto [login, o] = add_command<LoginOptions>(app, ctx, kLoginDoc, run_login);
  login->add_option("cluster", o->cluster, "The cluster's name (see clusters.json)")->required();
}

}  // namespace borealis::cli
