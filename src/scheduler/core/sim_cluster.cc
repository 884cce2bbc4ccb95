#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {

void MemoryStore::apply(const StoreBatch& b) {
  for (const auto& k : b.deleted_jobs) jobs_.erase(k);
  for (const auto& k : b.deleted_tasks) tasks_.erase(k);
  for (const auto& k : b.deleted_configs) configs_.erase(k);
  for (const auto& k : b.deleted_updates) updates_.erase(k);
  for (const auto& k : b.deleted_cron_jobs) cron_jobs_.erase(k);
  for (const auto& [k, v] : b.cron_jobs) cron_jobs_[k] = v;
  for (const auto& [k, v] : b.updates) updates_[k] = v;
  for (const auto& [k, v] : b.configs) configs_[k] = v;
  for (const auto& [k, v] : b.jobs) jobs_[k] = v;
  for (const auto& [k, v] : b.tasks) tasks_[k] = v;
  for (const auto& [k, v] : b.agents) agents_[k] = v;
}

StoredState MemoryStore::load() const {
  StoredState s;
  s.configs.assign(configs_.begin(), configs_.end());
  s.jobs.assign(jobs_.begin(), jobs_.end());
  s.tasks.assign(tasks_.begin(), tasks_.end());
  s.agents.assign(agents_.begin(), agents_.end());
  s.updates.assign(updates_.begin(), updates_.end());
  s.cron_jobs.assign(cron_jobs_.begin(), cron_jobs_.end());
  return s;
}

SimCluster::SimCluster(CoreOptions options, uint64_t seed)
    : options_(std::move(options)), seed_(seed), core_(std::make_unique<Core>(options_, seed)) {}

void SimCluster::register_agent(SimAgent& a) {
  a.registration.agent_id = a.id;
  a.registration.tasks.clear();
  for (const auto& id : a.running) a.registration.tasks.push_back({id, TaskState::kRunning});
  for (const auto& u : a.unsent) a.registration.tasks.push_back({u.task_id, u.state});
  auto id = core_->register_agent(a.registration, clock_.now_ms(), mono_.mono_ms());
  BOREALIS_CHECK(id.ok(), id.status().to_string());
  a.id = *id;
  a.acked = 0;
  a.needs_register = false;
}

std::string SimCluster::add_agent(const std::string& hostname, double cpu, int64_t ram,
                                  int64_t disk, uint16_t port_lo, uint16_t port_hi,
                                  std::map<std::string, std::string> attributes) {
  SimAgent a;
  a.registration.hostname = hostname;
  a.registration.address = hostname + ":5051";
  a.registration.resources = ResourceVec::from_spec(jobspec::Resources{cpu, ram, disk, 0});
  a.registration.port_ranges = {{port_lo, port_hi}};
  a.registration.attributes = std::move(attributes);
  register_agent(a);
  std::string id = a.id;
  agents_[hostname] = std::move(a);
  flush();
  return id;
}

void SimCluster::flush() {
  StoreBatch b = core_->take_batch();
  store_.apply(b);
  if (mirror_ && !b.empty()) mirror_(b);
  core_->mark_durable(b.generation);
  core_->take_woken_agents();
}

void SimCluster::step() {
  flush();
  TimeMs now = clock_.now_ms();
  for (auto& [_, a] : agents_) {
    if (!a.alive) continue;
    if (a.needs_register) register_agent(a);
    Status st = core_->agent_poll(a.id, a.acked, std::nullopt, now, mono_.mono_ms());
    if (!st.ok()) {
      register_agent(a);
      flush();
    }
    std::vector<StatusUpdate> updates;
    updates.swap(a.unsent);
    for (const AgentCommand* c : core_->deliverable_commands(a.id)) {
      if (c->type == AgentCommand::Type::kLaunch) {
        if (a.running.insert(c->task_id).second) {
          ++launches_;
          updates.push_back({c->task_id, TaskState::kStarting, ""});
          const Task* t = core_->find_task(c->task_id);
          if (t && fails_ && fails_(*t)) {
            a.running.erase(c->task_id);
            updates.push_back({c->task_id, fail_state_, "health check failed"});
          } else if (auto_run_) {
            updates.push_back({c->task_id, TaskState::kRunning, ""});
          }
        }
      } else if (a.running.erase(c->task_id)) {
        updates.push_back({c->task_id, TaskState::kKilled, "killed by the agent"});
      }
      a.acked = c->seq;
    }
    if (!updates.empty()) {
      auto unwanted = core_->apply_updates(a.id, updates, now, mono_.mono_ms());
      BOREALIS_CHECK(unwanted.ok(), unwanted.status().to_string());
      for (const auto& id : *unwanted) a.running.erase(id);
    }
  }
  flush();
}

