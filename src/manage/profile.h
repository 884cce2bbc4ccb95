// A job's Profile: its stage file with one stage's overrides merged in, the values templates
// see through make_profile() (docs/manage.md has the binding table).
//
// Thread-safety: plain data and pure functions; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/job_key.h"
#include "common/json.h"

namespace borealis::manage {

struct Profile {
  std::string name;  // the job: the stage file's name without .yaml
  std::string user;  // the role
  std::string stage;
  std::string cluster;
  std::string buildname;  // empty: the job has no build artifacts
  std::string githash;    // empty when the stage names none
  std::string hashtype;   // "git"
  double cpu = 0;
  int64_t ram_mb = 0;
  int64_t disk_mb = 0;
  int64_t instances = 1;
  std::map<std::string, std::string> taskargs;

  std::string template_file;  // `file` as written: "eightball", "borealis/python_worker"
  std::string template_path;  // <configs>/<file>.aurora
  // The keys envs.<stage> sets over the top level ("config.cpu", "taskargs.workers"), sorted.
  std::vector<std::string> overrides;
  std::string stage_file;  // the .yaml read
  // "FILE:LINE" of where githash and buildname were set, for messages.
  std::string githash_at;
  std::string buildname_at;

  // CLUSTER/USER/STAGE/NAME.
  ClusterJobKey key() const { return {cluster, {user, stage, name}}; }
};

// The manage context's "profile" object (the shape profile.py's make_profile() reads).
json::object profile_json(const Profile& p);

}  // namespace borealis::manage
