// The `borealis router` config file (docs/router.md): which ServerSets become which HAProxy
// frontends, and how the router runs HAProxy. YAML; every unknown key and every value of
// the wrong type is refused with FILE:LINE.
//
// Thread-safety: plain values and pure functions; any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::router {

// A service's slots (servers of its backend) are at most this many; more members than that
// are left out, and the log says so.
inline constexpr int kMaxSlots = 1024;
inline constexpr int kDefaultSlots = 16;

enum class ProxyMode { kHttp, kTcp };
const char* proxy_mode_name(ProxyMode mode);

// An optional HAProxy health check of each server; without it a member is trusted as long
// as its ServerSet node exists (the announcer removes unhealthy instances).
struct HealthCheck {
  std::string http_path;  // "" = a TCP connect check; else `option httpchk GET PATH`
  int interval_ms = 2000;
  int rise = 2;
  int fall = 3;
};

struct ServiceConfig {
  std::string name;       // also the backend's and frontend's name: [a-z0-9_-]+
  std::string serverset;  // the ZooKeeper path of the ServerSet
  int port = 0;           // where HAProxy listens for it
  std::string endpoint;   // "" = serviceEndpoint; else a key of additionalEndpoints
  std::string bind = "127.0.0.1";
  ProxyMode mode = ProxyMode::kHttp;
  int slots = kDefaultSlots;  // the backend's initial server count; grows when exhausted
  bool keep_last_known = true;
  std::optional<HealthCheck> check;
};

struct HaproxyConfig {
  std::string config_path;                   // the haproxy.cfg the router writes
  std::string binary = "/usr/sbin/haproxy";  // checks the file; runs it in owned mode
  std::string socket_dir;                    // "" = the config file's directory
  std::string reload_command;                // external mode when set (run by /bin/sh -c)
  int min_reload_interval_ms = 1000;
  std::string stats_bind = "127.0.0.1";
  int stats_port = 0;  // 0 = no stats frontend; else /stats and /metrics (Prometheus)
  std::vector<std::string> global_extra;    // lines added to `global`
  std::vector<std::string> defaults_extra;  // lines added to `defaults`

  bool external() const { return !reload_command.empty(); }
  std::string admin_socket() const;   // the runtime API (stats socket, level admin)
  std::string master_socket() const;  // the master CLI (owned mode)
};

struct RouterConfig {
  std::vector<ServiceConfig> services;  // sorted by name
  HaproxyConfig haproxy;
};

// Parses `text`, read from `file` (named in errors as FILE:LINE).
Result<RouterConfig> parse_router_config(const std::string& text, const std::string& file);
Result<RouterConfig> load_router_config(const std::string& file);

}  // namespace borealis::router
