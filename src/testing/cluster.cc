#include "testing/cluster.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "agent/agent.h"
#include "common/log.h"
#include "net/http_client.h"
#include "scheduler/server/scheduler_service.h"
#include "testing/in_memory_store.h"
#include "testing/leftovers.h"
#include "testing/wait_until.h"

namespace borealis::testing {

namespace fs = std::filesystem;

namespace {

std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "borealis-cluster-XXXXXX").string();
  return ::mkdtemp(tmpl.data()) ? tmpl : "";
}

// Each agent of the process gets its own range of task ports, away from the fixed ranges
// the e2e tests (28000-28999) and `borealis dev` (31000-31999) use, and below the kernel's
// ephemeral ports (32768 up): a client connection holding a task's port fails the task.
agent::PortRange next_port_range(int count) {
  static std::atomic<int> next{0};
  const int base = 10000 + static_cast<int>(::getpid() % 400) * 40;
  const int lo = base + (next.fetch_add(count) % 2000);
  return {lo, lo + count - 1};
}

int count_active_agents(const json::value& answer) {
  int n = 0;
  for (const auto& a : answer.at("agents").as_array()) n += a.at("status") == "ACTIVE";
  return n;
}

}  // namespace

scheduler::SchedulerOptions fast_scheduler_options() {
  scheduler::SchedulerOptions o;
  o.poll_timeout_ms = 500;
  o.tick_ms = 20;
  o.initial_flapping_delay_ms = 200;
  o.max_flapping_delay_secs = 1;
  // The agents run tasks as the test's user whatever their role (tune_agent may change
  // that; a test that does turns this back on).
  o.check_task_users = false;
  return o;
}

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)), dir_(make_temp_dir()) {}

Result<std::unique_ptr<Cluster>> Cluster::start(ClusterOptions options) {
  init_logging("test-cluster", options.log_level);
  std::unique_ptr<Cluster> c(new Cluster(std::move(options)));
  if (c->dir_.empty()) return io_error("cannot create a temporary directory for the cluster");
  if (c->options_.store == StoreKind::kMemory) c->store_ = std::make_unique<InMemoryStore>();
  BOREALIS_RETURN_IF_ERROR(c->start_scheduler());
  BOREALIS_RETURN_IF_ERROR(c->start_agents());
  return c;
}

