#include "discovery/scheduler_leader.h"

#include <algorithm>

#include "api/serverset.h"
#include "zk/sequential_node.h"

namespace borealis::discovery {

namespace {

constexpr std::string_view kMemberPrefix = "member_";
constexpr size_t kMaxHostBytes = 253;

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

}  // namespace

Result<std::vector<std::string>> SessionServersetReader::children(const std::string& path) {
  return session_.children(path);
}

Result<std::string> SessionServersetReader::data(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(zk::NodeData node, session_.get(path));
  return std::move(node.data);
}

Result<std::string> leader_url(ServersetReader& zk, const std::string& path) {
  auto names = zk.children(path);
  if (!names.ok() && names.status().code() == StatusCode::kNotFound)
    return not_found("no scheduler has announced itself there (the node does not exist)");
  if (!names.ok()) return names.status();

  std::vector<std::pair<int64_t, std::string>> members;
  for (const std::string& name : *names)
    if (auto sequence = zk::sequence_number(name, kMemberPrefix))
      members.emplace_back(*sequence, name);
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

Result<std::string> locate_scheduler_leader(const zk::ConnectString& servers,
                                            const std::optional<zk::DigestCredential>& credential,
                                            const std::string& path,
                                            std::chrono::milliseconds timeout) {
  const std::string context =
      "finding the scheduler in ZooKeeper " + servers.to_string() + " at " + path;
  zk::SessionOptions options;
  options.servers = servers;
  options.credential = credential;
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
  SessionServersetReader reader(**session);
  auto url = leader_url(reader, path);
  if (!url.ok()) return url.status().with_context(context);
  return url;
}

}  // namespace borealis::discovery
