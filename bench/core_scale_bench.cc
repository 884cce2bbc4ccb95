// A million tasks in the scheduler core (issue 15): memory per task and recovery time.
//
//   build/bench/core_scale_bench [--tasks N] [--agents A] [--jobs J] [--keep FILE]
//   build/bench/core_scale_bench --recover FILE   # recovery alone, from a kept store
//
// It drives the pure Core the way SimCluster and the server do (register agents, create
// jobs, hand out launch commands, apply the agents' STARTING and RUNNING updates, take
// each batch and mirror it into a real SQLite store in a temporary directory), but without
// SimCluster's own bookkeeping, so that the heap it measures is the scheduler's alone.
// Jobs are health-checked, announced services whose tasks hold two named ports.
//
// Phases, each timed: place every task (create_job), run them (status updates), then a
// kill -9 stand-in: the core is dropped, its rows are read back from SQLite
// (SqliteStore::load) and a new core is rebuilt from them (Core::restore). Heap in use
// comes from mallinfo2 (what malloc hands out, with its per-chunk overhead); RSS from
// /proc/self/status.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/parallel_for.h"
#include "scheduler/core/core.h"
#include "scheduler/store/sqlite_store.h"

namespace borealis::scheduler {
namespace {

struct Flags {
  std::string recover;  // a store to recover from, alone
  std::string keep;     // where to write the store, kept for --recover
  int64_t tasks = 1'000'000;
  int agents = 5'000;
  int jobs = 1'000;
};

int64_t heap_bytes() {
  struct mallinfo2 m = mallinfo2();
  return static_cast<int64_t>(m.uordblks + m.hblkhd);
}

int64_t rss_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;
  return 0;
}

// CPU time of this process: the machine is shared, so wall time alone says little.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void die(const Status& st, const char* where) {
  std::fprintf(stderr, "core_scale_bench: %s: %s\n", where, st.to_string().c_str());
  std::exit(1);
}

jobspec::JobSpec service_spec(int j, int64_t instances) {
  jobspec::JobSpec s;
  s.cluster = "devcluster";
  s.role = "www-data";
  s.environment = "prod";
  s.name = "service-" + std::to_string(j);
  s.instances = instances;
  s.service = true;
  s.task.name = s.name;
  s.task.processes.push_back(jobspec::Process{
      .name = "server",
      .cmdline = "./server --http={{thermos.ports[http]}} --admin={{thermos.ports[admin]}}"});
  s.task.resources = jobspec::Resources{0.1, 128 << 20, 256 << 20, 0};
  s.announce = jobspec::Announcer{};  // primary port http, aurora alias
  return s;
}

// Applies every batch the core hands out to the store, then tells the core it is durable.
class Mirror {
 public:
  explicit Mirror(Store& store) : store_(store) {}
  void flush(Core& core) {
    StoreBatch b = core.take_batch();
    if (!b.tasks.empty()) {
      size_t bytes = 0;
      for (const auto& [_, row] : b.tasks) bytes += row.size();
      last_task_row_bytes_ = static_cast<double>(bytes) / static_cast<double>(b.tasks.size());
    }
    if (!b.empty()) {
      auto t0 = std::chrono::steady_clock::now();
      double cpu0 = cpu_seconds();
      if (Status st = store_.apply({&b}); !st.ok()) die(st, "store apply");
      store_seconds_ += seconds_since(t0);
      store_cpu_seconds_ += cpu_seconds() - cpu0;
    }
    core.mark_durable(b.generation);
    core.take_woken_agents();
  }
  double store_seconds() const { return store_seconds_; }
  double store_cpu_seconds() const { return store_cpu_seconds_; }
  double last_task_row_bytes() const { return last_task_row_bytes_; }

 private:
  Store& store_;
  double store_seconds_ = 0;
  double store_cpu_seconds_ = 0;
  double last_task_row_bytes_ = 0;
};

