// An asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, request size limits,
// idle timeouts, and handlers that may answer later (after a durable write, or a long
// poll) from any thread. Optionally HTTPS, and mutual TLS (net/tls_options.h).
//
// Hostile clients are bounded (docs/security.md): at most max_connections are open (a
// connection above that gets a 503 and is closed); one request's header and body must
// arrive within request_timeout_ms of its first byte, so a slow trickle cannot hold a
// connection; headers are bounded (431) and bodies too (413). When accept() fails because
// the process is out of file descriptors, the server retries after accept_retry_ms
// instead of spinning, and logs once per episode.
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
#include "net/tls_options.h"

namespace borealis::net {

namespace detail {
struct ServerState;  // http_server_state.h
}  // namespace detail

using Responder = std::function<void(HttpResponse)>;
using Handler = std::function<void(const HttpRequest&, Responder)>;

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;  // 0 = pick a free port (see HttpServer::port())
  size_t max_body_bytes = 8 * 1024 * 1024;
  size_t max_header_bytes = 64 * 1024;
  int idle_timeout_secs = 75;       // a keep-alive connection waits this long for a request
  int request_timeout_ms = 30'000;  // a request's header + body, from its first byte
  int max_connections = 4096;       // open connections, long polls included
  int accept_retry_ms = 100;        // wait after accept() failed for lack of descriptors
  ServerTlsFiles tls;               // HTTPS when tls.enabled()
};

// What the server did since it started; read from any thread.
struct HttpServerCounters {
  uint64_t accepted = 0;          // connections accepted and served
  uint64_t refused_over_cap = 0;  // connections closed at once: max_connections were open
  uint64_t timed_out = 0;         // requests (or TLS handshakes) cut at request_timeout_ms
  uint64_t accept_failures = 0;   // accept() errors, each followed by a wait
  uint64_t tls_handshake_failures = 0;
  int64_t open_connections = 0;
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

  // Loads the TLS files, binds and starts accepting. Fails with a message naming the
  // address when the port is taken, or the file that cannot be used.
  Status start();
  // Stops accepting and closes open connections (on the io thread).
  void stop();
  uint16_t port() const;
  HttpServerCounters counters() const;

 private:
  std::shared_ptr<detail::ServerState> state_;
};

// Splits a path into its segments: "/a/b/" -> {"a", "b"}.
std::vector<std::string> path_segments(std::string_view path);

}  // namespace borealis::net
