// The real HAProxy (Debian's /usr/sbin/haproxy) checks what the router renders, and its
// refusal reaches the caller in HAProxy's own words.
#include "router/haproxy_control.h"

#include <gtest/gtest.h>

#include "router/haproxy_config.h"
#include "router/router_test_util.h"
#include "testing/temp_dir.h"

namespace borealis::router {
namespace {

TEST(HaproxyControl, ChecksTheRenderedFileWithHaproxyItself) {
  borealis::testing::TempDir dir("borealis-router");
  RouterConfig config = web_config(dir.path() + "/haproxy.cfg", 32191, 32190, 2);
  ServiceConfig db;  // and a TCP service with a connect check
  db.name = "db";
  db.serverset = "/aurora/r/prod/db";
  db.port = 32193;
  db.mode = ProxyMode::kTcp;
  db.check = HealthCheck{};
  config.services.push_back(db);
  HaproxyControl haproxy(config.haproxy);
  std::map<std::string, Slots> slots = {{"web", Slots{Server{"127.0.0.1", 80}, std::nullopt}}};
  std::string good = dir.write("good.cfg", render_haproxy_config(config, slots));
  Status ok = haproxy.check_config(good);
  EXPECT_TRUE(ok.ok()) << ok.to_string();

  std::string bad = dir.write("bad.cfg", "frontend f\n  bind 127.0.0.1:32192\n  bogus_keyword x\n");
  Status refused = haproxy.check_config(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("unknown keyword 'bogus_keyword'"), std::string::npos)
      << refused.message();
}

TEST(HaproxyControl, RunCommandReportsExitCodeAndOutput) {
  auto r =
      run_command({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, std::chrono::seconds(10));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->output, "out\nerr\n");
  auto slow = run_command({"/bin/sleep", "5"}, std::chrono::milliseconds(100));
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.status().message().find("did not finish within 100 ms"), std::string::npos);
}

}  // namespace
}  // namespace borealis::router