Cluster::~Cluster() {
  // The scheduler first: it answers the agents' held polls, so they stop at once.
  stop_scheduler();
  agents_.clear();  // leaves their tasks running, as a crash would
  kill_task_processes(dir_, sandbox_roots_);
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string Cluster::scheduler_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

Status Cluster::start_scheduler() {
  scheduler::SchedulerOptions so = options_.scheduler;
  so.cluster = options_.name;
  so.store = "sqlite://" + dir_ + "/scheduler/state.db";
  so.bind_address = "127.0.0.1";
  so.http_port = port_;  // 0 the first time: any free port, then kept
  auto svc = std::make_unique<scheduler::SchedulerService>(
      so, scheduler::SchedulerDeps{.store = store_.get(),
                                   .clock = options_.clock,
                                   .leadership_lost = options_.scheduler_leadership_lost});
  BOREALIS_RETURN_IF_ERROR(svc->start().with_context("starting the test cluster's scheduler"));
  port_ = svc->port();
  scheduler_ = std::move(svc);
  auto client = net::HttpClient::create(scheduler_url());
  if (!client.ok()) return client.status();
  client_ = std::move(client).value();
  return agents_.empty() ? Status() : wait_agents(agents_.size());
}

void Cluster::stop_scheduler() {
  if (!scheduler_) return;
  scheduler_->stop();
  scheduler_.reset();
  client_.reset();
}

Status Cluster::restart_scheduler() {
  stop_scheduler();
  return start_scheduler();
}

Status Cluster::start_agents() {
  for (size_t i = 0; i < options_.agents.size(); ++i) {
    const AgentSpec& spec = options_.agents[i];
    agent::AgentConfig c;
    c.hostname = spec.hostname.empty() ? "agent-" + std::to_string(i + 1) : spec.hostname;
    c.scheduler_url = scheduler_url();
    c.work_dir = dir_ + "/agents/" + c.hostname;
    c.http_bind = "127.0.0.1";
    c.http_port = 0;
    c.ports = next_port_range(spec.port_count);
    c.resources = spec.resources;
    c.attributes = spec.attributes;
    c.attributes["host"] = c.hostname;
    c.runner_path = BOREALIS_RUNNER_BIN;
    c.run_tasks_as_agent_user = true;
    c.log_level = options_.log_level;
    c.backoff_min_ms = 20;
    c.backoff_max_ms = 200;
    c.request_timeout_ms = 2000;
    c.monitor.start_grace_ms = 2000;
    if (options_.tune_agent) options_.tune_agent(c);
    sandbox_roots_.push_back(c.work_dir + "/sandboxes");
    auto a = agent::Agent::start(c, options_.clock ? *options_.clock : SystemClock::instance());
    if (!a.ok()) return a.status().with_context("starting agent " + c.hostname);
    agents_.push_back(std::move(a).value());
    hostnames_.push_back(c.hostname);
  }
  return agents_.empty() ? Status() : wait_agents(agents_.size());
}

std::string Cluster::write_clusters_json(const std::vector<json::object>& extra) const {
  json::array list{json::object{{"name", options_.name}, {"scheduler_uri", scheduler_url()}}};
  for (const auto& e : extra) list.push_back(e);
  std::string path = dir_ + "/clusters.json";
  std::ofstream(path) << json::serialize(list);
  return path;
}

Result<json::value> Cluster::api(const std::string& method, const std::string& path,
                                 const std::string& body) {
  if (!client_) return unavailable("the test cluster's scheduler is stopped");
  auto r = client_->request(method, path, body);
  if (!r.ok()) return r.status();
  if (r->status / 100 != 2)
    return failed_precondition(method + " " + path + ": HTTP " + std::to_string(r->status) + ": " +
                               r->body);
  return parse_json(r->body);
}

Result<json::value> Cluster::create_job(const json::value& spec) {
  return api("POST", "/api/v1/jobs", json::serialize(spec));
}

Result<json::array> Cluster::tasks(const std::string& job) {
  auto r = api("GET", "/api/v1/jobs/" + job + "/tasks");
  if (!r.ok()) return r.status();
  return r->at("tasks").as_array();
}

Status Cluster::wait_tasks(const std::string& job,
                           const std::function<bool(const json::array&)>& cond,
                           const std::string& what, std::chrono::milliseconds timeout) {
  json::array last;
  bool ok = wait_until(
      [&] {
        auto t = tasks(job);
        if (!t.ok()) return false;
        last = std::move(t).value();
        return cond(last);
      },
      timeout);
  if (ok) return Status();
  return unavailable("job " + job + " did not get " + what +
                     "; its tasks: " + json::serialize(last));
}

Status Cluster::wait_running(const std::string& job, int count, std::chrono::milliseconds timeout) {
  return wait_tasks(
      job,
      [count](const json::array& tasks) {
        int running = 0, other_active = 0;
        for (const auto& t : tasks) {
          const auto& s = t.at("status").as_string();
          if (s == "RUNNING")
            ++running;
          else if (s != "FINISHED" && s != "FAILED" && s != "KILLED" && s != "LOST")
            ++other_active;
        }
        return running == count && other_active == 0;
      },
      std::to_string(count) + " RUNNING", timeout);
}

Status Cluster::wait_agents(size_t count, std::chrono::milliseconds timeout) {
  bool ok = wait_until(
      [&] {
        auto r = api("GET", "/api/v1/agents");
        return r.ok() && count_active_agents(*r) == static_cast<int>(count);
      },
      timeout);
  return ok ? Status() : unavailable("agents did not register with the test cluster");
}

}  // namespace borealis::testing