std::vector<std::string> register_agents(Core& core, int agents) {
  std::vector<std::string> ids;
  for (int i = 0; i < agents; ++i) {
    AgentRegistration r;
    r.hostname = "host-" + std::to_string(i) + ".example.com";
    r.address = r.hostname + ":5051";
    r.resources = ResourceVec{32'000, 128LL << 30, 1LL << 40, 0};
    r.port_ranges = {{31000, 31999}};
    r.attributes = {{"rack", "r" + std::to_string(i % 50)}};
    auto id = core.register_agent(r, 1, 1);
    if (!id.ok()) die(id.status(), "register agent");
    ids.push_back(*id);
  }
  return ids;
}

// Every agent takes its launch commands and reports each task STARTING, then RUNNING.
void run_launched(Core& core, const std::vector<std::string>& agents, TimeMs now, MonoMs mono) {
  for (const std::string& id : agents) {
    std::vector<StatusUpdate> updates;
    uint64_t acked = 0;
    for (const AgentCommand* c : core.deliverable_commands(id)) {
      if (c->type == AgentCommand::Type::kLaunch) {
        updates.push_back({c->task_id, TaskState::kStarting, ""});
        updates.push_back({c->task_id, TaskState::kRunning, ""});
      }
      acked = c->seq;
    }
    if (Status st = core.agent_poll(id, acked, std::nullopt, now, mono); !st.ok())
      die(st, "agent poll");
    if (updates.empty()) continue;
    auto r = core.apply_updates(id, updates, now, mono);
    if (!r.ok()) die(r.status(), "status updates");
  }
}

// Reads the store at `db` and rebuilds a core from it, timing each phase.
int recover(const std::string& db, int64_t max_instances) {
  const int64_t heap0 = heap_bytes(), rss0 = rss_bytes();
  auto t0 = std::chrono::steady_clock::now();
  double cpu0 = cpu_seconds();
  auto store = SqliteStore::open(db);
  if (!store.ok()) die(store.status(), "open store");
  auto state = (*store)->load();
  if (!state.ok()) die(state.status(), "load");
  const double load_s = seconds_since(t0), load_cpu = cpu_seconds() - cpu0;
  const int64_t heap_rows = heap_bytes() - heap0;
  const auto tasks = static_cast<double>(state->tasks.size());

  t0 = std::chrono::steady_clock::now();
  cpu0 = cpu_seconds();
  CoreOptions options;
  options.limits.max_instances = max_instances;
  auto core = std::make_unique<Core>(options, 43);
  // As the scheduler does: task rows decoded on every core.
  if (Status st = core->restore(
          *state, 1'767'225'700'000,
          [](size_t n, const std::function<void(size_t)>& fn) { parallel_for(n, fn); });
      !st.ok())
    die(st, "restore");
  const double restore_s = seconds_since(t0), restore_cpu = cpu_seconds() - cpu0;
  t0 = std::chrono::steady_clock::now();
  state = StoredState{};
  const double free_s = seconds_since(t0);
  malloc_trim(0);
  std::printf(
      "recovery:    load %.2f s + restore %.2f s = %.2f s for %.0f task rows "
      "(then %.2f s to free the rows)\n",
      load_s, restore_s, load_s + restore_s, tasks, free_s);
  std::printf("recovery CPU: load %.2f s + restore %.2f s = %.2f s\n", load_cpu, restore_cpu,
              load_cpu + restore_cpu);
  std::printf("rows held:   %.0f bytes/task while loaded\n",
              static_cast<double>(heap_rows) / tasks);
  std::printf("restored:    %.0f bytes/task heap, %.0f bytes/task RSS (agents included)\n",
              static_cast<double>(heap_bytes() - heap0) / tasks,
              static_cast<double>(rss_bytes() - rss0) / tasks);
  return 0;
}

// The hot path at this size: one task on each of 1,000 agents fails; the core replaces,
// places and relaunches it, and its agent reports the replacement RUNNING. Ticks are
// timed apart: the first runs the history pruner over every job (once a minute). Store
// time is left out.
void hot_path(Core& core, Mirror& mirror, const std::vector<std::string>& agents, TimeMs now) {
  const MonoMs mono = 2;  // agents stay live: the monotonic clock has not moved
  const size_t churn = std::min<size_t>(1000, agents.size());
  double cpu0 = cpu_seconds();
  core.tick(now, mono);
  std::printf("prune pass:  %.1f ms CPU (a tick's history pruning over every job)\n",
              (cpu_seconds() - cpu0) * 1e3);
  now += 1000;
  double store0 = mirror.store_seconds(), store_cpu0 = mirror.store_cpu_seconds();
  cpu0 = cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < churn; ++i) {
    const Agent* a = core.find_agent(agents[i]);
    if (!a || a->tasks.empty()) continue;
    std::vector<StatusUpdate> failed{{a->tasks.front()->id, TaskState::kFailed, "exit 1"}};
    if (auto r = core.apply_updates(agents[i], failed, now, mono); !r.ok())
      die(r.status(), "failure update");
  }
  core.tick(now, mono);  // places the replacements
  mirror.flush(core);
  run_launched(core, {agents.begin(), agents.begin() + static_cast<long>(churn)}, now, mono);
  mirror.flush(core);
  const double store_s = mirror.store_seconds() - store0;
  const double wall = seconds_since(t0) - store_s;
  const double cpu = cpu_seconds() - cpu0 - (mirror.store_cpu_seconds() - store_cpu0);
  if (core.pending_count() != 0) die(internal_error("replacements not placed"), "hot path");
  std::printf(
      "hot path:    %zu failures replaced and RUNNING: %.1f us wall, %.1f us CPU each "
      "(store apply excluded)\n",
      churn, wall * 1e6 / static_cast<double>(churn), cpu * 1e6 / static_cast<double>(churn));
  cpu0 = cpu_seconds();
  for (int i = 1; i <= 10; ++i) core.tick(now + i * 100, mono);
  std::printf("tick:        %.3f ms CPU (nothing to do)\n", (cpu_seconds() - cpu0) * 100.0);
}

