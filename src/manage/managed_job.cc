#include "manage/managed_job.h"

#include <sys/stat.h>

#include "manage/git.h"
#include "manage/stage_file.h"

namespace borealis::manage {

namespace {

bool is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::string> existing_dir(const std::string& path, const std::string& from) {
  if (!is_dir(path))
    return not_found("configs dir " + path + " (from " + from + ") does not exist");
  return path;
}

std::string short_hash(const std::string& githash) { return githash.substr(0, 12); }

Status read_artifacts(ManagedJob& job, const Locations& where) {
  const Profile& p = job.profile;
  if (p.buildname.empty() || p.githash.empty()) return Status::ok_status();
  if (job.store.empty())
    return failed_precondition(
        "stage '" + p.stage + "' deploys build " + p.buildname + " at " + short_hash(p.githash) +
        " but no artifact store is set: pass --artifacts DIR|URL, set BOREALIS_ARTIFACTS, or "
        "set artifacts in " +
        job.configs_dir + "/" + kSettingsFileName);
  auto index = read_artifact_index(job.store, p.buildname, p.githash, where.store_timeout);
  if (!index.ok()) {
    if (index.status().code() != StatusCode::kNotFound) return index.status();
    return not_found(index.status().message() + ": build and publish it, or check buildname (" +
                     p.buildname_at + ") and githash (" + p.githash_at + ")");
  }
  job.artifacts = std::move(index).value();
  return Status::ok_status();
}

}  // namespace

Result<std::string> find_configs_dir(const Locations& where) {
  if (!where.configs_flag.empty()) return existing_dir(where.configs_flag, "--configs");
  if (!where.configs_env.empty()) return existing_dir(where.configs_env, "BOREALIS_CONFIGS");
  auto top = git_toplevel(where.cwd);
  if (top.ok() && is_dir(*top + "/borealis/configs")) return *top + "/borealis/configs";
  std::string looked = top.ok() ? "; " + *top + "/borealis/configs does not exist"
                                : "; " + where.cwd + " is not in a git work tree";
  return not_found(
      "no configs dir: pass --configs DIR, set BOREALIS_CONFIGS, or run inside a "
      "git repository that has borealis/configs at its root" +
      looked);
}

std::string artifact_store(const Locations& where, const Settings& settings) {
  if (!where.artifacts_flag.empty()) return where.artifacts_flag;
  if (!where.artifacts_env.empty()) return where.artifacts_env;
  return settings.artifacts;
}

json::object ManagedJob::context_json() const {
  json::object ctx;
  ctx["profile"] = profile_json(profile);
  ctx["artifacts"] = artifacts ? artifacts_json(*artifacts) : json::object();
  return ctx;
}

Status check_prod(const ManagedJob& job) {
  const Profile& p = job.profile;
  const std::string why = " (" + p.stage + " deploys only merged commits)";
  if (p.githash.empty())
    return failed_precondition(p.stage_file + ": stage '" + p.stage +
                               "' has no githash: set envs." + p.stage +
                               ".githash to a merged commit" + why);
  if (p.buildname.empty())
    return failed_precondition(p.stage_file + ": stage '" + p.stage +
                               "' has no buildname, so no artifact to check: set buildname" + why);
  const std::string ref = job.settings.main_ref();
  const std::string fetch_command =
      job.settings.git_remote.empty() ? "" : "`git fetch " + job.settings.git_remote + "`";
  const std::string fetch = fetch_command.empty() ? "" : ", then " + fetch_command;
  if (auto top = git_toplevel(job.configs_dir); !top.ok()) {
    if (top.status().code() != StatusCode::kNotFound) return top.status();
    return failed_precondition("the configs dir " + job.configs_dir +
                               " is not in a git work tree, so githash " + short_hash(p.githash) +
                               " cannot be checked: keep the configs in the repository whose "
                               "commits they deploy" +
                               why);
  }
  BOREALIS_ASSIGN_OR_RETURN(bool known, git_has_commit(job.configs_dir, p.githash));
  if (!known)
    return failed_precondition("githash " + short_hash(p.githash) + " (" + p.githash_at +
                               ") is not a commit of the repository at " + job.configs_dir +
                               ": push it and merge it" + fetch + ", or fix the githash" + why);
  auto on_main = git_is_ancestor(job.configs_dir, p.githash, ref);
  if (!on_main.ok()) {
    if (on_main.status().code() != StatusCode::kNotFound) return on_main.status();
    return failed_precondition(on_main.status().message() + ": " +
                               (fetch_command.empty() ? "create the branch" : fetch_command) +
                               ", or set git.remote and git.branch in " + job.configs_dir + "/" +
                               kSettingsFileName);
  }
  if (!*on_main)
    return failed_precondition("githash " + short_hash(p.githash) + " (" + p.githash_at +
                               ") is not on " + ref + ": merge it and push" + fetch + why);
  return Status::ok_status();
}

Result<ManagedJob> resolve_job(const Locations& where, const std::string& job,
                               const std::string& stage) {
  ManagedJob out;
  BOREALIS_ASSIGN_OR_RETURN(out.configs_dir, find_configs_dir(where));
  BOREALIS_ASSIGN_OR_RETURN(out.settings, load_settings(out.configs_dir));
  BOREALIS_ASSIGN_OR_RETURN(StageFile file, load_stage_file(out.configs_dir, job));
  BOREALIS_ASSIGN_OR_RETURN(out.profile, make_profile(file, stage, out.settings, out.configs_dir));
  out.store = artifact_store(where, out.settings);
  return out;
}

Status prepare_deploy(ManagedJob& job, const Locations& where, bool enforce_prod) {
  if (enforce_prod && job.prod()) BOREALIS_RETURN_IF_ERROR(check_prod(job));
  return read_artifacts(job, where);
}

}  // namespace borealis::manage
