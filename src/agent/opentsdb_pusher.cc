#include "agent/opentsdb_pusher.h"

#include <chrono>

#include "common/log.h"
#include "common/strings.h"

namespace borealis::agent {

Result<std::unique_ptr<OpenTsdbPusher>> OpenTsdbPusher::start(const OpenTsdbOptions& options,
                                                              Collect collect) {
  auto client = net::HttpClient::create(options.url);
  if (!client.ok()) return client.status().with_context("--opentsdb-url");
  std::unique_ptr<OpenTsdbPusher> pusher(
      new OpenTsdbPusher(options, std::move(collect), std::move(client).value()));
  pusher->thread_.start([p = pusher.get()](std::stop_token stop) { p->run(stop); });
  return pusher;
}

OpenTsdbPusher::OpenTsdbPusher(OpenTsdbOptions options, Collect collect,
                               std::unique_ptr<net::HttpClient> client)
    : options_(std::move(options)), collect_(std::move(collect)), client_(std::move(client)) {}

OpenTsdbPusher::~OpenTsdbPusher() { thread_.stop(); }

Status OpenTsdbPusher::push_round() {
  for (const std::string& body :
       metrics::opentsdb_put_bodies(collect_(), options_.max_points_per_request)) {
    auto r =
        client_->post("/api/put", body, std::chrono::milliseconds(options_.request_timeout_ms));
    if (!r.ok()) return r.status();
    // 204 when every point was stored; 400 names the points OpenTSDB refused.
    if (r->status / 100 != 2)
      return unavailable("OpenTSDB answered " + std::to_string(r->status) + ": " +
                         std::string(trim(std::string_view(r->body).substr(0, 512))));
  }
  return Status();
}

void OpenTsdbPusher::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, stop, std::chrono::milliseconds(options_.interval_ms),
                     [] { return false; });
    }
    if (stop.stop_requested()) return;
    Status pushed = push_round();
    if (pushed.ok()) {
      if (failed_rounds_ > 0)
        spdlog::info("OpenTSDB push to {} works again after {} failed round(s)", options_.url,
                     failed_rounds_);
      failed_rounds_ = 0;
      continue;
    }
    if (failed_rounds_++ == 0)
      spdlog::warn(
          "OpenTSDB push to {} failed: {}; the figures of each round that fails are dropped "
          "(said once until a push works again)",
          options_.url, pushed.to_string());
  }
}

}  // namespace borealis::agent
