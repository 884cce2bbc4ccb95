// borealis manage list [--configs DIR] [--output json]: every job of the configs dir, with
// its template, user, cluster, and each stage's githash. A stage file that cannot be read
// is a row with its error, so one broken file does not hide the others.
#include <CLI/CLI.hpp>
#include <set>

#include "cli/commands.h"
#include "cli/manage_args.h"
#include "cli/table.h"
#include "common/strings.h"
#include "manage/stage_file.h"

namespace borealis::cli {

namespace {

const CommandDoc kListDoc = {
    "list", "List the jobs of the configs dir, their stages and githashes",
    "Reads only the configs dir (each <job>.yaml), not the templates.\n\n"
    "Examples:\n"
    "  borealis manage list\n"
    "  borealis manage list --configs ~/src/app/borealis/configs --output json\n"};

struct ListOptions : ManageArgs {
  std::string output = "text";
};

struct JobRow {
  std::string job;
  std::string error;  // the stage file cannot be used
  std::string file, user, cluster;
  std::map<std::string, std::string> githashes;  // by stage; "" when the stage has none
};

// The distinct values one key takes over the stages, "a,b".
template <class Get>
std::string over_stages(const manage::StageFile& f, Get get) {
  std::set<std::string> values;
  for (const std::string& stage : f.stages()) {
    std::string v = get(f.merged(stage));
    if (!v.empty()) values.insert(v);
  }
  return join(std::vector<std::string>(values.begin(), values.end()), ",");
}

JobRow row_of(const std::string& configs, const std::string& job,
              const manage::Settings& settings) {
  JobRow row{job};
  auto file = manage::load_stage_file(configs, job);
  if (!file.ok()) {
    row.error = file.status().message();
    return row;
  }
  auto value = [](const std::optional<manage::At<std::string>>& v) {
    return v ? v->value : std::string();
  };
  row.file = over_stages(*file, [&](const auto& m) { return value(m.file); });
  row.user = over_stages(*file, [&](const auto& m) { return value(m.user); });
  row.cluster = over_stages(
      *file, [&](const auto& m) { return m.cluster ? m.cluster->value : settings.cluster; });
  for (const std::string& stage : file->stages())
    row.githashes[stage] = value(file->merged(stage).githash);
  return row;
}

json::value row_json(const JobRow& r) {
  json::object o;
  o["job"] = r.job;
  if (!r.error.empty()) {
    o["error"] = r.error;
    return o;
  }
  o["template"] = r.file;
  o["user"] = r.user;
  o["cluster"] = r.cluster;
  json::object stages;
  for (const auto& [stage, githash] : r.githashes)
    stages[stage] =
        json::object{{"githash", githash.empty() ? json::value() : json::value(githash)}};
  o["stages"] = std::move(stages);
  return o;
}

std::string stages_text(const JobRow& r) {
  std::vector<std::string> parts;
  for (const auto& [stage, githash] : r.githashes)
    parts.push_back(stage + "=" + (githash.empty() ? "-" : githash.substr(0, 12)));
  return join(parts, " ");
}

int run_list(const ListOptions& o, const CommandContext& ctx, const CLI::App*) {
  manage::Locations where = manage_locations(o, ctx.env);
  auto configs = manage::find_configs_dir(where);
  if (!configs.ok()) return fail(ctx, configs.status());
  auto settings = manage::load_settings(*configs);
  if (!settings.ok()) return fail(ctx, settings.status());
  auto jobs = manage::list_jobs(*configs);
  if (!jobs.ok()) return fail(ctx, jobs.status());
  std::vector<JobRow> rows;
  for (const std::string& job : *jobs) rows.push_back(row_of(*configs, job, *settings));

  if (o.output == "json") {
    json::array a;
    for (const JobRow& r : rows) a.push_back(row_json(r));
    print_json(ctx.out, json::object{{"configs", *configs}, {"jobs", std::move(a)}});
    return kExitOk;
  }
  Table table({"JOB", "TEMPLATE", "USER", "CLUSTER", "STAGES (githash)"});
  for (const JobRow& r : rows) {
    if (r.error.empty())
      table.add_row({r.job, r.file, r.user, r.cluster, stages_text(r)});
    else
      table.add_row({r.job, "", "", "", "error: " + r.error});  // last: it is long
  }
  ctx.out << table.render();
  return kExitOk;
}

}  // namespace

void register_manage_list(CLI::App& manage, CommandContext& ctx) {
  auto [list, o] = add_command<ListOptions>(manage, ctx, kListDoc, run_list);
  add_manage_locations(list, o);
  add_output_option(list, &o->output);
}

}  // namespace borealis::cli
