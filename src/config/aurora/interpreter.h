// The embedded CPython that runs .aurora files with Borealis's Aurora DSL.
//
// One interpreter per process, started on first use and never stopped (CPython cannot be
// restarted cleanly). The DSL's Python sources are compiled into the binary
// (dsl_bundle.h); only the standard library is importable besides them (no site-packages,
// no PYTHON* environment variables). Python's stdout is sent to stderr while a config
// runs, so a config's print() never mixes with the caller's output.
//
// Thread-safety: every function may be called from any thread; calls are serialised.
// Nothing here throws: Python errors come back as Status or as the per-file/per-job
// errors of RawLoad.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/result.h"

namespace borealis::config {

// --bind name=value pairs, in command-line order (a later one wins over an earlier one).
using Bindings = std::vector<std::pair<std::string, std::string>>;

// One job of the file's `jobs` list as the DSL produced it, before validation.
struct RawJob {
  std::string cluster, role, environment, name;  // as far as the job resolves them
  std::optional<std::string> error;              // type error, missing field, bad reference
  std::string error_path;                        // field path of `error` ("task.resources.cpu")
  json::value job;                               // Aurora-shaped JSON when !error
};

struct RawLoad {
  // "FILE:LINE: message" (or "FILE: message") when the file as a whole failed.
  std::optional<std::string> file_error;
  std::vector<RawJob> jobs;
};

// Runs `text` as the .aurora file `filename` (used for messages and as the base of
// relative include() paths). `manage_context` (null unless `borealis manage` loads the file)
// is what the DSL's make_profile() and artifact() read while the file runs.
Result<RawLoad> run_aurora_source(const std::string& filename, const std::string& text,
                                  const Bindings& bindings,
                                  const json::value& manage_context = json::value());

// Reads Aurora's JSON job form: one job object or {"jobs": [...]}.
Result<RawLoad> run_aurora_document(const std::string& filename, const json::value& document,
                                    const Bindings& bindings);

// Test support: runs every top-level function named test_* of a Python source (with the
// DSL's names in its globals). Returns (name, failure) pairs; failure is empty on success.
Result<std::vector<std::pair<std::string, std::string>>> run_python_tests(
    const std::string& filename, const std::string& source);

}  // namespace borealis::config
