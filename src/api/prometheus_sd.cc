#include "api/prometheus_sd.h"

namespace borealis::api {

json::array encode(const std::vector<PrometheusTargetGroup>& groups) {
  json::array out;
  out.reserve(groups.size());
  for (const PrometheusTargetGroup& g : groups) {
    json::array targets(g.targets.begin(), g.targets.end());
    json::object labels;
    for (const auto& [name, value] : g.labels) labels[name] = value;
    out.push_back(json::object{{"targets", std::move(targets)}, {"labels", std::move(labels)}});
  }
  return out;
}

std::string prometheus_label_name_part(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!allowed) c = '_';
  }
  return out;
}

std::optional<PrometheusTargetGroup> prometheus_target_group(const AnnouncedInstance& instance) {
  const ServersetMember& m = instance.member;
  auto metrics = m.additional_endpoints.find(kMetricsPortName);
  const Endpoint& scraped =
      metrics != m.additional_endpoints.end() ? metrics->second : m.service_endpoint;
  // A primary_port the task lacks is announced as port 0.
  if (scraped.port == 0) return std::nullopt;
  PrometheusTargetGroup g;
  g.targets.push_back(endpoint_text(scraped));
  g.labels = {{"role", instance.role},
              {"environment", instance.environment},
              {"job", instance.job},
              {"instance", std::to_string(m.shard)},
              {"__meta_borealis_cluster", instance.cluster},
              {"__meta_borealis_host", scraped.host}};
  // Every named port, so a relabeling can scrape another one.
  for (const auto& [name, e] : m.additional_endpoints)
    g.labels["__meta_borealis_port_" + prometheus_label_name_part(name)] = std::to_string(e.port);
  return g;
}

}  // namespace borealis::api
