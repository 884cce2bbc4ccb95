#include "sim/simulation.h"

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "common/log.h"
#include "sim/agent_fleet.h"
#include "sim/api_probe.h"
#include "sim/cluster_client.h"
#include "sim/double_active.h"
#include "sim/scheduler_process.h"

namespace borealis::sim {

namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int64_t kMiB = int64_t{1} << 20;
// How often the simulator asks the scheduler while it waits for a state: often enough for
// tenths of a second, rarely enough not to be a load itself.
constexpr milliseconds kWatchInterval{100};

double seconds_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

int64_t steady_ms() {
  return std::chrono::duration_cast<milliseconds>(Steady::now().time_since_epoch()).count();
}

// Waits until `done` says yes; `done` returns an error to give up at once.
Status wait_for(const std::string& what, int timeout_secs,
                const std::function<Result<bool>()>& done, milliseconds interval = kWatchInterval) {
  auto deadline = Steady::now() + std::chrono::seconds(timeout_secs);
  std::string last;
  while (Steady::now() < deadline) {
    auto r = done();
    if (r.ok() && *r) return Status::ok_status();
    if (!r.ok()) last = r.status().message();
    std::this_thread::sleep_for(interval);
  }
  return unavailable("timed out after " + std::to_string(timeout_secs) + " s waiting for " + what +
                     (last.empty() ? "" : " (last error: " + last + ")"));
}

struct Run {
  const SimOptions& o;
  SimReport report;
  std::unique_ptr<ClusterClient> client;
  std::vector<std::unique_ptr<SchedulerProcess>> schedulers;  // started here, in URL order
  std::unique_ptr<AgentFleet> fleet;
  JobIdentity identity;
  std::map<std::string, TaskShape> shapes;  // every job submitted, by name
  std::string progress;                     // the last counts seen, for timeouts

  // The one the client talks to: the leader in HA mode.
  pid_t scheduler_pid() const {
    size_t current = client ? client->current() : 0;
    if (current < schedulers.size() && schedulers[current]->pid() > 0)
      return schedulers[current]->pid();
    return o.scheduler_pid;
  }

  std::optional<int64_t> rss() const {
    if (scheduler_pid() <= 0) return std::nullopt;
    auto r = resident_bytes(scheduler_pid());
    if (!r.ok()) {
      spdlog::warn("scheduler RSS: {}", r.status().message());
      return std::nullopt;
    }
    return *r;
  }

  // RUNNING tasks of the jobs this run submitted, as the scheduler reports them.
  Result<int64_t> running() {
    BOREALIS_ASSIGN_OR_RETURN(auto jobs, client->jobs(o.role, o.environment));
    std::erase_if(jobs.jobs, [&](const api::JobSummary& j) { return !shapes.contains(j.name); });
    auto counts = total_state_counts(jobs);
    progress.clear();
    for (const auto& [state, n] : counts) progress += state + "=" + std::to_string(n) + " ";
    return counts["RUNNING"];
  }

  Status wait_all_running(int64_t expected) {
    return wait_for("every task RUNNING", o.timeout_secs,
                    [&]() -> Result<bool> {
                      BOREALIS_ASSIGN_OR_RETURN(int64_t n, running());
                      return n >= expected;
                    })
        .with_context("tasks " + progress);
  }

  Status start() {
    for (size_t i = 0; i < o.start_schedulers.size(); ++i) {
      std::string log = o.start_schedulers.size() == 1 ? o.scheduler_log
                                                       : o.scheduler_log + "." + std::to_string(i);
      schedulers.push_back(std::make_unique<SchedulerProcess>(o.start_schedulers[i], log));
      BOREALIS_RETURN_IF_ERROR(schedulers.back()->start());
    }
    BOREALIS_ASSIGN_OR_RETURN(client, ClusterClient::create(o.scheduler_urls, o.token));
    BOREALIS_RETURN_IF_ERROR(client->wait_healthy(std::chrono::seconds(o.timeout_secs)));
    BOREALIS_ASSIGN_OR_RETURN(identity.cluster, client->cluster_name());
    identity.role = o.role;
    identity.environment = o.environment;

    FleetOptions fo{
        o.scheduler_urls,
        client->current(),
        o.token,
        o.agents,
        o.threads,
        protocol::HostResources{o.agent_cpu, o.agent_ram_mb * kMiB, o.agent_disk_mb * kMiB, 0}};
    BOREALIS_ASSIGN_OR_RETURN(fleet, AgentFleet::create(fo));
    auto begin = Steady::now();
    fleet->start();
    BOREALIS_RETURN_IF_ERROR(
        wait_for("every agent registered", o.timeout_secs,
                 [&]() -> Result<bool> { return fleet->stats().registrations >= o.agents; }));
    report.register_s = seconds_since(begin);
    report.scheduler_idle_rss_bytes = rss();
    return Status::ok_status();
  }

