#include "cli/scheduler_locator.h"

#include <algorithm>
#include <optional>

#include "api/serverset.h"
#include "common/strings.h"
#include "zk/session.h"

namespace borealis::cli {

namespace {

constexpr std::string_view kMemberPrefix = "member_";
constexpr size_t kMaxHostBytes = 253;
// A ServerSet of schedulers is tiny: more children than this is not one.
constexpr size_t kMaxSchedulerMembers = 1000;

// The sequence number of "member_0000000012", or nullopt for another name.
std::optional<int64_t> member_sequence(const std::string& name) {
  if (!starts_with(name, kMemberPrefix)) return std::nullopt;
  std::string_view digits = std::string_view(name).substr(kMemberPrefix.size());
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return parse_int64(digits);
}

// The member's host ends up in a URL: only a host name or IPv4 address, nothing that
// could add a path, credentials or another port.
Status check_endpoint(const api::Endpoint& e) {
  if (e.host.empty() || e.host.size() > kMaxHostBytes ||
      !std::all_of(e.host.begin(), e.host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_';
      }))
    return invalid_argument("host '" + e.host.substr(0, 64) + "' is not a host name");
  if (e.port < 1 || e.port > 65535)
    return invalid_argument("port " + std::to_string(e.port) + " is not a port");
  return Status();
}

Result<std::string> member_url(const api::ServersetMember& m) {
  std::string scheme = "http";
  const api::Endpoint* e = &m.service_endpoint;
  if (auto https = m.additional_endpoints.find("https"); https != m.additional_endpoints.end()) {
    scheme = "https";
    e = &https->second;
  } else if (auto http = m.additional_endpoints.find("http");
             http != m.additional_endpoints.end()) {
    e = &http->second;
  }
  BOREALIS_RETURN_IF_ERROR(check_endpoint(*e));
  return scheme + "://" + api::endpoint_text(*e);
}

// zk::Session as a ServersetReader.
class SessionReader : public ServersetReader {
 public:
  explicit SessionReader(zk::Session& session) : session_(session) {}
  Result<std::vector<std::string>> children(const std::string& path) override {
    return session_.children(path);
  }
  Result<std::string> data(const std::string& path) override {
    BOREALIS_ASSIGN_OR_RETURN(zk::NodeData node, session_.get(path));
    return std::move(node.data);
  }

 private:
  zk::Session& session_;
};

}  // namespace

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

Result<std::string> leader_url(ServersetReader& zk, const std::string& path) {
  auto names = zk.children(path);
  if (!names.ok() && names.status().code() == StatusCode::kNotFound)
    return not_found("no scheduler has announced itself there (the node does not exist)");
  if (!names.ok()) return names.status();

  std::vector<std::pair<int64_t, std::string>> members;
  for (const std::string& name : *names)
    if (auto sequence = member_sequence(name)) members.emplace_back(*sequence, name);
  if (members.empty()) return not_found("no scheduler has announced itself there");
  std::sort(members.begin(), members.end());
  if (members.size() > kMaxSchedulerMembersRead) members.resize(kMaxSchedulerMembersRead);

  // The first bad member is reported when no good one follows it.
  Status first_bad;
  for (const auto& [sequence, name] : members) {
    const std::string node = path + "/" + name;
    auto data = zk.data(node);
    if (!data.ok() && data.status().code() == StatusCode::kNotFound) continue;  // just went
    if (!data.ok()) return data.status();
    auto member = api::decode_body<api::ServersetMember>(*data);
    if (!member.ok()) {
      if (first_bad.ok()) first_bad = member.status().with_context("member " + node);
      continue;
    }
    if (member->status != "ALIVE") continue;
    auto url = member_url(*member);
    if (!url.ok()) {
      if (first_bad.ok()) first_bad = url.status().with_context("member " + node);
      continue;
    }
    return url;
  }
  if (!first_bad.ok()) return first_bad;
  return not_found("no ALIVE scheduler among the " + std::to_string(members.size()) +
                   " members there");
}

Result<std::string> locate_scheduler(const ClusterConfig& config,
                                     std::chrono::milliseconds timeout) {
  const std::string path = cluster_scheduler_zk_path(config);
  const std::string where = "cluster '" + config.name + "' (from " + config.source + ")";
  auto servers = cluster_zk_servers(config);
  if (!servers.ok()) return servers.status().with_context(where);
  const std::string context =
      where + ": finding the scheduler in ZooKeeper " + servers->to_string() + " at " + path;

  zk::SessionOptions options;
  options.servers = std::move(servers).value();
  options.max_children = kMaxSchedulerMembers;
  // Nothing to do on state changes: the lookup is a few synchronous reads.
  auto session = zk::Session::start(
      std::move(options), [](std::function<void()> task) { task(); },
      [](const zk::SessionState&) {});
  if (!session.ok()) return session.status().with_context(context);
  Status connected = (*session)->wait_connected(timeout);
  if (!connected.ok())
    return unavailable(context + ": no ZooKeeper server answered within " +
                       std::to_string(timeout.count()) + " ms");
  SessionReader reader(**session);
  auto url = leader_url(reader, path);
  if (!url.ok()) return url.status().with_context(context);
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
