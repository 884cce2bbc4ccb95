// A typed client for the scheduler's HTTP API (docs/api.md): the only way the CLI talks
// to a scheduler.
//
// Errors: an HTTP error comes back as the Status the server named ({"error": {"code",
// "message"}}) with the server's message; a scheduler that cannot be reached gives
// UNAVAILABLE "cannot reach scheduler of cluster 'X' at http://...: connection refused";
// an answer this client cannot read gives INTERNAL naming the request. A 401 or 403 comes
// back as UNAUTHENTICATED or PERMISSION_DENIED with the server's message and, on a line of
// its own, a hint saying how to send the right token (credentials.h).
//
// Threading: blocking; one instance per thread (it owns one keep-alive connection).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/api_types.h"
#include "cli/credentials.h"
#include "cli/update_types.h"
#include "common/job_key.h"
#include "common/result.h"
#include "net/http_client.h"

namespace borealis::cli {

struct TaskQuery {
  std::optional<std::vector<int32_t>> instances;  // only these instances
  bool active_only = false;
};

// GET /api/v1/updates filters; empty = any.
struct UpdateQuery {
  std::string role, environment, name;
  std::vector<std::string> statuses;  // update status names
};

// How long a request answered "503 NO_LEADER" by a standby is asked again (every 250 ms)
// before the command fails: a failover takes about a ZooKeeper session timeout.
inline constexpr std::chrono::seconds kNoLeaderWait{6};

class ApiClient {
 public:
  // `cluster` names the cluster in messages; `base_url` is its scheduler_uri. Every
  // request carries `credentials.token` (when set) as `Authorization: Bearer TOKEN`.
  // `tls` is what an https:// scheduler is verified against (cluster_config.h).
  static Result<std::unique_ptr<ApiClient>> create(
      std::string cluster, const std::string& base_url,
      std::chrono::milliseconds timeout = std::chrono::seconds(10),
      ClusterCredentials credentials = {}, const net::ClientTlsFiles& tls = {});

  Result<ClusterInfo> cluster_info();
  Result<AgentList> agents();

  // `spec` is a JobSpec as JSON (jobspec::job_spec_to_json).
  Result<CreateResult> create_job(const json::value& spec);
  // Jobs of the cluster, optionally only a role's (and environment's).
  Result<JobList> list_jobs(const std::string& role = "", const std::string& environment = "");
  Result<JobDetail> get_job(const JobKey& key);
  // A stored version of the job's configuration (a config_id), with its JobSpec.
  Result<JobVersion> get_version(const JobKey& key, const std::string& id);
  Result<TaskList> tasks(const JobKey& key, const TaskQuery& query = {});
  // Kills `instances`, or with nullopt every instance and removes the job (killall).
  Result<KillResult> kill(const JobKey& key, const std::optional<std::vector<int32_t>>& instances);
  // The job's ServerSet members (GET /api/v1/discovery/ROLE/ENV/NAME); with `endpoint`,
  // only that named endpoint of each member.
  Result<Discovery> discover(const JobKey& key);
  Result<DiscoveryEndpoints> discover_endpoint(const JobKey& key, const std::string& endpoint);

  // Cron jobs (docs/cron.md). `spec` is a JobSpec with a cron_schedule, as JSON.
  Result<CronJobInfo> schedule_cron(const json::value& spec);
  Result<CronJobInfo> get_cron(const JobKey& key);
  Result<CronStartResult> start_cron(const JobKey& key);
  Result<CronJobInfo> deschedule_cron(const JobKey& key);

  // Store backups (admins only; docs/operations.md).
  Result<BackupList> list_backups();
  Result<BackupTaken> take_backup();
  // The scheduler exits after answering, to restart from the restored store.
  Result<BackupRestored> restore_backup(const std::string& name);

  // Rolling updates, run by the scheduler. `spec` is the new JobSpec as JSON;
  // `instances` limits the update to those instances (a canary).
  Result<UpdateAnswer> start_update(const JobKey& key, const json::value& spec,
                                    const std::optional<std::vector<int32_t>>& instances,
                                    const std::string& message);
  // `action`: pause, resume, abort, rollback or pulse; acts on the job's active update.
  Result<UpdateAnswer> control_update(const JobKey& key, std::string_view action,
                                      const std::string& message);
  Result<UpdateAnswer> restart(const JobKey& key, const RestartRequest& request);
  // Adds `count` instances running the version of `instance`.
  Result<AddInstancesResult> add_instances(const JobKey& key, int32_t instance, int32_t count);
  // The job's updates, newest first.
  Result<UpdateList> job_updates(const JobKey& key);
  // One update with its steps and events; `id` may be "latest".
  Result<UpdateDetail> get_update(const JobKey& key, const std::string& id);
  // Updates across the cluster.
  Result<UpdateList> list_updates(const UpdateQuery& query);

  const std::string& cluster() const { return cluster_; }
  const std::string& base_url() const { return http_->base_url(); }

 private:
  ApiClient(std::string cluster, std::unique_ptr<net::HttpClient> http,
            std::chrono::milliseconds timeout, ClusterCredentials credentials,
            net::ClientTlsFiles tls);
  // A standby's 307 to the same path on the leader: talks to the leader from now on.
  Status follow_redirect(const std::string& location);

  // Sends the request; returns the parsed JSON body of a 2xx answer or the mapped error.
  Result<json::value> call(const std::string& method, const std::string& path,
                           const std::string& body = "");
  // call(), then decodes the answer as `Out` (an api type, or Received<api type>).
  template <typename Out>
  Result<Out> fetch(const std::string& method, const std::string& path,
                    const json::value& body = nullptr);
  Status transport_error(const Status& st) const;

  std::string cluster_;
  std::unique_ptr<net::HttpClient> http_;
  std::chrono::milliseconds timeout_;
  ClusterCredentials credentials_;  // for the hint on a 401 or 403
  net::ClientTlsFiles tls_;         // for a client to the leader a standby names
};

// "/api/v1/jobs/ROLE/ENV/NAME" with each part percent-encoded.
std::string job_path(const JobKey& key);

}  // namespace borealis::cli
