#include "router/router_command.h"

#include <cstdio>

#include "auth/zk_credential_file.h"
#include "common/log.h"
#include "common/stop_signals.h"
#include "router/router.h"

namespace borealis::router {

const OptionTable<RouterOptions>& router_option_table() {
  using O = RouterOptions;
  using Spec = OptionSpec<O>;
  static const OptionTable<O> table = OptionTable<O>{
      Spec{.flag = "--zk",
           .value_name = "HOST:PORT[,HOST:PORT...][/CHROOT]",
           .help = "the ZooKeeper servers holding the ServerSets",
           .field = option_field(&O::zk),
           .required = true},
      Spec{.flag = "--zk-auth",
           .value_name = "FILE",
           .help = "a file holding the ZooKeeper digest credential user:password (this user's, "
                   "mode 0600)",
           .field = option_field(&O::zk_auth),
           .default_text = "no authentication"},
      Spec{.flag = "--config",
           .value_name = "FILE",
           .help = "the router config: services and HAProxy (docs/router.md)",
           .field = option_field(&O::config),
           .required = true},
      Spec{.flag = "--log-level",
           .value_name = "LEVEL",
           .help = "trace, debug, info, warn or error",
           .field = option_field(&O::log_level),
           .choices = {"trace", "debug", "info", "warn", "error"}},
  };
  return table;
}

namespace {

Result<zk::SessionOptions> session_options(const RouterOptions& options) {
  zk::SessionOptions zk;
  BOREALIS_ASSIGN_OR_RETURN(zk.servers, zk::parse_connect_string(options.zk));
  if (!options.zk_auth.empty()) {
    auto credential = auth::read_zk_credential_file(options.zk_auth);
    if (!credential.ok()) return credential.status().with_context("--zk-auth");
    zk.credential = std::move(credential).value();
  }
  return zk;
}

}  // namespace

int run_router(const RouterOptions& options) {
  init_logging("router", options.log_level);
  auto zk = session_options(options);
  if (!zk.ok()) {
    std::fprintf(stderr, "borealis router: %s\n", zk.status().message().c_str());
    return 2;
  }
  auto config = load_router_config(options.config);
  if (!config.ok()) {
    std::fprintf(stderr, "borealis router: %s\n", config.status().message().c_str());
    return 2;
  }
  block_stop_signals();
  auto router = Router::start(std::move(config).value(), std::move(zk).value());
  if (!router.ok()) {
    std::fprintf(stderr, "borealis router: %s\n", router.status().message().c_str());
    return 1;
  }
  int sig = wait_for_stop_signal();
  spdlog::info("signal {}: stopping haproxy and the router", sig);
  router->reset();
  return 0;
}

}  // namespace borealis::router
