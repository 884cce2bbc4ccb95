#include "cli/api_client.h"

#include <cctype>
#include <thread>

#include "api/http_status.h"
#include "cli/job_args.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {
// "ROLE/ENV/NAME", each part percent-encoded.
std::string key_path(const JobKey& key) {
  return net::url_encode(key.role) + "/" + net::url_encode(key.environment) + "/" +
         net::url_encode(key.name);
}
}  // namespace

std::string job_path(const JobKey& key) { return "/api/v1/jobs/" + key_path(key); }

Result<std::unique_ptr<ApiClient>> ApiClient::create(std::string cluster,
                                                     const std::string& base_url,
                                                     std::chrono::milliseconds timeout,
                                                     ClusterCredentials credentials,
                                                     const net::ClientTlsFiles& tls) {
  auto http = net::HttpClient::create(base_url, tls);
  if (!http.ok()) return http.status().with_context("scheduler of cluster '" + cluster + "'");
  if (credentials.token) (*http)->set_header("Authorization", credentials.token->authorization());
  return std::unique_ptr<ApiClient>(new ApiClient(std::move(cluster), std::move(http).value(),
                                                  timeout, std::move(credentials), tls));
}

ApiClient::ApiClient(std::string cluster, std::unique_ptr<net::HttpClient> http,
                     std::chrono::milliseconds timeout, ClusterCredentials credentials,
                     net::ClientTlsFiles tls)
    : cluster_(std::move(cluster)),
      http_(std::move(http)),
      timeout_(timeout),
      credentials_(std::move(credentials)),
      tls_(std::move(tls)) {}

Status ApiClient::follow_redirect(const std::string& location) {
  // The standby names the leader as LEADER_URL + the same path and query: the same
  // request goes to LEADER_URL, and the token only over the scheme it was meant for.
  const std::string scheme = starts_with(http_->base_url(), "https://") ? "https://" : "http://";
  const size_t path_at = location.find('/', scheme.size());
  if (!starts_with(location, scheme) || path_at == scheme.size())
    return unavailable("scheduler of cluster '" + cluster_ + "' at " + http_->base_url() +
                       " is a standby and redirected to '" + location.substr(0, 200) +
                       "', which is not a " + scheme + " leader");
  auto http = net::HttpClient::create(location.substr(0, path_at), tls_);
  if (!http.ok()) return http.status().with_context("the leader a standby named");
  if (credentials_.token) (*http)->set_header("Authorization", credentials_.token->authorization());
  http_ = std::move(http).value();
  return Status();
}

Status ApiClient::transport_error(const Status& st) const {
  // net::HttpClient says "cannot connect to URL: Connection refused" or
  // "GET URL/path: no answer within N ms"; keep the cause, say which cluster it was.
  std::string detail = st.message();
  const std::string& base = http_->base_url();
  const std::string connect_prefix = "cannot connect to " + base + ": ";
  if (starts_with(detail, connect_prefix)) {
    detail = detail.substr(connect_prefix.size());
  } else if (size_t at = detail.find(" " + base); at != std::string::npos) {
    detail.erase(at + 1, base.size());
  }
  if (!detail.empty())
    detail[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(detail[0])));
  return unavailable("cannot reach scheduler of cluster '" + cluster_ + "' at " + base + ": " +
                     detail);
}

