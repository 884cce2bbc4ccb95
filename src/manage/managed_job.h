// From `borealis manage JOB --stage STAGE` to what the template needs: the configs dir, its
// settings, the job's Profile, the build's artifact index, and the production checks.
// Everything here runs on the client; nothing runs the template (the CLI does that, with
// context_json() as the manage context).
//
// Thread-safety: pure functions; any thread (they block on git and the artifact store).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/result.h"
#include "manage/artifact_index.h"
#include "manage/profile.h"
#include "manage/settings.h"

namespace borealis::manage {

// Where to look, as the command line and the environment say.
struct Locations {
  std::string configs_flag;    // --configs
  std::string configs_env;     // $BOREALIS_CONFIGS
  std::string artifacts_flag;  // --artifacts
  std::string artifacts_env;   // $BOREALIS_ARTIFACTS
  std::string cwd = ".";       // where `borealis/configs` at the git root is looked for
  std::chrono::milliseconds store_timeout{10000};
};

// --configs, else $BOREALIS_CONFIGS, else <git root of cwd>/borealis/configs. An error says
// all three ways when none gives a directory.
Result<std::string> find_configs_dir(const Locations& where);

// The artifact store: --artifacts, else $BOREALIS_ARTIFACTS, else settings `artifacts`;
// empty when none is set.
std::string artifact_store(const Locations& where, const Settings& settings);

struct ManagedJob {
  std::string configs_dir;
  Settings settings;
  Profile profile;
  std::string store;                       // empty: none configured
  std::optional<ArtifactIndex> artifacts;  // when the profile has a buildname and githash

  bool prod() const { return settings.is_prod(profile.stage); }
  // The manage context for the template: {"profile": ..., "artifacts": ...}.
  json::object context_json() const;
};

// Reads the settings and the stage file and merges `stage`: enough to name the job (its key)
// for the commands that only act on it (status, kill, restart).
Result<ManagedJob> resolve_job(const Locations& where, const std::string& job,
                               const std::string& stage);

// What running the template needs besides: production safety for a prod stage (check_prod;
// skipped with enforce_prod false, for commands that only show the job), then the build's
// artifact index (when the profile has a buildname and githash).
Status prepare_deploy(ManagedJob& job, const Locations& where, bool enforce_prod = true);

// A prod stage deploys only a githash that is on the main ref (settings git.remote and
// git.branch) of the configs dir's repository, with a buildname. Each refusal says why and
// what to do.
Status check_prod(const ManagedJob& job);

}  // namespace borealis::manage
