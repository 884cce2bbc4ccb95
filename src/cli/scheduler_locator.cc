#include "cli/scheduler_locator.h"

#include "common/strings.h"

namespace borealis::cli {

Result<zk::ConnectString> cluster_zk_servers(const ClusterConfig& config) {
  if (config.zk_port < 1 || config.zk_port > 65535)
    return invalid_argument("zk_port " + std::to_string(config.zk_port) + " is not a port");
  // Servers without a port get zk_port; a chroot ("/...") stays as it is.
  std::string_view text = config.zk;
  size_t slash = text.find('/');
  std::string_view hosts = text.substr(0, slash);
  std::vector<std::string> servers;
  for (std::string& server : split(hosts, ',')) {
    if (!server.empty() && server.find(':') == std::string::npos)
      server += ":" + std::to_string(config.zk_port);
    servers.push_back(std::move(server));
  }
  std::string full = join(servers, ",");
  if (slash != std::string_view::npos) full += text.substr(slash);
  auto parsed = zk::parse_connect_string(full);
  if (!parsed.ok()) return parsed.status().with_context("zk");
  return parsed;
}

std::string cluster_scheduler_zk_path(const ClusterConfig& config) {
  return config.scheduler_zk_path.empty() ? "/borealis/" + config.name + "/scheduler"
                                          : config.scheduler_zk_path;
}

Result<std::string> locate_scheduler(const ClusterConfig& config,
                                     std::chrono::milliseconds timeout) {
  const std::string where = "cluster '" + config.name + "' (from " + config.source + ")";
  auto servers = cluster_zk_servers(config);
  if (!servers.ok()) return servers.status().with_context(where);
  auto url = discovery::locate_scheduler_leader(*servers, std::nullopt,
                                                cluster_scheduler_zk_path(config), timeout);
  if (!url.ok()) return url.status().with_context(where);
  return url;
}

Result<ClusterConfig> with_scheduler_uri(ClusterConfig config, std::chrono::milliseconds timeout) {
  if (!config.scheduler_uri.empty()) return config;
  if (config.zk.empty())
    return failed_precondition("cluster '" + config.name + "' (from " + config.source +
                               ") has neither scheduler_uri nor zk: give one of them");
  BOREALIS_ASSIGN_OR_RETURN(config.scheduler_uri, locate_scheduler(config, timeout));
  return config;
}

}  // namespace borealis::cli
