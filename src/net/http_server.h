// An asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, request size limits,
// idle timeouts, and handlers that may answer later (after a durable write, or a long
// poll) from any thread.
//
// Threading: the server runs on the io_context given to it; handlers are called on that
// context's thread(s). A Responder may be invoked from any thread exactly once; it posts
// the write back to the connection.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "net/http_types.h"

namespace borealis::net {

class Session;

using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(const HttpRequest&, Responder)>;

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0 = pick a free port (see HttpServer::port())
  size_t max_body_bytes = 8 * 1024 * 1024;
  int idle_timeout_secs = 75;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Routes: `pattern` is a path where a segment "*" matches one segment and a trailing
  // "**" matches the rest. The first route added that matches wins. Call before start().
  void route(std::string method, std::string pattern, Handler handler);

  // Binds and starts accepting. Fails with a message naming the address when the port
  // is taken.
  Status start();
  // Stops accepting and closes open connections (on the io thread).
  void stop();
  uint16_t port() const;

 private:
  friend class Session;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Splits a path into its segments: "/a/b/" -> {"a", "b"}.
std::vector<std::string> path_segments(std::string_view path);

}  // namespace borealis::net
