// `borealis router`: keeps HAProxy in step with ServerSets in ZooKeeper, as Airbnb's Synapse
// does (docs/router.md). One thread owns all state: ZooKeeper watch events and session
// changes are posted to it, and it reads ZooKeeper, renders haproxy.cfg and drives HAProxy.
//
// A membership change goes to HAProxy through its runtime API at once (no reload) while the
// backend's slots suffice, and haproxy.cfg is rewritten so that it always holds the current
// servers. Only a change of the file's shape (a backend outgrowing its slots) reloads, at
// most once per min_reload_interval_ms; changes meanwhile are coalesced into that reload.
//
// Thread-safety: start() and the destructor from one thread; the rest is internal.
#pragma once

#include <memory>

#include "common/result.h"
#include "router/router_config.h"
#include "zk/session.h"

namespace borealis::router {

class Router {
 public:
  // Writes and checks the initial haproxy.cfg (every slot free), starts HAProxy (owned
  // mode), then the ZooKeeper session; returns once HAProxy answers. The ServerSets fill in
  // as the session connects.
  static Result<std::unique_ptr<Router>> start(RouterConfig config, zk::SessionOptions zk);
  // Stops watching, then stops an owned HAProxy.
  ~Router();

  class Impl;

 private:
  explicit Router(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::router
