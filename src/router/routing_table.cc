#include "router/routing_table.h"

#include <algorithm>
#include <set>

namespace borealis::router {

std::string server_text(const Server& s) {
  bool v6 = s.address.find(':') != std::string::npos;
  return (v6 ? "[" + s.address + "]" : s.address) + ":" + std::to_string(s.port);
}

std::string slot_name(size_t index) { return "s" + std::to_string(index + 1); }

RoutingTable::RoutingTable(const std::vector<ServiceConfig>& services) {
  for (const auto& s : services) {
    services_[s.name] = &s;
    slots_[s.name] = Slots(static_cast<size_t>(s.slots));
  }
}

Change RoutingTable::update(const std::string& service, std::vector<Server> members) {
  Change change;
  auto found = services_.find(service);
  if (found == services_.end()) return change;
  const ServiceConfig& config = *found->second;
  Slots& slots = slots_[service];
  const std::string backend = config.name;
  std::set<Server> wanted(members.begin(), members.end());

  size_t filled = std::count_if(slots.begin(), slots.end(), [](const auto& s) { return s; });
  if (wanted.empty() && filled > 0 && config.keep_last_known) {
    change.notes.push_back("ServerSet " + config.serverset + " of " + service +
                           " is empty: keeping its last " + std::to_string(filled) +
                           " known servers (keep_last_known)");
    return change;
  }

  std::set<size_t> freed;  // slots of members gone in this update
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i]) continue;
    if (wanted.erase(*slots[i])) continue;  // stays in its slot
    change.notes.push_back(service + ": " + server_text(*slots[i]) + " left slot " + slot_name(i));
    freed.insert(i);
    slots[i].reset();
  }

  const size_t shape = slots.size();
  for (const Server& server : wanted) {  // the new members, in a stable order
    // A slot free before this update first; a just-freed one is re-pointed only when no
    // other is left (its old server's connections finish on the old address).
    size_t i = 0;
    while (i < slots.size() && (slots[i] || freed.count(i))) ++i;
    if (i == slots.size() && !freed.empty()) {
      i = *freed.begin();
      freed.erase(freed.begin());
    }
    if (i == slots.size()) {
      size_t grown = std::min(slots.size() * 2, static_cast<size_t>(kMaxSlots));
      if (grown == slots.size()) {
        change.notes.push_back(service + ": all " + std::to_string(kMaxSlots) +
                               " slots are taken; " + server_text(server) + " is left out");
        continue;
      }
      change.notes.push_back(service + ": slots exhausted, growing the backend from " +
                             std::to_string(slots.size()) + " to " + std::to_string(grown));
      slots.resize(grown);
      change.reload_needed = true;
    }
    slots[i] = server;
    change.notes.push_back(service + ": " + server_text(server) + " joined slot " + slot_name(i));
    if (i >= shape) continue;  // a new slot: the reload brings it
    const std::string name = backend + "/" + slot_name(i);
    change.commands.push_back("set server " + name + " addr " + server.address + " port " +
                              std::to_string(server.port));
    change.commands.push_back("set server " + name + " state ready");
  }
  // New servers take traffic before gone ones stop getting it.
  for (size_t i : freed)
    change.commands.push_back("set server " + backend + "/" + slot_name(i) + " state maint");
  return change;
}

}  // namespace borealis::router
