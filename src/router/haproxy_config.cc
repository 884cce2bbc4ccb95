#include "router/haproxy_config.h"

#include <sstream>

namespace borealis::router {

namespace {

void render_global(std::ostringstream& out, const HaproxyConfig& h) {
  out << "global\n"
      // The runtime API; expose-fd lets a reloading worker take the listeners over.
      << "  stats socket " << h.admin_socket() << " mode 600 level admin expose-fd listeners\n"
      << "  stats timeout 30s\n";
  for (const auto& line : h.global_extra) out << "  " << line << "\n";
  out << "\ndefaults\n"
      << "  timeout connect 2s\n"
      << "  timeout client 30s\n"
      << "  timeout server 30s\n"
      // A connection refused by a server that is going away (or crashed before its member
      // went) is tried on another server at once, not after a turn-around on the same one.
      << "  retries 3\n"
      << "  option redispatch 1\n";
  for (const auto& line : h.defaults_extra) out << "  " << line << "\n";
}

void render_stats(std::ostringstream& out, const HaproxyConfig& h) {
  if (h.stats_port == 0) return;
  out << "\nfrontend stats\n"
      << "  mode http\n"
      << "  bind " << h.stats_bind << ":" << h.stats_port << "\n"
      << "  http-request use-service prometheus-exporter if { path /metrics }\n"
      << "  stats enable\n"
      << "  stats uri /stats\n"
      << "  stats refresh 10s\n";
}

void render_service(std::ostringstream& out, const ServiceConfig& s, const Slots& slots) {
  const char* mode = proxy_mode_name(s.mode);
  out << "\n# " << s.name << ": ServerSet " << s.serverset
      << (s.endpoint.empty() ? "" : ", endpoint " + s.endpoint) << "\n"
      << "frontend " << s.name << "\n"
      << "  mode " << mode << "\n"
      << "  bind " << s.bind << ":" << s.port << "\n"
      << "  default_backend " << s.name << "\n"
      << "\nbackend " << s.name << "\n"
      << "  mode " << mode << "\n"
      << "  balance roundrobin\n";
  if (s.mode == ProxyMode::kHttp) {
    // A server that dies mid-request (a crash, a kill -9) answers nothing: retry the request
    // elsewhere, but only the methods that are safe to send twice.
    out << "  retry-on conn-failure empty-response\n"
        << "  http-request disable-l7-retry if !METH_GET !METH_HEAD !METH_OPTIONS\n";
  }
  std::string check;
  if (s.check) {
    if (!s.check->http_path.empty()) out << "  option httpchk GET " << s.check->http_path << "\n";
    check = " check inter " + std::to_string(s.check->interval_ms) + " rise " +
            std::to_string(s.check->rise) + " fall " + std::to_string(s.check->fall);
  }
  for (size_t i = 0; i < slots.size(); ++i) {
    out << "  server " << slot_name(i) << " "
        << (slots[i] ? server_text(*slots[i]) : std::string(kFreeSlotAddress)) << check
        << (slots[i] ? "" : " disabled") << "\n";
  }
}

}  // namespace

std::string render_haproxy_config(const RouterConfig& config,
                                  const std::map<std::string, Slots>& slots) {
  std::ostringstream out;
  out << "# Written by borealis router; every change is overwritten.\n";
  render_global(out, config.haproxy);
  render_stats(out, config.haproxy);
  for (const auto& s : config.services) {
    auto found = slots.find(s.name);
    render_service(out, s,
                   found == slots.end() ? Slots(static_cast<size_t>(s.slots)) : found->second);
  }
  return out.str();
}

}  // namespace borealis::router
