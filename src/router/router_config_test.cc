#include "router/router_config.h"

#include <gtest/gtest.h>

namespace borealis::router {
namespace {

constexpr const char* kGood = R"(services:
  web:
    serverset: /aurora/www-data/prod/web
    port: 32100
    endpoint: http
    mode: http
    slots: 4
    check: {http_path: /health, interval_ms: 500}
  db:
    serverset: /aurora/db/prod/pg
    port: 32101
    mode: tcp
    keep_last_known: false
haproxy:
  config_path: /var/lib/borealis/router/haproxy.cfg
  min_reload_interval_ms: 2000
  stats: {port: 32102}
  global: [maxconn 4096]
)";

TEST(RouterConfig, ReadsEveryKey) {
  auto c = parse_router_config(kGood, "router.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->services.size(), 2u);
  const ServiceConfig& db = c->services[0];  // sorted by name
  EXPECT_EQ(db.name, "db");
  EXPECT_EQ(db.mode, ProxyMode::kTcp);
  EXPECT_FALSE(db.keep_last_known);
  EXPECT_EQ(db.slots, kDefaultSlots);
  EXPECT_EQ(db.bind, "127.0.0.1");
  const ServiceConfig& web = c->services[1];
  EXPECT_EQ(web.serverset, "/aurora/www-data/prod/web");
  EXPECT_EQ(web.port, 32100);
  EXPECT_EQ(web.endpoint, "http");
  EXPECT_EQ(web.slots, 4);
  ASSERT_TRUE(web.check.has_value());
  EXPECT_EQ(web.check->http_path, "/health");
  EXPECT_EQ(web.check->interval_ms, 500);
  EXPECT_EQ(c->haproxy.min_reload_interval_ms, 2000);
  EXPECT_EQ(c->haproxy.stats_port, 32102);
  EXPECT_EQ(c->haproxy.global_extra, std::vector<std::string>{"maxconn 4096"});
  EXPECT_FALSE(c->haproxy.external());
  EXPECT_EQ(c->haproxy.admin_socket(), "/var/lib/borealis/router/haproxy-admin.sock");
}

// Each bad config and the FILE:LINE and words its error must have.
struct Bad {
  const char* text;
  const char* expected;
};

TEST(RouterConfig, RefusesMistakesWithFileAndLine) {
  const Bad cases[] = {
      {"services:\n  web:\n    serverset: /a\n    port: 1\n    prot: 2\nhaproxy: {config_path: "
       "/h}\n",
       "r.yaml:5: unknown key 'prot' in service 'web'"},
      {"services:\n  web:\n    serverset: /a\n    port: http\nhaproxy: {config_path: /h}\n",
       "r.yaml:4: port must be a whole number"},
      {"services:\n  web:\n    serverset: /a\n    port: 70000\nhaproxy: {config_path: /h}\n",
       "r.yaml:4: port must be between 1 and 65535"},
      {"services:\n  Web!:\n    serverset: /a\n    port: 1\nhaproxy: {config_path: /h}\n",
       "r.yaml:2: service name 'Web!'"},
      {"services:\n  web:\n    serverset: a/b\n    port: 1\nhaproxy: {config_path: /h}\n",
       "r.yaml:3: serverset must be an absolute path"},
      {"services:\n  web:\n    serverset: /a//b/\n    port: 1\nhaproxy: {config_path: /h}\n",
       "r.yaml:3: serverset: "},
      {"services:\n  web:\n    serverset: /a\n    port: 1\n    keep_last_known: maybe\n"
       "haproxy: {config_path: /h}\n",
       "r.yaml:5: keep_last_known must be true or false"},
      {"services:\n  a: {serverset: /a, port: 1}\n  b: {serverset: /b, port: 1}\n"
       "haproxy: {config_path: /h}\n",
       "r.yaml:3: port 1 is used twice"},
      {"services:\n  web: {serverset: /a, port: 1}\nhaproxy:\n  config_path: /h\n  relod: x\n",
       "r.yaml:5: unknown key 'relod' in haproxy"},
      {"services:\n  web: {serverset: /a, port: 1, mode: udp}\nhaproxy: {config_path: /h}\n",
       "r.yaml:2: mode must be http or tcp"},
      {"services:\n  web: {serverset: /a, port: 1}\n", "r.yaml: missing key 'haproxy'"},
      {"services: [\n", "r.yaml:2:"},
  };
  for (const Bad& bad : cases) {
    auto c = parse_router_config(bad.text, "r.yaml");
    ASSERT_FALSE(c.ok()) << bad.text;
    EXPECT_NE(c.status().message().find(bad.expected), std::string::npos)
        << c.status().message() << "\n  expected: " << bad.expected;
  }
}

}  // namespace
}  // namespace borealis::router