void SimCluster::advance(TimeMs ms, TimeMs tick_ms) {
  TimeMs end = clock_.now_ms() + ms;
  while (clock_.now_ms() < end) {
    TimeMs step_ms = std::min(tick_ms, end - clock_.now_ms());
    clock_.advance_ms(step_ms);
    mono_.advance_ms(step_ms);
    core_->tick(clock_.now_ms(), mono_.mono_ms());
    step();
  }
}

SimCluster::SimAgent* SimCluster::agent_running(const std::string& task_id) {
  for (auto& [_, a] : agents_)
    if (a.running.count(task_id)) return &a;
  return nullptr;
}

void SimCluster::end_task(const std::string& task_id, TaskState state, const std::string& message) {
  SimAgent* a = agent_running(task_id);
  BOREALIS_CHECK(a != nullptr, "no simulated agent runs " + task_id);
  a->running.erase(task_id);
  auto r =
      core_->apply_updates(a->id, {{task_id, state, message}}, clock_.now_ms(), mono_.mono_ms());
  BOREALIS_CHECK(r.ok(), r.status().to_string());
  step();
}

void SimCluster::silence_agent(const std::string& hostname) { agents_.at(hostname).alive = false; }

void SimCluster::end_while_silent(const std::string& task_id, TaskState state,
                                  const std::string& message) {
  SimAgent* a = agent_running(task_id);
  BOREALIS_CHECK(a != nullptr && !a->alive, "no silenced simulated agent runs " + task_id);
  a->running.erase(task_id);
  a->unsent.push_back({task_id, state, message});
}

void SimCluster::revive_agent(const std::string& hostname) {
  SimAgent& a = agents_.at(hostname);
  a.alive = true;
  a.needs_register = true;
  step();
}

Status SimCluster::restart_scheduler() {
  flush();
  core_ = std::make_unique<Core>(options_, seed_ + 1000);
  BOREALIS_RETURN_IF_ERROR(core_->restore(store_.load(), clock_.now_ms()));
  for (auto& [_, a] : agents_) a.needs_register = true;
  return Status();
}

CoreOptions SimCluster::fast_options() {
  CoreOptions o;
  o.initial_flapping_delay_ms = 1000;
  o.max_flapping_delay_ms = 8000;
  o.flapping_threshold_ms = 60'000;
  o.agent_timeout_ms = 10'000;
  return o;
}

jobspec::JobSpec SimCluster::job(const std::string& name, int64_t instances, double cpu,
                                 int64_t ram, bool service) {
  jobspec::JobSpec j;
  j.cluster = "devcluster";
  j.role = "www-data";
  j.environment = "prod";
  j.name = name;
  j.instances = instances;
  j.service = service;
  j.task.name = name;
  j.task.processes.push_back(jobspec::Process{.name = name, .cmdline = "sleep 1000"});
  j.task.resources = jobspec::Resources{cpu, ram, 16 << 20, 0};
  return j;
}

std::vector<const Task*> SimCluster::active_tasks(const std::string& name) const {
  std::vector<const Task*> out;
  const Job* j = core_->find_job(JobKey{"www-data", "prod", name});
  if (!j) return out;
  for (const auto& [_, inst] : j->instances)
    if (inst.active) out.push_back(inst.active);
  return out;
}

std::set<std::string> SimCluster::running_on(const std::string& hostname) const {
  return agents_.at(hostname).running;
}

}  // namespace borealis::scheduler
