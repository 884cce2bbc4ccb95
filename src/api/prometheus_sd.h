// Prometheus' HTTP service discovery document (http_sd_config), listing every announced
// instance's metrics endpoint so one scrape config covers every job (docs/metrics.md,
// "Scraping the jobs"). GET /api/v1/prometheus/targets answers:
//
//   [{"targets": ["h1:31001"],
//     "labels": {"role": "www", "environment": "prod", "job": "hello", "instance": "0",
//                "__meta_borealis_cluster": "west", "__meta_borealis_host": "h1",
//                "__meta_borealis_port_http": "31000", "__meta_borealis_port_metrics": "31001"}},
//    ...]
//
// One group per instance, since its labels are its own. The target is the instance's port
// named `metrics` when it has one, else its Announcer primary port (the ServerSet's
// serviceEndpoint); an instance with neither is left out (nothing to scrape).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/serverset.h"
#include "common/json.h"

namespace borealis::api {

// The port name an instance exposes its metrics on, when it has one.
inline constexpr const char* kMetricsPortName = "metrics";

struct PrometheusTargetGroup {
  std::vector<std::string> targets;  // "host:port"
  std::map<std::string, std::string> labels;
  bool operator==(const PrometheusTargetGroup&) const = default;
};

// The document is a bare JSON array, as Prometheus reads it.
json::array encode(const std::vector<PrometheusTargetGroup>& groups);

// Where an announced instance runs, as the job's ServerSet lists it.
struct AnnouncedInstance {
  std::string cluster, role, environment, job;
  ServersetMember member;  // shard is the instance id
};

// The instance's target group; nullopt when it has no port to scrape.
std::optional<PrometheusTargetGroup> prometheus_target_group(const AnnouncedInstance& instance);

// `name` as a Prometheus label name's tail: characters outside [a-zA-Z0-9_] become '_'.
std::string prometheus_label_name_part(const std::string& name);

}  // namespace borealis::api
