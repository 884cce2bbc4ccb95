// A ServerSet member node's JSON (api::ServersetMember, as Aurora's announcer writes it)
// turned into the HAProxy server it names. Member data comes from whoever can write the
// ServerSet: it is hostile, bounded by ZooKeeper's node size, and checked before it gets
// near haproxy.cfg (a host is a name or an address, nothing else).
//
// Thread-safety: pure functions; resolve_server() blocks on DNS. Any thread.
#pragma once

#include <string>
#include <string_view>

#include "api/serverset.h"
#include "common/result.h"
#include "router/routing_table.h"

namespace borealis::router {

// The endpoint of a member: its serviceEndpoint, or additionalEndpoints[endpoint] when
// `endpoint` is not empty. INVALID_ARGUMENT when the JSON is not a member, the status is
// not ALIVE, the endpoint is missing, the host is not a host name or IP address, or the
// port is outside 1-65535.
Result<api::Endpoint> member_endpoint(std::string_view data, const std::string& endpoint);

// The endpoint with its host resolved to an IP address (the first IPv4 one if any).
Result<Server> resolve_server(const api::Endpoint& endpoint);

}  // namespace borealis::router
