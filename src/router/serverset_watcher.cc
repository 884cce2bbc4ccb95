#include "router/serverset_watcher.h"

#include "common/log.h"
#include "router/member.h"

namespace borealis::router {

namespace {

// Aurora's announcer and Finagle name members member_<sequence>; other children are not
// members (Finagle ignores them too).
bool is_member_name(const std::string& name) { return name.rfind("member_", 0) == 0; }

}  // namespace

void ServersetWatcher::restart() {
  ++generation_;
  members_.clear();
  refresh();
}

void ServersetWatcher::poll() {
  if (stale_) refresh();
}

void ServersetWatcher::refresh() {
  const uint64_t generation = generation_;
  auto children = session_.watch_children(path_, [this, generation](const zk::WatchEvent& e) {
    if (generation == generation_ && e.kind != zk::WatchEvent::Kind::kSessionLost) refresh();
  });
  if (!children.ok()) {
    stale_ = true;
    if (children.status().code() == StatusCode::kNotFound) {
      if (!reported_missing_)
        spdlog::warn("ServerSet {} does not exist (yet); looking again every second", path_);
      reported_missing_ = true;
      // Gone after having been there: its servers are gone too (keep_last_known applies).
      if (!members_.empty()) {
        members_.clear();
        on_servers_({});
      }
    } else {
      spdlog::warn("cannot read ServerSet {}: {}; trying again", path_,
                   children.status().message());
    }
    return;
  }
  stale_ = false;
  if (reported_missing_) spdlog::info("ServerSet {} exists now", path_);
  reported_missing_ = false;

  std::map<std::string, Member> now;
  for (const auto& name : *children) {
    if (!is_member_name(name)) continue;
    auto known = members_.find(name);
    if (known != members_.end()) {
      now[name] = known->second;
    } else if (auto member = read_member(name)) {
      now[name] = *member;
    }
  }
  members_ = std::move(now);
  std::vector<Server> servers;
  for (const auto& [name, member] : members_)
    if (member.server) servers.push_back(*member.server);
  on_servers_(std::move(servers));
}

std::optional<ServersetWatcher::Member> ServersetWatcher::read_member(const std::string& name) {
  const std::string node = path_ + "/" + name;
  const uint64_t generation = generation_;
  auto data = session_.watch_data(node, [this, generation, name](const zk::WatchEvent& e) {
    if (generation != generation_ || e.kind != zk::WatchEvent::Kind::kDataChanged) return;
    members_.erase(name);  // read again (and watched again) by the refresh
    refresh();
  });
  if (!data.ok()) {
    // Gone between the listing and the read (its children watch fires), or unreachable.
    if (data.status().code() != StatusCode::kNotFound) stale_ = true;
    return std::nullopt;
  }
  auto endpoint = member_endpoint(data->data, endpoint_);
  if (!endpoint.ok()) {
    spdlog::warn("ServerSet member {} is left out: {}", node, endpoint.status().message());
    return Member{};
  }
  auto server = resolve_server(*endpoint);
  if (!server.ok()) {
    spdlog::warn("ServerSet member {} is left out: {}", node, server.status().message());
    stale_ = true;  // DNS may answer later
    return std::nullopt;
  }
  return Member{*server};
}

}  // namespace borealis::router
