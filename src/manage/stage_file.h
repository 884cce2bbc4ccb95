// A stage file, `<configs>/<job>.yaml`: the job's template, role, cluster, build and
// resources, with per-stage overrides (the talk's eightball.yaml):
//
//   file: eightball            # the template: <configs>/eightball.aurora
//   user: cbe                  # the role
//   cluster: devcluster        # optional when settings.yaml names one
//   buildname: eightball       # optional: the build whose artifacts the job runs
//   hashtype: git              # the only kind
//   githash: 0123abc...        # optional here; usually per stage
//   config: {cpu: 0.25, ram: 300, disk: 5000, num_instances: 1}   # ram, disk in MB
//   taskargs: {workers: 10}    # strings for the template
//   envs:                      # the stages; each overrides any key above but envs
//     prod: {config: {cpu: 1.5, num_instances: 12}, taskargs: {workers: 34}, githash: ...}
//     devel: {githash: ...}
//
// envs.<stage> merges deeply over the top level: config and taskargs key by key, the rest
// replaced. Every error names FILE:LINE; the whole file is checked, every stage.
//
// Thread-safety: pure functions; any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "manage/profile.h"
#include "manage/settings.h"

namespace borealis::manage {

// A value and the line it was set on.
template <class T>
struct At {
  T value{};
  int line = 0;
};

// The keys of the top level or of one stage, each set or not.
struct StageFields {
  std::optional<At<std::string>> file, user, cluster, buildname, hashtype, githash;
  std::optional<At<double>> cpu;
  std::optional<At<int64_t>> ram_mb, disk_mb, instances;
  std::map<std::string, At<std::string>> taskargs;
};

struct StageFile {
  std::string path;  // for messages
  std::string job;   // the file name without .yaml
  StageFields top;
  std::map<std::string, StageFields> envs;  // by stage name
  int envs_line = 0;

  std::vector<std::string> stages() const;
  // The top level with envs.<stage> merged over it.
  StageFields merged(const std::string& stage) const;
  // The keys envs.<stage> sets ("githash", "config.cpu", "taskargs.workers"), sorted.
  std::vector<std::string> overridden(const std::string& stage) const;
};

// Parses the text of `path` (its file name gives the job name).
Result<StageFile> parse_stage_file(const std::string& path, const std::string& text);
// Reads `<configs_dir>/<job>.yaml`. A job without a file lists the jobs the dir has.
Result<StageFile> load_stage_file(const std::string& configs_dir, const std::string& job);

// The Profile of `stage`: the stage must be one of envs (else the error lists them), and the
// merged keys must give a template, user, cluster (else settings.cluster) and resources.
Result<Profile> make_profile(const StageFile& file, const std::string& stage,
                             const Settings& settings, const std::string& configs_dir);

// The names of the jobs in `configs_dir` (its *.yaml files but settings.yaml), sorted.
Result<std::vector<std::string>> list_jobs(const std::string& configs_dir);

}  // namespace borealis::manage