  Status submit(const std::vector<JobPlan>& plans) {
    for (const auto& plan : plans) {
      shapes[plan.name] = plan.shape;
      BOREALIS_RETURN_IF_ERROR(client->create_job(job_spec_json(plan, identity))
                                   .with_context("creating job " + plan.name));
    }
    return Status::ok_status();
  }

  Status load() {
    int64_t jobs = o.jobs > 0 ? o.jobs : std::max<int64_t>(1, (o.tasks + 999) / 1000);
    auto plans = plan_jobs(o.workload, o.tasks, jobs);
    report.jobs = static_cast<int64_t>(plans.size());
    std::vector<std::string> names;
    for (const auto& p : plans) names.push_back(p.name);
    ApiProbe probe(o.scheduler_urls, o.token, o.role, o.environment, names, o.probe_interval_ms);
    int64_t launches_before = fleet->stats().launches;
    auto begin = Steady::now();
    probe.start();
    Status submitted = submit(plans);
    report.submit_s = seconds_since(begin);
    Status running = submitted.ok() ? wait_all_running(o.tasks) : submitted;
    report.all_running_s = seconds_since(begin);
    LatencySummary latency = probe.stop();
    BOREALIS_RETURN_IF_ERROR(running);
    report.api_p50_ms = latency.p50_ms;
    report.api_p99_ms = latency.p99_ms;
    report.api_requests = latency.requests;
    report.api_errors = latency.errors;
    report.api_first_error = latency.first_error;
    // Placement ends when the last new launch reaches its agent.
    int64_t launched = fleet->stats().launches - launches_before;
    double begin_ms = static_cast<double>(
        std::chrono::duration_cast<milliseconds>(begin.time_since_epoch()).count());
    double placing_s = (static_cast<double>(fleet->stats().last_launch_ms) - begin_ms) / 1000;
    if (placing_s > 0) report.placements_per_s = static_cast<double>(launched) / placing_s;
    report.scheduler_rss_bytes = rss();
    if (report.scheduler_rss_bytes && report.scheduler_idle_rss_bytes && o.tasks > 0)
      report.memory_per_task_bytes =
          static_cast<double>(*report.scheduler_rss_bytes - *report.scheduler_idle_rss_bytes) /
          static_cast<double>(o.tasks);
    return Status::ok_status();
  }

  Status recover() {
    auto& scheduler = schedulers[0];
    int64_t launches_before = fleet->stats().launches;
    int64_t registrations_before = fleet->stats().registrations;
    BOREALIS_RETURN_IF_ERROR(scheduler->kill9());
    auto begin = Steady::now();
    BOREALIS_RETURN_IF_ERROR(scheduler->start());
    BOREALIS_RETURN_IF_ERROR(client->wait_healthy(std::chrono::seconds(o.timeout_secs)));
    report.recovery_health_s = seconds_since(begin);
    BOREALIS_RETURN_IF_ERROR(
        wait_for("every agent registered again", o.timeout_secs, [&]() -> Result<bool> {
          return fleet->stats().registrations - registrations_before >= o.agents;
        }));
    BOREALIS_RETURN_IF_ERROR(wait_all_running(o.tasks));
    report.recovery_s = seconds_since(begin);
    report.relaunched_tasks = fleet->stats().launches - launches_before;
    report.recovery_rss_bytes = rss();
    return Status::ok_status();
  }

  // Kills the leader with -9 and times until another leads, every agent registered with it
  // and every task RUNNING in its view; then checks that no instance runs twice.
  Status fail_over() {
    BOREALIS_ASSIGN_OR_RETURN(size_t old_leader, client->find_leader(std::chrono::seconds(10)));
    int64_t launches_before = fleet->stats().launches;
    BOREALIS_RETURN_IF_ERROR(schedulers[old_leader]->kill9().with_context(
        "killing the leader " + o.scheduler_urls[old_leader]));
    auto begin = Steady::now();
    int64_t killed_ms = steady_ms();
    report.failover_kill_unix_ms = std::chrono::duration_cast<milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
    // The dead leader cannot answer 200: the first 200 is the new leader's.
    BOREALIS_ASSIGN_OR_RETURN(size_t new_leader,
                              client->find_leader(std::chrono::seconds(o.timeout_secs)));
    report.failover_elected_s = seconds_since(begin);
    spdlog::info("failover: {} leads after {:.2f} s", o.scheduler_urls[new_leader],
                 *report.failover_elected_s);
    BOREALIS_RETURN_IF_ERROR(wait_for(
        "every agent registered with the new leader", o.timeout_secs,
        [&]() -> Result<bool> { return fleet->registered_since(killed_ms) >= o.agents; },
        milliseconds(10)));
    report.failover_registered_s = seconds_since(begin);
    report.failover_first_registered_s =
        static_cast<double>(fleet->first_registered_since(killed_ms) - killed_ms) / 1000;
    BOREALIS_RETURN_IF_ERROR(wait_all_running(o.tasks));
    report.failover_s = seconds_since(begin);
    report.failover_relaunched_tasks = fleet->stats().launches - launches_before;
    report.failover_rss_bytes = rss();
    auto twice = instances_active_twice(fleet->task_ids());
    report.failover_double_active = static_cast<int64_t>(twice.size());
    if (!twice.empty())
      return internal_error(std::to_string(twice.size()) +
                            " instance(s) have two active tasks on the agents after the "
                            "failover, the first: " +
                            twice.front());
    return Status::ok_status();
  }

