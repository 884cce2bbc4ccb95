// Loading Apache Aurora configuration files (.aurora, and Aurora's .json job form) into
// JobSpecs. This is what `borealis job create/inspect/diff` and `borealis config list`
// call; the scheduler never runs it (it runs user code).
//
// A .aurora file is Python: it runs in an embedded interpreter (interpreter.h) with
// Borealis's implementation of Aurora's DSL (Process, Task, Job, Struct, {{}} templating,
// include(), ...). Every job of the file's `jobs` list comes back with:
//   - its key, as far as the config resolves it;
//   - a status: a job can be broken (a type error, an unbound reference, a rule Aurora
//     enforces) while the others in the same file load; commands pick one job by key
//     (select_job) and only then fail on its status, as Aurora's client does;
//   - its JSON in Aurora's shape (what Aurora's Job.json_dumps() gives after the client
//     interpolates it: every set or defaulted field, runtime references such as
//     {{thermos.ports[http]}} or {{mesos.instance}} left for the runner), and the same
//     parsed as a validated jobspec::JobSpec;
//   - the named ports the scheduler must allocate for each instance.
//
// Errors a user can act on:
//   file level  "hello.aurora:12: NameError: name 'Proces' is not defined"
//               (the line is in the user's file, or in a file it include()s)
//   job level   "job 'hello': task.resources.cpu: expected Float, got str 'lots'"
//
// Thread-safety: any thread; loads are serialised (one interpreter per process).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/job_key.h"
#include "common/json.h"
#include "config/aurora/interpreter.h"
#include "jobspec/job_spec.h"

namespace borealis::config {

struct LoadedJob {
  ClusterJobKey key;               // parts the config does not resolve are empty
  Status status;                   // why this job cannot be used (ok otherwise)
  json::value aurora_json;         // Aurora's JSON shape; null unless status is ok
  jobspec::JobSpec spec;           // the same, parsed and validated; meaningful when ok
  std::vector<std::string> ports;  // named ports to allocate per instance, sorted
};

// Parses one --bind flag, "name=value"; the name is a reference path ("profile.version").
Result<std::pair<std::string, std::string>> parse_binding(std::string_view flag);

// Loads every job a config file defines. `path` ending in ".json" is read as Aurora's JSON
// job form (one job object or {"jobs": [...]}); anything else runs as a .aurora file.
// Fails only when the file as a whole fails (unreadable, syntax error, exception, no
// `jobs`); per-job problems are in each LoadedJob's status.
Result<std::vector<LoadedJob>> load_aurora_file(const std::string& path,
                                                const Bindings& bindings = {});

// The same with --bind values keyed by name (a map cannot hold the same name twice, so
// there is no "later wins" to keep).
inline Result<std::vector<LoadedJob>> load_aurora_file(
    const std::string& path, const std::map<std::string, std::string>& bindings) {
  return load_aurora_file(path, Bindings(bindings.begin(), bindings.end()));
}

// As load_aurora_file, from text; `name` is used in messages and as the base directory
// of include(). `manage_context` is what `borealis manage` gives the template
// (run_aurora_source).
Result<std::vector<LoadedJob>> load_aurora_text(const std::string& name, const std::string& text,
                                                const Bindings& bindings = {},
                                                const json::value& manage_context = json::value());
Result<std::vector<LoadedJob>> load_aurora_json_text(const std::string& name, std::string_view text,
                                                     const Bindings& bindings = {});

// The job whose key is `key`. No match: an error listing the keys the file defines.
// More than one: an error saying so. A match that is broken: its status.
Result<LoadedJob> select_job(const std::vector<LoadedJob>& jobs, const ClusterJobKey& key);

}  // namespace borealis::config
