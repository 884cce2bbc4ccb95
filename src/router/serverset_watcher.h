// Follows one ServerSet in ZooKeeper: its children (a watch on the ServerSet node) and each
// member's data (one watch per member node, set when the member first appears), and
// reports the servers of its valid ALIVE members after every change. Members that are not
// valid member JSON, not ALIVE or lack the endpoint are left out and logged once. A
// ServerSet that does not exist yet is looked for again at each poll() until it appears.
//
// Thread-safety: none. Runs on the router's thread; the watch callbacks must come back to
// that thread (the Session's executor posts them there). Blocks on ZooKeeper.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "router/routing_table.h"
#include "zk/session.h"

namespace borealis::router {

class ServersetWatcher {
 public:
  using OnServers = std::function<void(std::vector<Server>)>;
  ServersetWatcher(zk::Session& session, std::string path, std::string endpoint,
                   OnServers on_servers)
      : session_(session),
        path_(std::move(path)),
        endpoint_(std::move(endpoint)),
        on_servers_(std::move(on_servers)) {}

  // A new session: every watch is gone; read and watch everything again.
  void restart();
  // Reads the children again (and sets the watch again), then reports.
  void refresh();
  // Tries again what failed (a missing ServerSet, an unreachable server). Cheap otherwise.
  void poll();

 private:
  struct Member {
    std::optional<Server> server;  // nullopt: invalid, logged once
  };
  // nullopt: could not be read now (unreachable, DNS); tried again at the next poll().
  std::optional<Member> read_member(const std::string& name);

  zk::Session& session_;
  std::string path_;
  std::string endpoint_;
  OnServers on_servers_;
  std::map<std::string, Member> members_;  // by member node name
  bool stale_ = true;                      // refresh at the next poll()
  bool reported_missing_ = false;
  uint64_t generation_ = 0;  // bumps on restart(): watches of an older session are ignored
};

}  // namespace borealis::router
