// Session's operations: each validates its path, runs the C client's synchronous call
// under the shared handle lock, and bounds what the server sends back.
#include <algorithm>
#include <vector>

#include "zk/node_path.h"
#include "zk/session_core.h"
#include "zk/zk_error.h"

namespace borealis::zk {
namespace {

// Room for the sequence suffix ZooKeeper appends ("0000000001") and the terminator.
constexpr size_t kCreatedPathSlack = 16;

NodeStat node_stat(const Stat& stat) {
  return NodeStat{stat.version, stat.ephemeralOwner, stat.numChildren};
}

int create_mode(NodeKind kind) {
  switch (kind) {
    case NodeKind::kPersistent:
      return ZOO_PERSISTENT;
    case NodeKind::kEphemeral:
      return ZOO_EPHEMERAL;
    case NodeKind::kEphemeralSequential:
      return ZOO_EPHEMERAL_SEQUENTIAL;
  }
  return ZOO_PERSISTENT;
}

Status check_data_size(const std::string& path, const std::string& data) {
  if (data.size() <= kMaxDataBytes) return Status::ok_status();
  return resource_exhausted("zookeeper '" + path + "': " + std::to_string(data.size()) +
                            " bytes of data, more than ZooKeeper's " +
                            std::to_string(kMaxDataBytes));
}

// Copies and frees the C client's child list, refusing one longer than `max_children`.
Result<std::vector<std::string>> take_children(String_vector& names, const std::string& path,
                                               size_t max_children) {
  std::vector<std::string> out;
  Status too_many = Status::ok_status();
  if (names.count < 0 || static_cast<size_t>(names.count) > max_children) {
    too_many =
        resource_exhausted("zookeeper children '" + path + "': " + std::to_string(names.count) +
                           " children, more than " + std::to_string(max_children));
  } else {
    out.reserve(static_cast<size_t>(names.count));
    for (int32_t i = 0; i < names.count; ++i) out.emplace_back(names.data[i]);
  }
  deallocate_String_vector(&names);
  if (!too_many.ok()) return too_many;
  std::sort(out.begin(), out.end());
  return out;
}

Result<NodeData> read_data(zhandle_t* zh, const std::string& path, watcher_fn watcher,
                           void* watch_context) {
  std::vector<char> buffer(kMaxDataBytes + 1);
  int length = static_cast<int>(buffer.size());
  Stat stat{};
  int rc = zoo_wget(zh, path.c_str(), watcher, watch_context, buffer.data(), &length, &stat);
  BOREALIS_RETURN_IF_ERROR(zk_status(rc, "get", path));
  if (stat.dataLength < 0 || static_cast<size_t>(stat.dataLength) > kMaxDataBytes) {
    return resource_exhausted("zookeeper get '" + path + "': " + std::to_string(stat.dataLength) +
                              " bytes of data, more than " + std::to_string(kMaxDataBytes));
  }
  // length is -1 for a node whose data is null.
  return NodeData{std::string(buffer.data(), static_cast<size_t>(std::max(length, 0))),
                  node_stat(stat)};
}

}  // namespace

Result<std::string> Session::create(const std::string& path, const std::string& data, NodeKind kind,
                                    bool make_parents) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  BOREALIS_RETURN_IF_ERROR(check_data_size(path, data));
  return core_->with_handle("create", path, [&](zhandle_t* zh) -> Result<std::string> {
    const ACL_vector* acl = core_->create_acl();
    std::string created(path.size() + kCreatedPathSlack, '\0');
    auto attempt = [&] {
      return zoo_create(zh, path.c_str(), data.data(), static_cast<int>(data.size()), acl,
                        create_mode(kind), created.data(), static_cast<int>(created.size()));
    };
    int rc = attempt();
    if (rc == ZNONODE && make_parents) {
      for (const std::string& parent : parent_paths(path)) {
        int prc = zoo_create(zh, parent.c_str(), nullptr, -1, acl, ZOO_PERSISTENT, nullptr, 0);
        if (prc != ZOK && prc != ZNODEEXISTS) return zk_status(prc, "create parent", parent);
      }
      rc = attempt();
    }
    BOREALIS_RETURN_IF_ERROR(zk_status(rc, "create", path));
    created.resize(std::min(created.find('\0'), created.size()));
    return created;
  });
}

Status Session::remove(const std::string& path, int32_t version) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  return core_->with_handle("delete", path, [&](zhandle_t* zh) {
    return zk_status(zoo_delete(zh, path.c_str(), version), "delete", path);
  });
}

Result<NodeData> Session::get(const std::string& path) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  return core_->with_handle("get", path,
                            [&](zhandle_t* zh) { return read_data(zh, path, nullptr, nullptr); });
}

Result<NodeStat> Session::set(const std::string& path, const std::string& data, int32_t version) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  BOREALIS_RETURN_IF_ERROR(check_data_size(path, data));
  return core_->with_handle("set", path, [&](zhandle_t* zh) -> Result<NodeStat> {
    Stat stat{};
    int rc = zoo_set2(zh, path.c_str(), data.data(), static_cast<int>(data.size()), version, &stat);
    BOREALIS_RETURN_IF_ERROR(zk_status(rc, "set", path));
    return node_stat(stat);
  });
}

Result<std::vector<std::string>> Session::children(const std::string& path) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  return core_->with_handle(
      "children", path, [&](zhandle_t* zh) -> Result<std::vector<std::string>> {
        String_vector names{};
        BOREALIS_RETURN_IF_ERROR(
            zk_status(zoo_get_children(zh, path.c_str(), 0, &names), "children", path));
        return take_children(names, path, core_->options().max_children);
      });
}

Result<std::optional<NodeStat>> Session::exists(const std::string& path) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  return core_->with_handle("exists", path, [&](zhandle_t* zh) -> Result<std::optional<NodeStat>> {
    Stat stat{};
    int rc = zoo_exists(zh, path.c_str(), 0, &stat);
    if (rc == ZNONODE) return std::optional<NodeStat>();
    BOREALIS_RETURN_IF_ERROR(zk_status(rc, "exists", path));
    return std::optional<NodeStat>(node_stat(stat));
  });
}

Result<std::vector<std::string>> Session::watch_children(const std::string& path,
                                                         WatchCallback on_change) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  Core::PathWatch* watch = core_->add_watch(std::move(on_change));
  Result<std::vector<std::string>> result =
      core_->with_handle("children", path, [&](zhandle_t* zh) -> Result<std::vector<std::string>> {
        String_vector names{};
        int rc = zoo_wget_children(zh, path.c_str(), &Core::on_path_event, watch, &names);
        BOREALIS_RETURN_IF_ERROR(zk_status(rc, "children", path));
        return take_children(names, path, core_->options().max_children);
      });
  // A failed call set no watch (the C client registers it only on success).
  if (!result.ok() && result.status().code() != StatusCode::kResourceExhausted) {
    core_->drop_watch(watch);
  }
  return result;
}

Result<NodeData> Session::watch_data(const std::string& path, WatchCallback on_change) {
  BOREALIS_RETURN_IF_ERROR(validate_node_path(path));
  Core::PathWatch* watch = core_->add_watch(std::move(on_change));
  Result<NodeData> result = core_->with_handle(
      "get", path, [&](zhandle_t* zh) { return read_data(zh, path, &Core::on_path_event, watch); });
  if (!result.ok() && result.status().code() != StatusCode::kResourceExhausted) {
    core_->drop_watch(watch);
  }
  return result;
}

}  // namespace borealis::zk
