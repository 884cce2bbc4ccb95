// `borealis router --zk CONNECT [--zk-auth FILE] --config FILE`: its options as data
// (common/option_table.h) and the function that runs it until SIGINT or SIGTERM.
#pragma once

#include <string>

#include "common/option_table.h"

namespace borealis::router {

struct RouterOptions {
  std::string zk;       // ZooKeeper connect string
  std::string zk_auth;  // a file holding "user:password" for digest auth; "" = none
  std::string config;   // the router config (docs/router.md)
  std::string log_level = "info";
};

const OptionTable<RouterOptions>& router_option_table();

// Returns the exit code: 2 for bad flags or config, 1 when HAProxy cannot start.
int run_router(const RouterOptions& options);

}  // namespace borealis::router
