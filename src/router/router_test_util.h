// For the router's tests: a config with one checked http service `web`.
#pragma once

#include <string>

#include "router/router_config.h"

namespace borealis::router {

// `web` on ServerSet /aurora/r/prod/web, listening on `port`, with `slots` slots and an
// HTTP check of /health every 500 ms; HAProxy's stats on `stats_port`.
inline RouterConfig web_config(const std::string& config_path, int port, int stats_port,
                               int slots) {
  RouterConfig config;
  config.haproxy.config_path = config_path;
  config.haproxy.stats_port = stats_port;
  ServiceConfig web;
  web.name = "web";
  web.serverset = "/aurora/r/prod/web";
  web.port = port;
  web.slots = slots;
  web.check = HealthCheck{"/health", 500, 2, 3};
  config.services = {web};
  return config;
}

}  // namespace borealis::router
