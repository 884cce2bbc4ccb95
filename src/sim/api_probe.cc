#include "sim/api_probe.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/log.h"
#include "sim/cluster_client.h"

namespace borealis::sim {

double quantile_ms(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(samples.size())));
  return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

ApiProbe::ApiProbe(std::vector<std::string> urls, std::string token, std::string role,
                   std::string environment, std::vector<std::string> job_names, int interval_ms)
    : urls_(std::move(urls)),
      token_(std::move(token)),
      role_(std::move(role)),
      environment_(std::move(environment)),
      job_names_(std::move(job_names)),
      interval_ms_(interval_ms) {}

ApiProbe::~ApiProbe() {
  if (thread_.joinable()) stop();
}

void ApiProbe::start() {
  thread_ = std::thread([this] { run(); });
}

LatencySummary ApiProbe::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  return {static_cast<int64_t>(latencies_ms_.size()), errors_, quantile_ms(latencies_ms_, 0.5),
          quantile_ms(latencies_ms_, 0.99), first_error_};
}

void ApiProbe::run() {
  auto client = ClusterClient::create(urls_, token_);
  if (!client.ok()) {
    spdlog::error("API probe not started: {}", client.status().message());
    return;
  }
  size_t i = 0;
  while (!stopping_) {
    auto begin = std::chrono::steady_clock::now();
    Status st = Status::ok_status();
    if (i % 2 == 0 || job_names_.empty()) {
      st = (*client)->jobs(role_, environment_).status();
    } else {
      st = (*client)
               ->job_status(role_, environment_, job_names_[(i / 2) % job_names_.size()])
               .status();
    }
    ++i;
    std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - begin;
    if (st.ok()) {
      latencies_ms_.push_back(took.count());
    } else {
      if (errors_++ == 0) first_error_ = st.message();
    }
    // A steady rate of callers, not a flood that would itself be the load measured.
    std::this_thread::sleep_until(begin + std::chrono::milliseconds(interval_ms_));
  }
}

}  // namespace borealis::sim
