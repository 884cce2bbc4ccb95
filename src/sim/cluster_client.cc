#include "sim/cluster_client.h"

#include <thread>

#include "api/cluster.h"
#include "api/http_status.h"
#include "sim/async_http_client.h"

namespace borealis::sim {

using std::chrono::milliseconds;

namespace {

// How long a request waits for a new leader (a failover takes a session timeout and the
// store's load), and how often in a row it moves on before it gives up.
constexpr milliseconds kLeaderWait{60000};
constexpr int kMaxMoves = 5;

}  // namespace

Result<std::unique_ptr<ClusterClient>> ClusterClient::create(const std::vector<std::string>& urls,
                                                             const std::string& token) {
  if (urls.empty()) return invalid_argument("no scheduler URL");
  std::unique_ptr<ClusterClient> client(new ClusterClient());
  for (const auto& url : urls) {
    BOREALIS_ASSIGN_OR_RETURN(auto http, net::HttpClient::create(url));
    if (!token.empty()) http->set_header("Authorization", "Bearer " + token);
    client->schedulers_.push_back(std::move(http));
  }
  return client;
}

Result<size_t> ClusterClient::find_leader(milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> last(schedulers_.size(), "not asked");
  while (std::chrono::steady_clock::now() < deadline) {
    for (size_t i = 0; i < schedulers_.size(); ++i) {
      auto r = schedulers_[i]->get("/leaderhealth", milliseconds(1000));
      if (r.ok() && r->status == 200) {
        current_ = i;
        return i;
      }
      last[i] = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message();
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  std::string answers;
  for (size_t i = 0; i < schedulers_.size(); ++i)
    answers += (i ? "; " : "") + schedulers_[i]->base_url() + ": " + last[i];
  return unavailable("no scheduler's /leaderhealth answered 200 in " +
                     std::to_string(timeout.count()) + " ms (" + answers + ")");
}

bool ClusterClient::follow(const std::string& location) {
  auto leader = location_endpoint(location);
  if (!leader.ok()) return false;
  for (size_t i = 0; i < schedulers_.size(); ++i) {
    auto ours = parse_http_url(schedulers_[i]->base_url());
    if (ours.ok() && ours->host == leader->host && ours->port == leader->port) {
      current_ = i;
      return true;
    }
  }
  return false;
}

Result<net::ClientResponse> ClusterClient::call(const std::string& method, const std::string& path,
                                                const std::string& body, milliseconds timeout) {
  for (int moves = 0;; ++moves) {
    auto r = schedulers_[current_]->request(method, path, body, timeout);
    if (schedulers_.size() == 1 || moves == kMaxMoves) return r;
    bool elsewhere =
        r.ok() ? r->status == 307 || api::is_no_leader_answer(r->status, r->body) : method == "GET";
    if (!elsewhere) return r;
    if (r.ok() && r->status == 307 && follow(r->location)) continue;
    BOREALIS_RETURN_IF_ERROR(
        find_leader(kLeaderWait).status().with_context(method + " " + path + " found no leader"));
  }
}

Status ClusterClient::wait_healthy(milliseconds timeout) {
  if (schedulers_.size() > 1) return find_leader(timeout).status();
  auto& http = schedulers_[0];
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no answer yet";
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = http->get("/health", milliseconds(1000));
    if (r.ok() && r->status == 200) return Status::ok_status();
    last = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message();
    // The scheduler is another process starting up: nothing to wait on but its port.
    std::this_thread::sleep_for(milliseconds(20));
  }
  return unavailable(http->base_url() + "/health did not answer 200 in " +
                     std::to_string(timeout.count()) + " ms: " + last);
}

Result<std::string> ClusterClient::get_ok(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(auto r, call("GET", path, "", milliseconds(60000)));
  if (r.status != 200)
    return unavailable("GET " + schedulers_[current_]->base_url() + path + ": HTTP " +
                       std::to_string(r.status) + ": " + r.body.substr(0, 512));
  return std::move(r.body);
}

Result<std::string> ClusterClient::cluster_name() {
  BOREALIS_ASSIGN_OR_RETURN(auto body, get_ok("/api/v1/cluster"));
  BOREALIS_ASSIGN_OR_RETURN(auto info, api::decode_body<api::ClusterInfo>(body));
  return info.cluster;
}

Status ClusterClient::create_job(const json::value& spec) {
  BOREALIS_ASSIGN_OR_RETURN(auto r,
                            call("POST", "/api/v1/jobs", to_json(spec), milliseconds(60000)));
  if (r.status != 201)
    return unavailable("POST " + schedulers_[current_]->base_url() + "/api/v1/jobs: HTTP " +
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
