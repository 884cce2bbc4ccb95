// A task's endpoints in the shape Aurora's announcer writes to a ZooKeeper serverset
// (the JSON member of twitter.common.zookeeper.serverset), which routers and clients read:
//
//   {"serviceEndpoint": {"host": "h1", "port": 31000},
//    "additionalEndpoints": {"aurora": {"host": "h1", "port": 31000},
//                            "http": {"host": "h1", "port": 31000}},
//    "status": "ALIVE", "shard": 0}
//
// serviceEndpoint is Announcer.primary_port's number; additionalEndpoints holds every
// named port of the task, aliases and fixed ports included; shard is the instance. The
// agent's announcer (a later issue) writes this; the API shows its primary endpoint, and
// GET /api/v1/discovery (api/discovery.h) lists a job's members in this shape.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "api/codec.h"
#include "api/json_fields.h"

namespace borealis::api {

struct Endpoint {
  std::string host;
  int64_t port = 0;
  bool operator==(const Endpoint&) const = default;
};
BOREALIS_API_CODEC(Endpoint);

struct ServersetMember {
  Endpoint service_endpoint;
  std::map<std::string, Endpoint> additional_endpoints;
  std::string status = "ALIVE";
  int64_t shard = 0;
  bool operator==(const ServersetMember&) const = default;
};
BOREALIS_API_CODEC(ServersetMember);

// The fields of an Endpoint or a ServersetMember in `r` (for the messages that list them).
Status read_endpoint_fields(FieldReader& r, Endpoint* e);
Status read_serverset_member(FieldReader& r, ServersetMember* m);

// As Aurora's make_endpoints: `ports` is the task's full name -> number map; a
// primary_port the task lacks gets port 0.
ServersetMember serverset_member(const std::string& host,
                                 const std::map<std::string, int64_t>& ports,
                                 const std::string& primary_port, int64_t shard);

// "host:port", as the API's primary_endpoint shows it.
std::string endpoint_text(const Endpoint& e);

}  // namespace borealis::api