Result<json::value> ApiClient::call(const std::string& method, const std::string& path,
                                    const std::string& body) {
  auto res = http_->request(method, path, body, timeout_);
  if (res.ok() && res->status == 307) {
    // A standby: the same request once more, on the leader it names.
    BOREALIS_RETURN_IF_ERROR(follow_redirect(res->location));
    res = http_->request(method, path, body, timeout_);
  }
  // A standby that knows no leader: an election is under way (about a ZooKeeper session
  // timeout). The request was not acted on, so waiting and asking again is safe, and a
  // command run during a failover succeeds instead of failing.
  const auto no_leader_until = std::chrono::steady_clock::now() + kNoLeaderWait;
  while (res.ok() && api::is_no_leader_answer(res->status, res->body) &&
         std::chrono::steady_clock::now() < no_leader_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    res = http_->request(method, path, body, timeout_);
    if (res.ok() && res->status == 307) {
      BOREALIS_RETURN_IF_ERROR(follow_redirect(res->location));
      res = http_->request(method, path, body, timeout_);
    }
  }
  if (!res.ok()) {
    if (res.status().code() == StatusCode::kUnavailable) return transport_error(res.status());
    return res.status();
  }
  if (res->status < 200 || res->status >= 300) {
    Status st = api::status_from_error_answer(res->status, res->body);
    if (st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied)
      return Status(st.code(), st.message() + "\n" + auth_hint(credentials_, st.code()));
    return st;
  }
  auto doc = parse_json(res->body);
  if (!doc.ok()) {
    return internal_error("unexpected answer from scheduler of cluster '" + cluster_ + "' to " +
                          method + " " + path + ": " + doc.status().message());
  }
  return doc;
}

namespace {

// An api type as is, or Received<api type> with the JSON it came from.
template <typename Out>
struct Decoded {
  using Api = Out;
  static Out from(Api a, const json::value&) { return a; }
};
template <typename T>
struct Decoded<Received<T>> {
  using Api = T;
  static Received<T> from(T a, const json::value& raw) { return Received<T>{std::move(a), raw}; }
};
template <>
struct Decoded<UpdateAnswer> {
  using Api = api::UpdateAnswer;
  static UpdateAnswer from(api::UpdateAnswer a, const json::value& raw) {
    UpdateAnswer out;
    if (a.update) static_cast<UpdateSummary&>(out) = std::move(*a.update);
    out.noop = !a.update;
    out.noop_message = std::move(a.message);
    out.raw = raw;
    return out;
  }
};

}  // namespace

template <typename Out>
Result<Out> ApiClient::fetch(const std::string& method, const std::string& path,
                             const json::value& body) {
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call(method, path, body.is_null() ? "" : to_json(body)));
  auto decoded = api::decode<typename Decoded<Out>::Api>(v);
  if (!decoded.ok())
    return internal_error("unexpected answer from scheduler of cluster '" + cluster_ + "' to " +
                          method + " " + path + ": " + decoded.status().message());
  return Decoded<Out>::from(std::move(decoded).value(), v);
}

Result<ClusterInfo> ApiClient::cluster_info() {
  return fetch<ClusterInfo>("GET", "/api/v1/cluster");
}

Result<AgentList> ApiClient::agents() { return fetch<AgentList>("GET", "/api/v1/agents"); }

Result<CreateResult> ApiClient::create_job(const json::value& spec) {
  return fetch<CreateResult>("POST", "/api/v1/jobs", spec);
}

Result<JobList> ApiClient::list_jobs(const std::string& role, const std::string& environment) {
  std::string path = "/api/v1/jobs";
  if (!role.empty()) {
    path += "?role=" + net::url_encode(role);
    if (!environment.empty()) path += "&environment=" + net::url_encode(environment);
  }
  return fetch<JobList>("GET", path);
}

Result<JobDetail> ApiClient::get_job(const JobKey& key) {
  return fetch<JobDetail>("GET", job_path(key));
}

Result<TaskList> ApiClient::tasks(const JobKey& key, const TaskQuery& query) {
  std::string path = job_path(key) + "/tasks";
  std::vector<std::string> params;
  if (query.instances) params.push_back("instances=" + format_instance_ranges(*query.instances));
  if (query.active_only) params.push_back("active=true");
  if (!params.empty()) path += "?" + join(params, "&");
  return fetch<TaskList>("GET", path);
}

Result<KillResult> ApiClient::kill(const JobKey& key,
                                   const std::optional<std::vector<int32_t>>& instances) {
  return fetch<KillResult>("POST", job_path(key) + "/kill",
                           api::encode(api::KillRequest{instances, ""}));
}

