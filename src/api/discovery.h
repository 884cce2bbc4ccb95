// The scheduler's HTTP discovery (docs/api.md, "Discovery"): the ServerSet of a job for
// clients without ZooKeeper, GET /api/v1/discovery/ROLE/ENV/JOB.
//
//   {"job": "www/prod/hello", "members": [ServersetMember, ...]}
//
// and with ?endpoint=NAME only that named endpoint of each member (for simple clients):
//
//   {"job": "www/prod/hello", "endpoint": "http",
//    "members": [{"host": "h1", "port": 31000}, ...]}
//
// Members are the job's RUNNING, placed instances, sorted by shard (the instance id).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <vector>

#include "api/codec.h"
#include "api/serverset.h"

namespace borealis::api {

struct Discovery {
  std::string job;  // ROLE/ENV/JOB
  std::vector<ServersetMember> members;
  bool operator==(const Discovery&) const = default;
};
BOREALIS_API_CODEC(Discovery);

struct DiscoveryEndpoints {
  std::string job;
  std::string endpoint;           // the additionalEndpoints name asked for
  std::vector<Endpoint> members;  // members without that name are left out
  bool operator==(const DiscoveryEndpoints&) const = default;
};
BOREALIS_API_CODEC(DiscoveryEndpoints);

// The named endpoint of each of `d`'s members that has it, in member order.
DiscoveryEndpoints named_endpoints(const Discovery& d, const std::string& name);

}  // namespace borealis::api
