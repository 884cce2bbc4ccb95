#include "router/member.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>

namespace borealis::router {

namespace {

constexpr size_t kMaxHostBytes = 253;

bool is_host(const std::string& h) {
  return !h.empty() && h.size() <= kMaxHostBytes && h[0] != '-' &&
         std::all_of(h.begin(), h.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == ':';
         });
}

}  // namespace

Result<api::Endpoint> member_endpoint(std::string_view data, const std::string& endpoint) {
  auto member = api::decode_body<api::ServersetMember>(data);
  if (!member.ok()) return invalid_argument("not a ServerSet member: " + member.status().message());
  if (member->status != "ALIVE")
    return invalid_argument("status is '" + member->status.substr(0, 32) + "', not ALIVE");
  api::Endpoint e = member->service_endpoint;
  if (!endpoint.empty()) {
    auto found = member->additional_endpoints.find(endpoint);
    if (found == member->additional_endpoints.end())
      return invalid_argument("no additionalEndpoints entry '" + endpoint + "'");
    e = found->second;
  }
  if (!is_host(e.host))
    return invalid_argument("host '" + e.host.substr(0, 64) + "' is not a host name or address");
  if (e.port < 1 || e.port > 65535)
    return invalid_argument("port " + std::to_string(e.port) + " is outside 1-65535");
  return e;
}

Result<Server> resolve_server(const api::Endpoint& endpoint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(endpoint.host.c_str(), nullptr, &hints, &found);
  if (rc != 0)
    return unavailable("cannot resolve host '" + endpoint.host + "': " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  const addrinfo* pick = found;
  for (const addrinfo* a = found; a; a = a->ai_next)
    if (a->ai_family == AF_INET) {
      pick = a;
      break;
    }
  char text[INET6_ADDRSTRLEN] = {};
  const void* addr =
      pick->ai_family == AF_INET
          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(pick->ai_addr)->sin_addr)
          : static_cast<const void*>(
                &reinterpret_cast<const sockaddr_in6*>(pick->ai_addr)->sin6_addr);
  if (!::inet_ntop(pick->ai_family, addr, text, sizeof text))
    return internal_error("cannot format the address of host '" + endpoint.host + "'");
  return Server{text, static_cast<int>(endpoint.port)};
}

}  // namespace borealis::router
