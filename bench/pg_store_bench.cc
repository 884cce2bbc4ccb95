// PgStore throughput against a real PostgreSQL 15 (docs/benchmarks.md): inserts ROWS task
// rows of ~400 bytes in apply() calls of BATCH rows each, rewrites them all once more (the
// upsert path: the same keys, new data), times load() of the whole table, then times
// apply() calls of 10 rows one after another (what a write costs when groups are small:
// round trips and the commit's fsync). Each phase runs RUNS times and prints every run and
// the median. Starts its own server (the test fixture: loopback ports 9040-9079, fsync
// and synchronous_commit on) unless a URL is given.
//
//   build/bench/pg_store_bench [ROWS [BATCH [RUNS [postgresql://...]]]]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "scheduler/store/pg_store.h"
#include "scheduler/store/testing/postgres_server.h"

namespace borealis::scheduler {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A task row shaped like the core's (rows.h): ~400 bytes of JSON.
std::string task_json(int i, int version) {
  std::string s = "{\"id\":\"www-data-prod-web-" + std::to_string(i) +
                  "\",\"job\":\"www-data/prod/web\",\"instance\":" + std::to_string(i) +
                  ",\"state\":\"RUNNING\",\"agent\":\"agent-" + std::to_string(i % 5000) +
                  "\",\"version\":" + std::to_string(version) + ",\"events\":[";
  s += "{\"state\":\"PENDING\",\"at\":1764150000000},{\"state\":\"ASSIGNED\",\"at\":"
       "1764150000100},{\"state\":\"STARTING\",\"at\":1764150000200},{\"state\":\"RUNNING\","
       "\"at\":1764150000300,\"message\":\"started by the executor\"}]";
  s += ",\"ports\":{\"http\":31000},\"resources\":{\"cpus\":0.5,\"ram_mb\":256,\"disk_mb\":512}";
  s.append(400 > s.size() + 1 ? 400 - s.size() - 1 : 0, ' ');
  return s + "}";
}

// Writes rows [0, rows) in apply() calls of `batch` rows; returns rows per second.
Result<double> write_all(Store& store, int rows, int batch, int version) {
  auto began = Clock::now();
  uint64_t generation = 0;
  for (int start = 0; start < rows; start += batch) {
    StoreBatch b;
    b.generation = ++generation;
    for (int i = start; i < std::min(rows, start + batch); ++i)
      b.tasks.emplace_back("www-data-prod-web-" + std::to_string(i), task_json(i, version));
    BOREALIS_RETURN_IF_ERROR(store.apply({&b}));
  }
  return rows / seconds_since(began);
}

// Median milliseconds of one apply() of 10 rows (existing keys, new data), over `count`.
Result<double> small_apply_ms(Store& store, int count) {
  std::vector<double> took;
  for (int n = 0; n < count; ++n) {
    StoreBatch b;
    b.generation = static_cast<uint64_t>(n + 1);
    for (int i = 0; i < 10; ++i) {
      int row = (n * 10 + i) % 1000;
      b.tasks.emplace_back("www-data-prod-web-" + std::to_string(row), task_json(row, 3 + n));
    }
    auto began = Clock::now();
    BOREALIS_RETURN_IF_ERROR(store.apply({&b}));
    took.push_back(seconds_since(began) * 1000);
  }
  return median(took);
}

int run(int rows, int batch, int runs, std::string url) {
  std::unique_ptr<testing::PostgresServer> server;
  if (url.empty()) {
    auto started = testing::PostgresServer::start({.first_port = 9040, .last_port = 9079});
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().to_string().c_str());
      return 1;
    }
    server = std::move(started).value();
  }
  std::vector<double> insert_rate, upsert_rate, load_s, small_ms;
  for (int r = 0; r < runs; ++r) {
    if (server) {
      auto db = server->create_database("bench" + std::to_string(r));
      if (!db.ok()) {
        std::fprintf(stderr, "%s\n", db.status().to_string().c_str());
        return 1;
      }
      url = *db;
    }
    auto store = PgStore::open(url);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().to_string().c_str());
      return 1;
    }
    auto inserted = write_all(**store, rows, batch, 1);
    auto upserted = inserted.ok() ? write_all(**store, rows, batch, 2) : inserted;
    if (!upserted.ok()) {
      std::fprintf(stderr, "%s\n", upserted.status().to_string().c_str());
      return 1;
    }
    auto began = Clock::now();
    auto state = (*store)->load();
    double took = seconds_since(began);
    if (!state.ok() || state->tasks.size() != static_cast<size_t>(rows)) {
      std::fprintf(stderr, "load: %s\n",
                   state.ok() ? "wrong row count" : state.status().to_string().c_str());
      return 1;
    }
    auto small = small_apply_ms(**store, 500);
    if (!small.ok()) {
      std::fprintf(stderr, "%s\n", small.status().to_string().c_str());
      return 1;
    }
    insert_rate.push_back(*inserted);
    upsert_rate.push_back(*upserted);
    load_s.push_back(took);
    small_ms.push_back(*small);
    std::printf(
        "run %d: insert %.0f rows/s, upsert %.0f rows/s, load of %d rows %.2f s, apply of 10 "
        "rows %.2f ms\n",
        r + 1, *inserted, *upserted, rows, took, *small);
    std::fflush(stdout);
  }
  std::printf(
      "median of %d: insert %.0f rows/s, upsert %.0f rows/s, load %.2f s, apply of 10 rows "
      "%.2f ms (%d rows of %zu bytes, %d rows per apply)\n",
      runs, median(insert_rate), median(upsert_rate), median(load_s), median(small_ms), rows,
      task_json(0, 1).size(), batch);
  return 0;
}

}  // namespace
}  // namespace borealis::scheduler

int main(int argc, char** argv) {
  int rows = argc > 1 ? std::atoi(argv[1]) : 1000000;
  int batch = argc > 2 ? std::atoi(argv[2]) : 1000;
  int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  std::string url = argc > 4 ? argv[4] : "";
  if (rows <= 0 || batch <= 0 || runs <= 0) {
    std::fprintf(stderr, "usage: pg_store_bench [ROWS [BATCH [RUNS [postgresql://...]]]]\n");
    return 2;
  }
  return borealis::scheduler::run(rows, batch, runs, url);
}
