// Test-only: the one real ZooKeeper of a discovery test binary (the first free port of
// 30900-30949; those binaries are RUN_SERIAL, so never two at once), and a connected
// session with inline callbacks for reading or writing nodes beside the code under test.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "zk/testing/zk_test_util.h"

namespace borealis::discovery::testing {

inline zk::testing::ZookeeperServer& server() {
  static std::unique_ptr<zk::testing::ZookeeperServer> started = [] {
    for (uint16_t port = 30900; port <= 30949; ++port) {
      auto s = zk::testing::ZookeeperServer::start({.port = port});
      if (s.ok()) return std::move(s).value();
      std::fprintf(stderr, "port %u: %s\n", port, s.status().to_string().c_str());
    }
    std::fprintf(stderr, "no ZooKeeper could start on 30900-30949\n");
    std::abort();
  }();
  return *started;
}

inline std::unique_ptr<zk::Session> connected_session() {
  auto s = zk::Session::start(
      zk::testing::options_for(server().connect_string()), [](std::function<void()> f) { f(); },
      [](const zk::SessionState&) {});
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE((*s)->wait_connected(std::chrono::seconds(10)).ok());
  return std::move(s).value();
}

}  // namespace borealis::discovery::testing
