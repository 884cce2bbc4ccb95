#include "api/serverset.h"

#include "api/field_table.h"

namespace borealis::api {

namespace {

const FieldTable<Endpoint> kEndpointFields = {{"host", &Endpoint::host, Presence::kRequired},
                                              {"port", &Endpoint::port, Presence::kRequired}};

json::object endpoints_json(const std::map<std::string, Endpoint>& endpoints) {
  json::object o;
  for (const auto& [name, e] : endpoints) o[name] = encode(e);
  return o;
}

Status read_endpoint(FieldReader& r, std::string_view key, Endpoint* out) {
  return nested_object(
      r, key, [&](FieldReader& e) { return read_endpoint_fields(e, out); }, true);
}

}  // namespace

Status read_endpoint_fields(FieldReader& r, Endpoint* e) {
  BOREALIS_RETURN_IF_ERROR(read_fields(r, e, kEndpointFields));
  return check_range(r, "port", e->port, 0, 65535);
}

Status read_serverset_member(FieldReader& r, ServersetMember* m) {
  BOREALIS_RETURN_IF_ERROR(read_endpoint(r, "serviceEndpoint", &m->service_endpoint));
  if (const json::value* extra = r.raw("additionalEndpoints")) {
    if (!extra->is_object()) return r.error("additionalEndpoints", "expected an object");
    FieldReader names(extra->get_object(), r.field_path("additionalEndpoints"));
    for (const auto& kv : extra->get_object()) {
      BOREALIS_RETURN_IF_ERROR(
          read_endpoint(names, kv.key(), &m->additional_endpoints[std::string(kv.key())]));
    }
  }
  BOREALIS_RETURN_IF_ERROR(r.get("status", &m->status));
  return r.get("shard", &m->shard);
}

json::object encode(const Endpoint& e) { return encode_fields(e, kEndpointFields); }

template <>
Result<Endpoint> decode<Endpoint>(const json::value& v) {
  return read_message<Endpoint>(v, "endpoint", read_endpoint_fields);
}

json::object encode(const ServersetMember& m) {
  return json::object{{"serviceEndpoint", encode(m.service_endpoint)},
                      {"additionalEndpoints", endpoints_json(m.additional_endpoints)},
                      {"status", m.status},
                      {"shard", m.shard}};
}

template <>
Result<ServersetMember> decode<ServersetMember>(const json::value& v) {
  return read_message<ServersetMember>(v, "serverset member", read_serverset_member);
}

ServersetMember serverset_member(const std::string& host,
                                 const std::map<std::string, int64_t>& ports,
                                 const std::string& primary_port, int64_t shard) {
  ServersetMember m;
  auto primary = ports.find(primary_port);
  m.service_endpoint = Endpoint{host, primary == ports.end() ? 0 : primary->second};
  for (const auto& [name, port] : ports) m.additional_endpoints[name] = Endpoint{host, port};
  m.shard = shard;
  return m;
}

std::string endpoint_text(const Endpoint& e) { return e.host + ":" + std::to_string(e.port); }

}  // namespace borealis::api
