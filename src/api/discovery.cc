#include "api/discovery.h"

#include "api/field_table.h"

namespace borealis::api {

json::object encode(const Discovery& d) {
  json::array members;
  for (const ServersetMember& m : d.members) members.push_back(encode(m));
  return json::object{{"job", d.job}, {"members", std::move(members)}};
}

template <>
Result<Discovery> decode<Discovery>(const json::value& v) {
  return read_message<Discovery>(v, "discovery answer", [](FieldReader& r, Discovery* d) {
    BOREALIS_RETURN_IF_ERROR(r.get("job", &d->job, true));
    return read_list(r, "members", &d->members, read_serverset_member);
  });
}

json::object encode(const DiscoveryEndpoints& d) {
  json::array members;
  for (const Endpoint& e : d.members) members.push_back(encode(e));
  return json::object{{"job", d.job}, {"endpoint", d.endpoint}, {"members", std::move(members)}};
}

template <>
Result<DiscoveryEndpoints> decode<DiscoveryEndpoints>(const json::value& v) {
  return read_message<DiscoveryEndpoints>(
      v, "discovery answer", [](FieldReader& r, DiscoveryEndpoints* d) {
        BOREALIS_RETURN_IF_ERROR(r.get("job", &d->job, true));
        BOREALIS_RETURN_IF_ERROR(r.get("endpoint", &d->endpoint, true));
        return read_list(r, "members", &d->members, read_endpoint_fields);
      });
}

DiscoveryEndpoints named_endpoints(const Discovery& d, const std::string& name) {
  DiscoveryEndpoints out{d.job, name, {}};
  for (const ServersetMember& m : d.members) {
    auto it = m.additional_endpoints.find(name);
    if (it != m.additional_endpoints.end()) out.members.push_back(it->second);
  }
  return out;
}

}  // namespace borealis::api