Result<Discovery> ApiClient::discover(const JobKey& key) {
  return fetch<Discovery>("GET", "/api/v1/discovery/" + key_path(key));
}

Result<DiscoveryEndpoints> ApiClient::discover_endpoint(const JobKey& key,
                                                        const std::string& endpoint) {
  return fetch<DiscoveryEndpoints>(
      "GET", "/api/v1/discovery/" + key_path(key) + "?endpoint=" + net::url_encode(endpoint));
}

Result<CronJobInfo> ApiClient::schedule_cron(const json::value& spec) {
  return fetch<CronJobInfo>("POST", "/api/v1/cron", spec);
}

Result<CronJobInfo> ApiClient::get_cron(const JobKey& key) {
  return fetch<CronJobInfo>("GET", "/api/v1/cron/" + key_path(key));
}

Result<CronStartResult> ApiClient::start_cron(const JobKey& key) {
  return fetch<CronStartResult>("POST", "/api/v1/cron/" + key_path(key) + "/start");
}

Result<BackupList> ApiClient::list_backups() {
  return fetch<BackupList>("GET", "/api/v1/admin/backups");
}

Result<BackupTaken> ApiClient::take_backup() {
  return fetch<BackupTaken>("POST", "/api/v1/admin/backups");
}

Result<BackupRestored> ApiClient::restore_backup(const std::string& name) {
  return fetch<BackupRestored>("POST",
                               "/api/v1/admin/backups/" + net::url_encode(name) + "/restore");
}

Result<CronJobInfo> ApiClient::deschedule_cron(const JobKey& key) {
  return fetch<CronJobInfo>("POST", "/api/v1/cron/" + key_path(key) + "/deschedule");
}

Result<UpdateAnswer> ApiClient::start_update(const JobKey& key, const json::value& spec,
                                             const std::optional<std::vector<int32_t>>& instances,
                                             const std::string& message) {
  return fetch<UpdateAnswer>("POST", job_path(key) + "/update",
                             api::encode(api::StartUpdateRequest{spec, instances, message}));
}

Result<UpdateAnswer> ApiClient::control_update(const JobKey& key, std::string_view action,
                                               const std::string& message) {
  return fetch<UpdateAnswer>("POST", job_path(key) + "/update/" + std::string(action),
                             api::encode(api::UpdateControlRequest{message}));
}

Result<UpdateAnswer> ApiClient::restart(const JobKey& key, const RestartRequest& request) {
  return fetch<UpdateAnswer>("POST", job_path(key) + "/restart", api::encode(request));
}

Result<AddInstancesResult> ApiClient::add_instances(const JobKey& key, int32_t instance,
                                                    int32_t count) {
  return fetch<AddInstancesResult>("POST", job_path(key) + "/instances",
                                   api::encode(api::AddInstancesRequest{instance, count}));
}

Result<UpdateList> ApiClient::job_updates(const JobKey& key) {
  return fetch<UpdateList>("GET", job_path(key) + "/updates");
}

Result<JobVersion> ApiClient::get_version(const JobKey& key, const std::string& id) {
  return fetch<JobVersion>("GET", job_path(key) + "/versions/" + net::url_encode(id));
}

Result<UpdateDetail> ApiClient::get_update(const JobKey& key, const std::string& id) {
  return fetch<UpdateDetail>("GET", job_path(key) + "/updates/" + net::url_encode(id));
}

Result<UpdateList> ApiClient::list_updates(const UpdateQuery& query) {
  std::string path = "/api/v1/updates";
  std::vector<std::string> params;
  if (!query.role.empty()) params.push_back("role=" + net::url_encode(query.role));
  if (!query.environment.empty())
    params.push_back("environment=" + net::url_encode(query.environment));
  if (!query.name.empty()) params.push_back("name=" + net::url_encode(query.name));
  if (!query.statuses.empty()) params.push_back("status=" + join(query.statuses, ","));
  if (!params.empty()) path += "?" + join(params, "&");
  return fetch<UpdateList>("GET", path);
}

}  // namespace borealis::cli
