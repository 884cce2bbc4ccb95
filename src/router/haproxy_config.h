// haproxy.cfg from the router config and the current slots: the file is always the whole
// truth (a reload or a restarted HAProxy starts with every current server), the runtime
// API only the fast path. Deterministic: the same input gives the same bytes, so backend
// `NAME` and servers s1..sN keep their names across renders.
//
// Thread-safety: a pure function; any thread.
#pragma once

#include <map>
#include <string>

#include "router/router_config.h"
#include "router/routing_table.h"

namespace borealis::router {

// Where a free slot points while it is in maintenance (never receives traffic).
inline constexpr const char* kFreeSlotAddress = "127.0.0.1:1";

std::string render_haproxy_config(const RouterConfig& config,
                                  const std::map<std::string, Slots>& slots);

}  // namespace borealis::router
