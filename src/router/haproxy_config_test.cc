#include "router/haproxy_config.h"

#include <gtest/gtest.h>

#include "router/router_test_util.h"

namespace borealis::router {
namespace {

TEST(HaproxyConfig, RendersStableNamesAndEverySlot) {
  RouterConfig config = web_config("/run/router/haproxy.cfg", 32100, 32102, 3);
  std::map<std::string, Slots> slots = {
      {"web", Slots{Server{"10.0.0.1", 80}, std::nullopt, Server{"::1", 81}}}};
  const std::string expected = R"(# Written by borealis router; every change is overwritten.
global
  stats socket /run/router/haproxy-admin.sock mode 600 level admin expose-fd listeners
  stats timeout 30s

defaults
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 3
  option redispatch 1

frontend stats
  mode http
  bind 127.0.0.1:32102
  http-request use-service prometheus-exporter if { path /metrics }
  stats enable
  stats uri /stats
  stats refresh 10s

# web: ServerSet /aurora/r/prod/web
frontend web
  mode http
  bind 127.0.0.1:32100
  default_backend web

backend web
  mode http
  balance roundrobin
  retry-on conn-failure empty-response
  http-request disable-l7-retry if !METH_GET !METH_HEAD !METH_OPTIONS
  option httpchk GET /health
  server s1 10.0.0.1:80 check inter 500 rise 2 fall 3
  server s2 127.0.0.1:1 check inter 500 rise 2 fall 3 disabled
  server s3 [::1]:81 check inter 500 rise 2 fall 3
)";
  EXPECT_EQ(render_haproxy_config(config, slots), expected);
  EXPECT_EQ(render_haproxy_config(config, slots), render_haproxy_config(config, slots));
}

}  // namespace
}  // namespace borealis::router
