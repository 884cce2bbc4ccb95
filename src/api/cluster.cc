#include "api/cluster.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<ClusterInfo> kClusterFields = {
    {"cluster", &ClusterInfo::cluster, Presence::kRequired},
    {"version", &ClusterInfo::version},
    {"agents", &ClusterInfo::agents},
    {"capabilities.container_images", &ClusterInfo::container_images}};

const FieldTable<AgentInfo> kAgentFields = {{"agent_id", &AgentInfo::agent_id, Presence::kRequired},
                                            {"hostname", &AgentInfo::hostname},
                                            {"address", &AgentInfo::address},
                                            {"status", &AgentInfo::status},
                                            {"last_seen_ms", &AgentInfo::last_seen_ms},
                                            {"attributes", &AgentInfo::attributes},
                                            {"resources.total", &AgentInfo::total},
                                            {"resources.used", &AgentInfo::used},
                                            {"tasks", &AgentInfo::tasks}};

Status read_agent(FieldReader& r, AgentInfo* a) { return read_fields(r, a, kAgentFields); }

}  // namespace

json::object encode(const ClusterInfo& c) { return encode_fields(c, kClusterFields); }

template <>
Result<ClusterInfo> decode<ClusterInfo>(const json::value& v) {
  return read_message<ClusterInfo>(v, "cluster info", [](FieldReader& r, ClusterInfo* c) {
    return read_fields(r, c, kClusterFields);
  });
}

json::object resources_json(double cpu, int64_t ram, int64_t disk, int64_t gpu) {
  return json::object{{"cpu", cpu}, {"ram", ram}, {"disk", disk}, {"gpu", gpu}};
}

json::object encode(const AgentInfo& a) { return encode_fields(a, kAgentFields); }

template <>
Result<AgentInfo> decode<AgentInfo>(const json::value& v) {
  return read_message<AgentInfo>(v, "agent", read_agent);
}

json::object encode(const AgentList& l) {
  return json::object{{"agents", encode_list(l.agents, kAgentFields)}};
}

template <>
Result<AgentList> decode<AgentList>(const json::value& v) {
  return read_list_message(v, "agent list", "agents", &AgentList::agents, read_agent);
}

}  // namespace borealis::api
