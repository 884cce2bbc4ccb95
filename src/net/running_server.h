// Test-only: an HttpServer with a few routes, serving on its own io thread for the life
// of the object.
//   GET /health   -> 200 "ok"
//   GET /whoami   -> 200 with the request's peer_identity
//   GET /held     -> never answered while the server runs (a long poll)
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "net/http_server.h"

namespace borealis::net::testing {

class RunningServer {
 public:
  explicit RunningServer(HttpServerOptions options)
      : server_(std::make_unique<HttpServer>(io_, std::move(options))) {
    server_->route("GET", "/health",
                   [](const HttpRequest&, Responder r) { r(HttpResponse::text(200, "ok")); });
    server_->route("GET", "/whoami", [](const HttpRequest& req, Responder r) {
      r(HttpResponse::text(200, req.peer_identity));
    });
    server_->route("GET", "/held",
                   [this](const HttpRequest&, Responder r) { held_.push_back(std::move(r)); });
  }
  ~RunningServer() {
    server_->stop();
    work_.reset();
    if (thread_.joinable()) {
      io_.stop();
      thread_.join();
    }
  }

  Status start() {
    Status st = server_->start();
    if (st.ok()) thread_ = std::thread([this] { io_.run(); });
    return st;
  }
  HttpServer& server() { return *server_; }
  uint16_t port() const { return server_->port(); }
  std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port());
  }

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::vector<Responder> held_;  // io thread only
};

}  // namespace borealis::net::testing
