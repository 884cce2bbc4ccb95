#include "sim/cluster_client.h"

#include <thread>

#include "api/cluster.h"

namespace borealis::sim {

using std::chrono::milliseconds;

Result<std::unique_ptr<ClusterClient>> ClusterClient::create(const std::string& url,
                                                             const std::string& token) {
  BOREALIS_ASSIGN_OR_RETURN(auto http, net::HttpClient::create(url));
  if (!token.empty()) http->set_header("Authorization", "Bearer " + token);
  return std::unique_ptr<ClusterClient>(new ClusterClient(std::move(http)));
}

Status ClusterClient::wait_healthy(milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no answer yet";
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http_->get("/health", milliseconds(1000));
    if (r.ok() && r->status == 200) return Status::ok_status();
    last = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message();
    // The scheduler is another process starting up: nothing to wait on but its port.
    std::this_thread::sleep_for(milliseconds(20));
  }
  return unavailable(http_->base_url() + "/health did not answer 200 in " +
                     std::to_string(timeout.count()) + " ms: " + last);
}

Result<std::string> ClusterClient::get_ok(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(auto r, http_->get(path, milliseconds(60000)));
  if (r.status != 200)
    return unavailable("GET " + http_->base_url() + path + ": HTTP " + std::to_string(r.status) +
                       ": " + r.body.substr(0, 512));
  return std::move(r.body);
}

Result<std::string> ClusterClient::cluster_name() {
  BOREALIS_ASSIGN_OR_RETURN(auto body, get_ok("/api/v1/cluster"));
  BOREALIS_ASSIGN_OR_RETURN(auto info, api::decode_body<api::ClusterInfo>(body));
  return info.cluster;
}

Status ClusterClient::create_job(const json::value& spec) {
  BOREALIS_ASSIGN_OR_RETURN(auto r,
                            http_->post("/api/v1/jobs", to_json(spec), milliseconds(60000)));
  if (r.status != 201)
    return unavailable("POST " + http_->base_url() + "/api/v1/jobs: HTTP " +
                       std::to_string(r.status) + ": " + r.body.substr(0, 512));
  return Status::ok_status();
}

Result<api::JobList> ClusterClient::jobs(const std::string& role, const std::string& environment) {
  BOREALIS_ASSIGN_OR_RETURN(auto body, get_ok("/api/v1/jobs?role=" + net::url_encode(role) +
                                              "&environment=" + net::url_encode(environment)));
  return api::decode_body<api::JobList>(body);
}

Result<api::JobSummary> ClusterClient::job_status(const std::string& role,
                                                  const std::string& environment,
                                                  const std::string& name) {
  BOREALIS_ASSIGN_OR_RETURN(auto body,
                            get_ok("/api/v1/jobs/" + net::url_encode(role) + "/" +
                                   net::url_encode(environment) + "/" + net::url_encode(name)));
  BOREALIS_ASSIGN_OR_RETURN(auto detail, api::decode_body<api::JobDetail>(body));
  return std::move(detail.summary);
}

Result<api::TaskList> ClusterClient::active_tasks(const std::string& role,
                                                  const std::string& environment,
                                                  const std::string& name) {
  BOREALIS_ASSIGN_OR_RETURN(auto body, get_ok("/api/v1/jobs/" + net::url_encode(role) + "/" +
                                              net::url_encode(environment) + "/" +
                                              net::url_encode(name) + "/tasks?active=true"));
  return api::decode_body<api::TaskList>(body);
}

std::map<std::string, int64_t> total_state_counts(const api::JobList& jobs) {
  std::map<std::string, int64_t> total;
  for (const auto& job : jobs.jobs)
    for (const auto& [state, n] : job.state_counts) total[state] += n;
  return total;
}

}  // namespace borealis::sim
