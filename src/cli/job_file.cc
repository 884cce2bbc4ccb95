#include "cli/job_file.h"

#include "cli/files.h"
#include "common/strings.h"
#include "spec/job_spec_json.h"
#include "spec/validate.h"

namespace borealis::cli {

namespace {

std::string key_of(const spec::JobSpec& job) {
  return ClusterJobKey{job.cluster, job.key()}.to_string();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Result<std::vector<spec::JobSpec>> load_json_jobs(const std::string& path, const Binds& binds) {
  if (!binds.empty()) {
    return invalid_argument("--bind applies to .aurora configs only; '" + path +
                            "' is JSON, which has no variables to bind");
  }
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_text_file(path, "job file"));
  auto jobs = spec::job_specs_from_document(text);
  if (!jobs.ok()) return jobs.status().with_context("job file '" + path + "'");
  if (jobs->empty()) return invalid_argument("job file '" + path + "': defines no jobs");
  return jobs;
}

}  // namespace

Result<spec::JobSpec> select_job(std::vector<spec::JobSpec> jobs, const ClusterJobKey& key,
                                 const std::string& path) {
  const std::string where = "job file '" + path + "'";
  if (jobs.size() == 1) {
    const spec::JobSpec& job = jobs[0];
    struct Part {
      const char* what;
      const std::string& want;
      const std::string& have;
    };
    const Part parts[] = {{"cluster", key.cluster, job.cluster},
                          {"role", key.job.role, job.role},
                          {"environment", key.job.environment, job.environment},
                          {"name", key.job.name, job.name}};
    for (const Part& p : parts) {
      if (p.want != p.have) {
        return invalid_argument(where + " defines job " + key_of(job) + ", not " + key.to_string() +
                                ": " + p.what + " is '" + p.have + "' in the file but '" + p.want +
                                "' in the job key");
      }
    }
    return std::move(jobs[0]);
  }
  std::vector<std::string> keys;
  for (spec::JobSpec& job : jobs) {
    if (key_of(job) == key.to_string()) return std::move(job);
    keys.push_back(key_of(job));
  }
  return invalid_argument(where + " has no job " + key.to_string() +
                          "; the jobs it defines are: " + join(keys, ", "));
}

Result<spec::JobSpec> load_job_spec(const std::string& path, const ClusterJobKey& key,
                                    const Binds& binds) {
  std::vector<spec::JobSpec> jobs;
  if (ends_with(path, ".json")) {
    BOREALIS_ASSIGN_OR_RETURN(jobs, load_json_jobs(path, binds));
  } else {
    // The .aurora loader (borealis_config) is added here when it is ready.
    return invalid_argument("job file '" + path +
                            "': unsupported file type; supported: .json (one job or "
                            "{\"jobs\": [...]})");
  }
  BOREALIS_ASSIGN_OR_RETURN(spec::JobSpec job, select_job(std::move(jobs), key, path));
  Status st = spec::validate_job_spec(job);
  if (!st.ok()) return st.with_context("job file '" + path + "': job " + key.to_string());
  return job;
}

}  // namespace borealis::cli
