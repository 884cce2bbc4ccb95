#include "api/cluster.h"

#include "api/json_fields.h"

namespace borealis::api {

namespace {

Status read_agent(FieldReader& r, AgentInfo* a) {
  BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &a->agent_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("hostname", &a->hostname));
  BOREALIS_RETURN_IF_ERROR(r.get("address", &a->address));
  BOREALIS_RETURN_IF_ERROR(r.get("status", &a->status));
  BOREALIS_RETURN_IF_ERROR(r.get("last_seen_ms", &a->last_seen_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("attributes", &a->attributes));
  BOREALIS_RETURN_IF_ERROR(nested_object(r, "resources", [&](FieldReader& res) {
    BOREALIS_RETURN_IF_ERROR(read_object(res, "total", &a->total));
    return read_object(res, "used", &a->used);
  }));
  return r.get("tasks", &a->tasks);
}

}  // namespace

json::object encode(const ClusterInfo& c) {
  return json::object{{"cluster", c.cluster},
                      {"version", c.version},
                      {"agents", c.agents},
                      {"capabilities", json::object{{"container_images", c.container_images}}}};
}

template <>
Result<ClusterInfo> decode<ClusterInfo>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "cluster info"));
  FieldReader r(*o, "");
  ClusterInfo c;
  BOREALIS_RETURN_IF_ERROR(r.get("cluster", &c.cluster, true));
  BOREALIS_RETURN_IF_ERROR(r.get("version", &c.version));
  BOREALIS_RETURN_IF_ERROR(r.get("agents", &c.agents));
  BOREALIS_RETURN_IF_ERROR(nested_object(r, "capabilities", [&](FieldReader& caps) {
    return caps.get("container_images", &c.container_images);
  }));
  return c;
}

json::object resources_json(double cpu, int64_t ram, int64_t disk, int64_t gpu) {
  return json::object{{"cpu", cpu}, {"ram", ram}, {"disk", disk}, {"gpu", gpu}};
}

json::object encode(const AgentInfo& a) {
  return json::object{{"agent_id", a.agent_id},
                      {"hostname", a.hostname},
                      {"address", a.address},
                      {"status", a.status},
                      {"last_seen_ms", a.last_seen_ms},
                      {"attributes", json_string_map(a.attributes)},
                      {"resources", json::object{{"total", a.total}, {"used", a.used}}},
                      {"tasks", a.tasks}};
}

template <>
Result<AgentInfo> decode<AgentInfo>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "agent"));
  FieldReader r(*o, "");
  AgentInfo a;
  BOREALIS_RETURN_IF_ERROR(read_agent(r, &a));
  return a;
}

json::object encode(const AgentList& l) {
  json::array out;
  for (const auto& a : l.agents) out.push_back(encode(a));
  return json::object{{"agents", std::move(out)}};
}

template <>
Result<AgentList> decode<AgentList>(const json::value& v) {
  BOREALIS_ASSIGN_OR_RETURN(const json::object* o, expect_object(v, "agent list"));
  FieldReader r(*o, "");
  AgentList l;
  BOREALIS_RETURN_IF_ERROR(each_object(r, "agents", [&](FieldReader& a) {
    AgentInfo agent;
    BOREALIS_RETURN_IF_ERROR(read_agent(a, &agent));
    l.agents.push_back(std::move(agent));
    return Status();
  }));
  return l;
}

}  // namespace borealis::api
