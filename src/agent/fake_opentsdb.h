// A fake OpenTSDB for tests (OpenTSDB is not in Debian): a real HTTP server on loopback
// (port 0, a thread of its own) that records the body of every POST /api/put and answers
// 204, or 500 while failing. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "agent/io_loop.h"
#include "net/http_server.h"

namespace borealis::agent::testing {

class FakeOpenTsdb {
 public:
  FakeOpenTsdb() {
    server_.route("POST", "/api/put", [this](const net::HttpRequest& req, net::Responder respond) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      respond(failing_ ? net::HttpResponse::text(500, "tsd down\n")
                       : net::HttpResponse::text(204, ""));
    });
    EXPECT_TRUE(server_.start().ok());
    loop_.start();
  }
  ~FakeOpenTsdb() {
    boost::asio::post(io_, [this] { server_.stop(); });
    loop_.finish();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  void set_failing(bool failing) { failing_ = failing; }

 private:
  boost::asio::io_context io_;
  net::HttpServer server_{io_, net::HttpServerOptions{}};
  IoLoop loop_{io_};
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::atomic<bool> failing_ = false;
};

}  // namespace borealis::agent::testing
