// RecordingProxy: an HTTP pass-through in front of a real server, for tests that check
// what a client sent. It forwards every request to the upstream server and its answer
// back, and records each request. It can also answer the next request to a path itself:
// only for what a real scheduler cannot produce but a client meets in the world (a load
// balancer's 502 page, a 503 while a scheduler fails over, a body that is not JSON, a
// scheduler of another version). When the upstream cannot be reached, the proxy answers
// 503 with the reason in plain text, as a load balancer (Envoy) would.
//
// Threading: the proxy serves on its own thread, one request at a time; every method may
// be called from the test's thread while it serves.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/http_server.h"

namespace borealis::testing {

class RecordingProxy {
 public:
  struct Request {
    std::string method;
    std::string path;  // without the query
    std::map<std::string, std::string> query;
    std::string body;
    std::string authorization;  // the Authorization header, forwarded upstream ("" if none)
  };

  explicit RecordingProxy(std::string upstream_url);
  ~RecordingProxy();
  RecordingProxy(const RecordingProxy&) = delete;
  RecordingProxy& operator=(const RecordingProxy&) = delete;

  // "http://127.0.0.1:PORT"; empty when the proxy could not start.
  std::string url() const;

  std::vector<Request> requests() const;
  // The requests `method path` (path without query), in order.
  std::vector<Request> requests_to(const std::string& method, const std::string& path) const;
  size_t count(const std::string& method, const std::string& path) const;

  // The next request `method path` gets this answer instead of the upstream's.
  void answer_next(const std::string& method, const std::string& path, int status, std::string body,
                   std::string content_type = "application/json");
  // Before forwarding the next request `method path`, runs `fn` on the proxy's thread
  // (to stop the upstream just then, say).
  void before_next(const std::string& method, const std::string& path, std::function<void()> fn);

 private:
  net::HttpResponse forward(const net::HttpRequest& req);

  std::string upstream_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<net::HttpServer> server_;
  bool started_ = false;
  std::thread thread_;
  std::unique_ptr<net::HttpClient> client_;  // used on the proxy's thread only

  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::map<std::string, net::HttpResponse> canned_;     // by "METHOD path"
  std::map<std::string, std::function<void()>> hooks_;  // by "METHOD path"
};

}  // namespace borealis::testing
