// The optional push of the per-task figures to OpenTSDB (--opentsdb-url, docs/metrics.md,
// "OpenTSDB"): every interval, a thread of its own takes the points (the agent collects
// them on its loop thread, which is all the loop pays) and posts them to `/api/put` in
// batches, each request with a timeout. A failed round is dropped, not queued: the next
// one carries fresh figures. Failures are logged once per streak, and the recovery once.
//
// Threading: start() and the destructor on one thread; `collect` runs on the pusher's.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/worker_thread.h"
#include "common/clock.h"
#include "common/result.h"
#include "metrics/opentsdb.h"
#include "net/http_client.h"

namespace borealis::agent {

struct OpenTsdbOptions {
  std::string url;  // "http://host:4242"; "" = no push
  TimeMs interval_ms = 60'000;
  size_t max_points_per_request = 50;
  TimeMs request_timeout_ms = 5'000;
};

class OpenTsdbPusher {
 public:
  using Collect = std::function<std::vector<metrics::OpenTsdbPoint>()>;

  // Fails when options.url is not an http:// or https:// URL.
  static Result<std::unique_ptr<OpenTsdbPusher>> start(const OpenTsdbOptions& options,
                                                       Collect collect);
  ~OpenTsdbPusher();  // stops the thread (a request under way finishes or times out first)
  OpenTsdbPusher(const OpenTsdbPusher&) = delete;
  OpenTsdbPusher& operator=(const OpenTsdbPusher&) = delete;

 private:
  OpenTsdbPusher(OpenTsdbOptions options, Collect collect, std::unique_ptr<net::HttpClient> client);
  void run(std::stop_token stop);
  // Posts one round's points; the error of the first batch that failed.
  Status push_round();

  OpenTsdbOptions options_;
  Collect collect_;
  std::unique_ptr<net::HttpClient> client_;
  int64_t failed_rounds_ = 0;  // of the current streak
  std::mutex mu_;
  std::condition_variable_any wake_;
  WorkerThread thread_;
};

}  // namespace borealis::agent
