// Which server of a ServerSet sits in which slot of its HAProxy backend, and the runtime-API
// commands that take HAProxy from the old slots to the new ones. Pure: members in,
// commands and "a reload is needed" out; the router applies them.
//
// Slots are stable: a member that stays keeps its slot (its server name sN), a new member
// takes the lowest free slot, a gone member's slot is put in maintenance. Only when the
// slots run out does the backend grow (to twice its size), which changes the file's shape
// and so needs a reload.
//
// Thread-safety: none; one owner.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "router/router_config.h"

namespace borealis::router {

// One backend server: an IP address (HAProxy's runtime API takes no host names) and port.
struct Server {
  std::string address;
  int port = 0;
  bool operator==(const Server&) const = default;
  auto operator<=>(const Server&) const = default;
};
// "1.2.3.4:80", "[::1]:80"
std::string server_text(const Server& s);

using Slots = std::vector<std::optional<Server>>;

struct Change {
  std::vector<std::string> commands;  // runtime API commands, in order
  bool reload_needed = false;         // the backend grew: re-render and reload
  std::vector<std::string> notes;     // what happened, for the log
};

class RoutingTable {
 public:
  explicit RoutingTable(const std::vector<ServiceConfig>& services);

  // `service` now has `members` (duplicates are counted once).
  Change update(const std::string& service, std::vector<Server> members);
  // The slots of every service, by service name.
  const std::map<std::string, Slots>& slots() const { return slots_; }

 private:
  std::map<std::string, const ServiceConfig*> services_;
  std::map<std::string, Slots> slots_;
};

// "sN" for slot index i (0-based): s1, s2, ...
std::string slot_name(size_t index);

}  // namespace borealis::router
