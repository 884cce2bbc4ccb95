// `borealis admin backup`: the scheduler's store backups (docs/operations.md, "Backups and
// restore"), admins only.
//   borealis admin backup now CLUSTER
//   borealis admin backup list CLUSTER [--output json]
//   borealis admin backup restore CLUSTER NAME
#include <CLI/CLI.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/history_format.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

const CommandDoc kNowDoc = {"now", "Take a backup of the scheduler's store now",
                            "Examples:\n  borealis admin backup now devcluster\n"};
const CommandDoc kListDoc = {"list", "List the scheduler's backups, newest first",
                             "Examples:\n  borealis admin backup list devcluster\n"
                             "  borealis admin backup list devcluster --output json\n"};
const CommandDoc kRestoreDoc = {
    "restore",
    "Replace the store's contents with a backup; the scheduler then exits for its supervisor "
    "to restart it from the store",
    "Examples:\n  borealis admin backup restore devcluster backup-20261126T115012.345Z.jsonl\n"};

struct BackupArgs {
  std::string cluster;
  std::string name;
  std::string output = "text";
};

Result<std::string> cluster_arg(const std::string& arg) {
  BOREALIS_RETURN_IF_ERROR(validate_identifier("cluster", arg));
  return arg;
}

std::string describe(const api::BackupEntry& b) {
  return b.name + "  " + std::to_string(b.size_bytes) + " bytes  " + format_utc(b.created_ms) +
         " UTC";
}

int run_now(const BackupArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_parsed(cluster_arg(o.cluster), ctx, sub);
  if (!c) return c.exit_code;
  auto taken = c->api->take_backup();
  if (!taken.ok()) return fail(ctx, taken.status());
  ctx.out << "Backup taken: " << describe(taken->backup) << "\n";
  return kExitOk;
}

int run_list(const BackupArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_parsed(cluster_arg(o.cluster), ctx, sub);
  if (!c) return c.exit_code;
  auto listed = c->api->list_backups();
  if (!listed.ok()) return fail(ctx, listed.status());
  return print_response(ctx, o.output, *listed, [](const BackupList& l) {
    std::ostringstream out;
    out << l.backups.size() << " backup(s) in " << l.dir << "\n";
    for (const api::BackupEntry& b : l.backups) out << "  " << describe(b) << "\n";
    return out.str();
  });
}

int run_restore(const BackupArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_parsed(cluster_arg(o.cluster), ctx, sub);
  if (!c) return c.exit_code;
  auto restored = c->api->restore_backup(o.name);
  if (!restored.ok()) return fail(ctx, restored.status());
  ctx.out << "Restored " << describe(restored->restored) << ".\n" << restored->message << ".\n";
  return kExitOk;
}

}  // namespace

void register_backup_commands(CLI::App& admin, CommandContext& ctx) {
  CLI::App* backup = admin.add_subcommand("backup", "Backups of the scheduler's store");
  require_verb(backup, ctx);
  auto [now, n] = add_command<BackupArgs>(*backup, ctx, kNowDoc, run_now);
  now->add_option("cluster", n->cluster, "The cluster")->required();
  auto [list, l] = add_command<BackupArgs>(*backup, ctx, kListDoc, run_list);
  list->add_option("cluster", l->cluster, "The cluster")->required();
  add_output_option(list, &l->output);
  auto [restore, r] = add_command<BackupArgs>(*backup, ctx, kRestoreDoc, run_restore);
  restore->add_option("cluster", r->cluster, "The cluster")->required();
  restore->add_option("name", r->name, "The backup, as `admin backup list` names it")->required();
}

}  // namespace borealis::cli
