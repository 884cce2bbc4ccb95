// The `admin` noun: operator commands.
//   borealis admin token create NAME --role R... [--prod-role R...] [--agent HOST...] [--admin]
//   borealis admin backup now|list|restore CLUSTER ... (backup_commands.cc)
#include <CLI/CLI.hpp>

#include "auth/token.h"
#include "cli/commands.h"
#include "common/job_key.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

struct TokenCreateOptions {
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> prod_roles;
  std::vector<std::string> agents;  // hosts whose agent the token may act as
  bool admin = false;
};

std::string yaml_list(const std::vector<std::string>& items) {
  return "[" + join(items, ", ") + "]";
}

int run_token_create(const TokenCreateOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  if (Status st = validate_identifier("name", o.name); !st.ok())
    return usage_error(ctx, sub, st.message());
  for (const auto* list : {&o.roles, &o.prod_roles}) {
    for (const std::string& r : *list) {
      Status st = validate_identifier("role", r);
      if (!st.ok()) return usage_error(ctx, sub, st.message());
    }
  }
  for (const std::string& host : o.agents) {
    Status st = validate_identifier("agent host", host);
    if (!st.ok()) return usage_error(ctx, sub, st.message());
  }
  if (o.roles.empty() && o.agents.empty() && !o.admin)
    return usage_error(ctx, sub, "give at least one --role or --agent, or --admin");
  auto token = auth::new_token();
  if (!token.ok()) return fail(ctx, token.status());
  // The token goes to stdout alone on its first line, so `| head -1` captures it; the file
  // keeps only its digest.
  ctx.out << *token << "\n"
          << "# Give the token above to " << o.name
          << " (BOREALIS_TOKEN or ~/.borealis/credentials); add this to the auth file's users:\n"
          << "  - name: " << o.name << "\n"
          << "    token_sha256: " << auth::sha256_hex(*token) << "\n";
  if (!o.roles.empty()) ctx.out << "    roles: " << yaml_list(o.roles) << "\n";
  if (!o.prod_roles.empty()) ctx.out << "    prod_roles: " << yaml_list(o.prod_roles) << "\n";
  if (!o.agents.empty()) ctx.out << "    agents: " << yaml_list(o.agents) << "\n";
  if (o.admin) ctx.out << "    admin: true\n";
  return kExitOk;
}

}  // namespace

void register_admin_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* admin = app.add_subcommand("admin", "Operator commands");
  require_verb(admin, ctx);
  CLI::App* token = admin->add_subcommand("token", "Bearer tokens for the auth file");
  require_verb(token, ctx);

  auto o = std::make_shared<TokenCreateOptions>();
  CLI::App* create = token->add_subcommand(
      "create", "Print a new token, and the auth-file entry that grants it (docs/security.md)");
  create->add_option("name", o->name, "Who the token is for")->required();
  create->add_option("--role", o->roles, "A role whose jobs it may act on (repeatable)");
  create->add_option("--prod-role", o->prod_roles,
                     "A role whose protected prod environment it may act on (repeatable)");
  create->add_option("--agent", o->agents,
                     "A host whose agent it may act as, on /agent/v1/* (repeatable; for the "
                     "agent's --token-file)");
  create->add_flag("--admin", o->admin, "May do everything, admin commands included");
  create->footer(
      "Examples:\n  borealis admin token create alice --role www-data --prod-role www-data\n"
      "  borealis admin token create agent-host-a --agent host-a");
  ctx.table.on_run(create, [o, &ctx, create] { return run_token_create(*o, ctx, create); });
  register_backup_commands(*admin, ctx);
}

}  // namespace borealis::cli