int run(const Flags& f, const std::string& self) {
  std::string dir = std::filesystem::temp_directory_path() / "borealis-core-scale-XXXXXX";
  if (!mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string db = f.keep.empty() ? dir + "/state.db" : f.keep;
  {
    auto store = SqliteStore::open(db);
    if (!store.ok()) die(store.status(), "open store");
    Mirror mirror(**store);
    CoreOptions options;
    options.limits.max_instances = f.tasks / f.jobs + 1;

    const int64_t heap0 = heap_bytes(), rss0 = rss_bytes();
    auto core = std::make_unique<Core>(options, 42);
    std::vector<std::string> agents = register_agents(*core, f.agents);
    mirror.flush(*core);
    const int64_t heap_agents = heap_bytes();

    auto t0 = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds() - mirror.store_cpu_seconds();
    double store_before = 0;
    const int64_t per_job = f.tasks / f.jobs;
    TimeMs now = 1'767'225'600'000;
    for (int j = 0; j < f.jobs; ++j) {
      auto job = core->create_job(service_spec(j, per_job), now, "bench");
      if (!job.ok()) die(job.status(), "create job");
      mirror.flush(*core);
    }
    const double place_s = seconds_since(t0);
    const double place_cpu = cpu_seconds() - cpu_start - mirror.store_cpu_seconds();
    const double place_store_s = mirror.store_seconds() - store_before;
    if (core->pending_count() != 0) {
      std::fprintf(stderr, "core_scale_bench: %zu tasks not placed\n", core->pending_count());
      return 1;
    }
    store_before = mirror.store_seconds();
    t0 = std::chrono::steady_clock::now();
    now += 1000;
    run_launched(*core, agents, now, 1);
    mirror.flush(*core);
    const double run_s = seconds_since(t0);
    const double run_store_s = mirror.store_seconds() - store_before;

    malloc_trim(0);
    const int64_t heap1 = heap_bytes(), rss1 = rss_bytes();
    const double tasks = static_cast<double>(core->task_count());
    std::printf("tasks %zu on %d agents in %d jobs\n", core->task_count(), f.agents, f.jobs);
    std::printf(
        "place all:   %.2f s (%.2f s of it in SQLite apply), %.0f placements/s; "
        "core CPU %.2f s\n",
        place_s, place_store_s, tasks / place_s, place_cpu);
    std::printf("run all:     %.2f s (%.2f s of it in SQLite apply)\n", run_s, run_store_s);
    std::printf("task row:    %.0f bytes (RUNNING, JSON)\n", mirror.last_task_row_bytes());
    std::printf("core heap:   %.0f bytes/task (agents alone: %.1f MiB)\n",
                static_cast<double>(heap1 - heap_agents) / tasks,
                static_cast<double>(heap_agents - heap0) / 1048576.0);
    std::printf("process RSS: %.0f bytes/task (growth %.1f MiB)\n",
                static_cast<double>(rss1 - rss0) / tasks,
                static_cast<double>(rss1 - rss0) / 1048576.0);
    hot_path(*core, mirror, agents, now + 10 * 60'000);
  }
  // kill -9 and restart: recovery runs in a fresh process, as it would after a crash.
  std::fflush(stdout);
  const std::string cmd = self + " --recover " + db;
  int rc = std::system(cmd.c_str());
  std::filesystem::remove_all(dir);
  return rc == 0 ? 0 : 1;
}

}  // namespace
}  // namespace borealis::scheduler

int main(int argc, char** argv) {
  borealis::scheduler::Flags f;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--recover"))
      f.recover = argv[i + 1];
    else if (!std::strcmp(argv[i], "--keep"))
      f.keep = argv[i + 1];
    else if (!std::strcmp(argv[i], "--tasks"))
      f.tasks = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--agents"))
      f.agents = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--jobs"))
      f.jobs = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr,
                   "usage: core_scale_bench [--tasks N] [--agents A] [--jobs J] [--keep FILE] | "
                   "--recover FILE\n");
      return 2;
    }
  }
  if (f.tasks <= 0 || f.agents <= 0 || f.jobs <= 0 || f.tasks < f.jobs) {
    std::fprintf(stderr,
                 "core_scale_bench: --tasks, --agents, --jobs must be > 0, tasks >= jobs\n");
    return 2;
  }
  if (!f.recover.empty()) return borealis::scheduler::recover(f.recover, f.tasks);
  return borealis::scheduler::run(f, argv[0]);
}
