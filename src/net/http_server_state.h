// Internal to src/net: what an HttpServer shares with its connections. The accept loop
// (http_server.cc) and the sessions (http_session.cc) both hold it; it lives as long as
// the last of them.
//
// Threading: `routes`, `options` and `tls` are set before start() and read-only after;
// the accept loop's flags are touched only by the one pending accept's handler; counters
// are atomic; `sessions` is guarded by sessions_mu.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "net/http_server.h"

namespace borealis::net::detail {

struct Route {
  std::string method;
  std::vector<std::string> pattern;
  Handler handler;
};

// One client connection; plain or TLS (http_session.cc).
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection from any thread.
  virtual void close() = 0;
};

struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(boost::asio::io_context& io, HttpServerOptions o)
      : io(io), options(std::move(o)), acceptor(io), accept_retry(io) {}

  boost::asio::io_context& io;
  HttpServerOptions options;
  boost::asio::ip::tcp::acceptor acceptor;
  boost::asio::steady_timer accept_retry;
  std::shared_ptr<boost::asio::ssl::context> tls;  // set by start() when options.tls.enabled()
  std::vector<Route> routes;
  uint16_t bound_port = 0;
  std::atomic<bool> stopped = false;

  std::mutex sessions_mu;
  // Weak: a session lives as long as its pending I/O (the usual Beast ownership), so a
  // session and the server never keep each other alive.
  std::set<std::weak_ptr<SessionBase>, std::owner_less<std::weak_ptr<SessionBase>>> sessions;

  // Each flag marks an episode, so that it is logged once when it starts and once when
  // it ends.
  bool accept_failing = false;
  bool over_cap = false;

  struct {
    std::atomic<uint64_t> accepted = 0;
    std::atomic<uint64_t> refused_over_cap = 0;
    std::atomic<uint64_t> timed_out = 0;
    std::atomic<uint64_t> accept_failures = 0;
    std::atomic<uint64_t> tls_handshake_failures = 0;
    std::atomic<int64_t> open_connections = 0;
  } counters;

  std::string where() const;  // "127.0.0.1:8081"
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void retry_accept_later(const boost::system::error_code& ec);
  void dispatch(HttpRequest req, Responder respond) const;
  void forget(const std::weak_ptr<SessionBase>& session);
};

// Serves `socket` (over TLS when server->tls is set) until either side closes it.
void start_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> server);

// Answers 503 on a connection above the cap without waiting for it, and closes it.
void refuse_connection(boost::asio::ip::tcp::socket& socket, const ServerState& server);

}  // namespace borealis::net::detail
