// GET /api/v1/cluster and GET /api/v1/agents (docs/api.md, "Health and cluster", "Agents").
// Answers: decoded tolerantly (unknown fields are ignored).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/codec.h"
#include "common/clock.h"

namespace borealis::api {

struct ClusterInfo {
  std::string cluster;  // required
  std::string version;
  int64_t agents = 0;  // active agents
  bool container_images = false;
  bool operator==(const ClusterInfo&) const = default;
};
BOREALIS_API_CODEC(ClusterInfo);

// {"cpu": cores, "ram": bytes, "disk": bytes, "gpu": n}: kept as an object so a client
// shows a resource kind it was built before.
json::object resources_json(double cpu, int64_t ram, int64_t disk, int64_t gpu);

struct AgentInfo {
  std::string agent_id;  // required
  std::string hostname;
  std::string address;
  std::string status;  // ACTIVE | LOST
  TimeMs last_seen_ms = 0;
  std::map<std::string, std::string> attributes;
  json::object total;  // resources_json()
  json::object used;
  int64_t tasks = 0;
  bool operator==(const AgentInfo&) const = default;
};
BOREALIS_API_CODEC(AgentInfo);

// {"agents": [...]}
struct AgentList {
  std::vector<AgentInfo> agents;
  bool operator==(const AgentList&) const = default;
};
BOREALIS_API_CODEC(AgentList);

}  // namespace borealis::api