  // Whether the job's tasks are all RUNNING (true), or one waits with the reason the
  // scheduler could not place it (an error naming it), or neither yet (false).
  Result<bool> placed(const JobPlan& plan, bool* unplaceable) {
    BOREALIS_ASSIGN_OR_RETURN(auto job, client->job_status(o.role, o.environment, plan.name));
    if (job.state_counts["RUNNING"] >= plan.instances) return true;
    if (job.state_counts["PENDING"] == 0) return false;
    BOREALIS_ASSIGN_OR_RETURN(auto tasks, client->active_tasks(o.role, o.environment, plan.name));
    for (const auto& t : tasks.tasks) {
      if (t.status == "PENDING" && !t.message.empty()) {
        spdlog::info("packing: job {} instance {} cannot be placed: {}", plan.name, t.instance_id,
                     t.message);
        *unplaceable = true;
        return true;
      }
    }
    return false;
  }

  Status pack() {
    int64_t chunk = o.packing_chunk > 0 ? o.packing_chunk : std::max(1, o.agents / 2);
    bool unplaceable = false;
    for (int64_t index = report.jobs; !unplaceable; ++index) {
      auto plans = plan_jobs(Workload::kStandard, chunk, 1, index);
      BOREALIS_RETURN_IF_ERROR(submit(plans));
      BOREALIS_RETURN_IF_ERROR(wait_for("job " + plans[0].name + " placed", o.timeout_secs,
                                        [&] { return placed(plans[0], &unplaceable); }));
    }
    BOREALIS_ASSIGN_OR_RETURN(auto jobs, client->jobs(o.role, o.environment));
    double cpu = 0, ram = 0;
    int64_t tasks = 0;
    for (const auto& job : jobs.jobs) {
      auto shape = shapes.find(job.name);
      if (shape == shapes.end()) continue;
      auto running = job.state_counts.find("RUNNING");
      int64_t n = running == job.state_counts.end() ? 0 : running->second;
      tasks += n;
      cpu += static_cast<double>(n) * shape->second.cpu;
      ram += static_cast<double>(n) * static_cast<double>(shape->second.ram);
    }
    report.packing_tasks = tasks;
    report.packing_cpu_share = cpu / (o.agent_cpu * o.agents);
    report.packing_ram_share = ram / (static_cast<double>(o.agent_ram_mb * kMiB) * o.agents);
    report.packing_efficiency = std::max(*report.packing_cpu_share, *report.packing_ram_share);
    return Status::ok_status();
  }
};

Status check_options(const SimOptions& o) {
  if (o.scheduler_urls.empty()) return invalid_argument("--scheduler: no URL given");
  if (!o.start_schedulers.empty() && o.start_schedulers.size() != o.scheduler_urls.size())
    return invalid_argument("--start-scheduler: " + std::to_string(o.start_schedulers.size()) +
                            " command(s) for " + std::to_string(o.scheduler_urls.size()) +
                            " --scheduler URL(s); give one per URL, in the same order");
  if (o.failover && o.start_schedulers.size() < 2)
    return invalid_argument(
        "--failover needs two or more schedulers started by the simulator (--start-scheduler)");
  return Status::ok_status();
}

}  // namespace

Result<SimReport> run_simulation(const SimOptions& options) {
  BOREALIS_RETURN_IF_ERROR(check_options(options));
  Run run{options, {}, {}, {}, {}, {}, {}, {}};
  run.report.agents = options.agents;
  run.report.tasks = options.tasks;
  run.report.workload = options.workload == Workload::kStandard ? "standard" : "uniform";
  run.report.threads = options.threads;
  bool ha = options.scheduler_urls.size() > 1;
  if (ha) run.report.schedulers = static_cast<int64_t>(options.scheduler_urls.size());
  Status st = run.start();
  if (st.ok()) st = run.load().with_context("loading the cluster");
  if (st.ok() && !ha && options.recovery && !run.schedulers.empty())
    st = run.recover().with_context("recovering after kill -9");
  if (st.ok() && options.failover)
    st = run.fail_over().with_context("failing over after kill -9 of the leader");
  if (st.ok() && options.packing) st = run.pack().with_context("packing the standard mix");
  if (run.fleet) {
    run.report.agent_failed_requests = run.fleet->stats().failed_requests;
    run.report.repeated_launches = run.fleet->stats().repeated_launches;
    run.fleet->stop();
  }
  // Standbys first: a leader stopped first would hand over to one of them during teardown.
  for (size_t i = 0; i < run.schedulers.size(); ++i)
    if (!run.client || i != run.client->current()) run.schedulers[i].reset();
  run.schedulers.clear();
  if (!st.ok()) return st;
  return run.report;
}

}  // namespace borealis::sim
