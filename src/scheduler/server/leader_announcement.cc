#include "scheduler/server/leader_announcement.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "auth/zk_credential_file.h"
#include "zk/node_path.h"

namespace borealis::scheduler {

namespace {

bool is_wildcard(const std::string& address) {
  return address.empty() || address == "0.0.0.0" || address == "::" || address == "[::]";
}

Result<std::string> advertised_host(const SchedulerOptions& o) {
  if (!o.advertise_host.empty()) return o.advertise_host;
  if (!is_wildcard(o.bind_address)) return o.bind_address;
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0)
    return io_error(std::string("--advertise-host: cannot read this machine's hostname: ") +
                    std::strerror(errno));
  return std::string(name);
}

// The credential file is checked as the daemons' token files are: this user's, mode 0600.
Result<zk::DigestCredential> read_zk_auth(const std::string& file) {
  auto credential = auth::read_zk_credential_file(file);
  if (!credential.ok()) return credential.status().with_context("--zk-auth");
  return credential;
}

}  // namespace

std::string default_scheduler_zk_path(const std::string& cluster) {
  return "/borealis/" + cluster + "/scheduler";
}

Result<std::optional<LeaderAnnouncerOptions>> leader_announcement(const SchedulerOptions& o) {
  if (o.zk.empty()) {
    if (!o.zk_auth.empty()) return invalid_argument("--zk-auth needs --zk");
    return std::optional<LeaderAnnouncerOptions>();
  }
  LeaderAnnouncerOptions a;
  auto servers = zk::parse_connect_string(o.zk);
  if (!servers.ok()) return servers.status().with_context("--zk");
  a.session.servers = std::move(servers).value();
  a.session.session_timeout = std::chrono::milliseconds(o.zk_session_timeout_ms);
  if (!o.zk_auth.empty()) {
    BOREALIS_ASSIGN_OR_RETURN(a.session.credential, read_zk_auth(o.zk_auth));
  }
  a.serverset_path =
      o.scheduler_zk_path.empty() ? default_scheduler_zk_path(o.cluster) : o.scheduler_zk_path;
  BOREALIS_RETURN_IF_ERROR(
      zk::validate_node_path(a.serverset_path).with_context("--scheduler-zk-path"));
  if (a.serverset_path == "/")
    return invalid_argument("--scheduler-zk-path: the root cannot be a ServerSet");
  BOREALIS_ASSIGN_OR_RETURN(std::string host, advertised_host(o));
  const std::string scheme = o.tls_cert.empty() ? "http" : "https";
  a.member = api::serverset_member(host, {{scheme, o.http_port}}, scheme, 0);
  return std::optional<LeaderAnnouncerOptions>(std::move(a));
}

std::string default_scheduler_election_zk_path(const std::string& cluster) {
  return "/borealis/" + cluster + "/scheduler-election";
}

Result<LeaderElectionOptions> leader_election_options(const SchedulerOptions& o,
                                                      const LeaderAnnouncerOptions& a) {
  LeaderElectionOptions e;
  e.session = a.session;
  e.serverset_path = a.serverset_path;
  e.election_path = o.scheduler_election_zk_path.empty()
                        ? default_scheduler_election_zk_path(o.cluster)
                        : o.scheduler_election_zk_path;
  BOREALIS_RETURN_IF_ERROR(
      zk::validate_node_path(e.election_path).with_context("--scheduler-election-zk-path"));
  if (e.election_path == "/" || e.election_path == a.serverset_path)
    return invalid_argument(
        "--scheduler-election-zk-path: must be a node of its own, not the root nor "
        "--scheduler-zk-path");
  const bool https = a.member.additional_endpoints.count("https") > 0;
  e.candidate_data =
      (https ? "https://" : "http://") + api::endpoint_text(a.member.service_endpoint);
  return e;
}

void set_announced_port(LeaderAnnouncerOptions& a, uint16_t port) {
  a.member.service_endpoint.port = port;
  for (auto& [name, endpoint] : a.member.additional_endpoints) endpoint.port = port;
}

}  // namespace borealis::scheduler
