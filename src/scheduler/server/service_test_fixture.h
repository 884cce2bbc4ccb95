// The scheduler daemon for the server's tests: a real SchedulerService over real HTTP on
// a fresh SQLite file in a temporary directory, and a client pointed at it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "net/http_client.h"
#include "scheduler/server/scheduler_service.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler {

class ServiceTest : public ::testing::Test {
 protected:
  void TearDown() override { service_.reset(); }

  // Options for a service on this test's store, on an ephemeral local port.
  SchedulerOptions options() const {
    SchedulerOptions o;
    o.cluster = "test";
    o.store = "sqlite://" + (dir_ / "state.db");
    o.bind_address = "127.0.0.1";
    o.http_port = 0;
    o.min_task_uid = 33;  // the tests' jobs run as www-data (uid 33 on Debian)
    return o;
  }

  // Starts the service (again, after a stop, on the same store) and connects client_.
  void start(const SchedulerOptions& o) {
    service_ = std::make_unique<SchedulerService>(o);
    ASSERT_TRUE(service_->start().ok());
    client_ = std::move(
        net::HttpClient::create("http://127.0.0.1:" + std::to_string(service_->port())).value());
  }

  // One request with client_; a transport failure fails the test.
  net::ClientResponse call(const std::string& method, const std::string& path,
                           const std::string& body = "") {
    auto r = client_->request(method, path, body);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }

  borealis::testing::TempDir dir_{"borealis-sched"};
  std::unique_ptr<SchedulerService> service_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace borealis::scheduler
