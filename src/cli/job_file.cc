#include "cli/job_file.h"

#include "common/files.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// What image a container asks for, for messages.
std::string image_of(const jobspec::ContainerSpec& c) {
  if (c.kind != jobspec::ContainerSpec::Kind::kMesos)
    return "Docker image '" + c.docker_image + "'";
  if (c.image_kind == jobspec::ContainerSpec::ImageKind::kAppc)
    return "Mesos appc image '" + c.image_name + "'";
  return "Mesos docker image '" + c.image_name + ":" + c.image_tag + "'";
}

}  // namespace

std::string display_job_key(const ClusterJobKey& key) {
  auto part = [](const std::string& s) { return s.empty() ? std::string("{MISSING}") : s; };
  return part(key.cluster) + "/" + part(key.job.role) + "/" + part(key.job.environment) + "/" +
         part(key.job.name);
}

Result<Binds> parse_binds(const std::vector<std::string>& flags) {
  Binds binds;
  for (const std::string& flag : flags) {
    BOREALIS_ASSIGN_OR_RETURN(auto pair, config::parse_binding(flag));
    binds.push_back(std::move(pair));
  }
  return binds;
}

Result<std::vector<config::LoadedJob>> load_config_jobs(const std::string& path, const Binds& binds,
                                                        const json::value& manage_context) {
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
    return invalid_argument("job file '" + path +
                            "': unsupported file type; supported: .json (Aurora's JSON job "
                            "form) and Aurora configs (.aurora)");
  }
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_file(path, "job file"));
  auto jobs = ends_with(path, ".json")
                  ? config::load_aurora_json_text(path, text, binds)
                  : config::load_aurora_text(path, text, binds, manage_context);
  // File-level errors already start with the file ("x.aurora:3: ..."), except the binding
  // errors, which name the flag.
  if (!jobs.ok()) return jobs.status();
  if (jobs->empty()) return invalid_argument(path + ": defines no jobs");
  return jobs;
}

Result<config::LoadedJob> select_job(const std::vector<config::LoadedJob>& jobs,
                                     const ClusterJobKey& key, const std::string& path) {
  const config::LoadedJob* found = nullptr;
  if (jobs.size() == 1) {
    const ClusterJobKey& have = jobs[0].key;
    struct Part {
      const char* what;
      const std::string& want;
      const std::string& have;
    };
    const Part parts[] = {{"cluster", key.cluster, have.cluster},
                          {"role", key.job.role, have.job.role},
                          {"environment", key.job.environment, have.job.environment},
                          {"name", key.job.name, have.job.name}};
    for (const Part& p : parts) {
      if (p.want != p.have) {
        return invalid_argument(path + ": defines job " + display_job_key(have) + ", not " +
                                key.to_string() + ": " + p.what + " is '" + p.have +
                                "' in the file but '" + p.want + "' in the job key");
      }
    }
    found = &jobs[0];
  } else {
    std::vector<std::string> keys;
    for (const config::LoadedJob& job : jobs) {
      keys.push_back(display_job_key(job.key));
      if (job.key.cluster == key.cluster && job.key.job == key.job) {
        if (found) {
          return invalid_argument(path + ": defines job " + key.to_string() +
                                  " more than once; a key must pick exactly one");
        }
        found = &job;
      }
    }
    if (!found) {
      return invalid_argument(path + ": has no job " + key.to_string() +
                              "; the jobs it defines are: " + join(keys, ", "));
    }
  }
  if (!found->status.ok())
    return Status(found->status.code(), path + ": " + found->status.message());
  return *found;
}

Result<jobspec::JobSpec> load_job_spec(const std::string& path, const ClusterJobKey& key,
                                       const Binds& binds) {
  BOREALIS_ASSIGN_OR_RETURN(std::vector<config::LoadedJob> jobs, load_config_jobs(path, binds));
  BOREALIS_ASSIGN_OR_RETURN(config::LoadedJob job, select_job(jobs, key, path));
  return std::move(job.spec);
}

Status check_cluster_can_run(const jobspec::JobSpec& job, const ClusterInfo& cluster) {
  if (!job.container || !job.container->needs_image() || cluster.container_images) return Status();
  return failed_precondition("job " + ClusterJobKey{job.cluster, job.key()}.to_string() +
                             " runs in a container (" + image_of(*job.container) +
                             "), but cluster '" + cluster.cluster +
                             "' cannot run container images (its scheduler reports "
                             "capabilities.container_images: false); remove the container "
                             "from the job or run it on a cluster that supports images");
}

}  // namespace borealis::cli
