// borealis update pause|resume|abort|rollback|pulse CLUSTER/ROLE/ENV/NAME [--message TEXT]
//     [--output json]   (rollback also takes --wait)
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/update_format.h"
#include "cli/update_wait.h"

namespace borealis::cli {

namespace {

struct Verb {
  const char* name;
  const char* help;
  const char* doing;  // for errors: "pausing the update of KEY: ..."
  const char* done;   // for output: "Paused update ID of KEY: ..."
  const char* footer;
};

const Verb kVerbs[] = {
    {"pause", "Pause a job's active update (instances in flight finish their step)", "pausing",
     "Paused", "A paused update keeps its place; 'borealis update resume' goes on from there.\n"},
    {"resume", "Resume a job's paused update", "resuming", "Resumed", ""},
    {"abort", "Stop a job's active update where it is, without rolling back", "aborting", "Aborted",
     "Instances already updated keep the new version; the others keep the old one.\n"},
    {"rollback", "Roll a job's active update back to the previous version", "rolling back",
     "Rolling back",
     "Every instance the update touched goes back, the most recent first.\n"
     "With --wait, exits 0 once the update ends ROLLED_BACK.\n"},
    {"pulse", "Let a coordinated update (pulse_interval_secs) go on", "pulsing", "Pulsed",
     "An update with pulse_interval_secs waits (..._AWAITING_PULSE) unless it gets a\n"
     "pulse within every interval.\n"},
};

struct ControlOptions {
  std::string key;
  std::string message;
  bool wait = false;
  std::string output = "text";
};

int run_control(const Verb& verb, const ControlOptions& o, const CommandContext& ctx,
                const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto api = connect(ctx.env, key->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto u = (*api)->control_update(key->job, verb.name, o.message);
  if (!u.ok()) {
    return fail(ctx, u.status().with_context(std::string(verb.doing) + " the update of " +
                                             key->to_string()));
  }
  const bool json = o.output == "json";
  if (!json) ctx.out << verb.done << " " << format_update_line(*u) << ".\n";
  if (o.wait) return wait_and_report(**api, *key, u->update_id, ctx, json, 0, "ROLLED_BACK");
  if (json) print_json(ctx.out, u->raw);
  return kExitOk;
}

}  // namespace

void register_update_control(CLI::App& update, CommandContext& ctx) {
  for (const Verb& verb : kVerbs) {
    auto o = std::make_shared<ControlOptions>();
    CLI::App* sub = update.add_subcommand(verb.name, verb.help);
    sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
    sub->add_option("--message,-m", o->message, "Why: recorded in the update's event log");
    if (std::string_view(verb.name) == "rollback")
      sub->add_flag("--wait", o->wait, "Wait until the rollback ends");
    add_output_option(sub, &o->output);
    sub->footer(std::string(verb.footer) + (verb.footer[0] ? "\n" : "") +
                "Example:\n  borealis update " + verb.name + " devcluster/www-data/prod/web\n");
    const Verb* v = &verb;
    ctx.table.on_run(sub, [v, o, &ctx, sub] { return run_control(*v, *o, ctx, sub); });
  }
}

}  // namespace borealis::cli
