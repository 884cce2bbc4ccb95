#include "net/http_server.h"

#include <boost/asio/strand.hpp>

#include "common/log.h"
#include "common/strings.h"
#include "net/http_server_state.h"
#include "net/tls_context.h"

namespace borealis::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using detail::ServerState;

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/'))
    if (!s.empty()) out.push_back(std::move(s));
  return out;
}

namespace {

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segs) {
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == "**") return true;
    if (i >= segs.size()) return false;
    if (pattern[i] != "*" && pattern[i] != segs[i]) return false;
  }
  return i == segs.size();
}

// accept() failures that concern one connection only: accept the next one at once.
bool concerns_one_connection(const boost::system::error_code& ec) {
  return ec == asio::error::connection_aborted || ec == asio::error::interrupted ||
         ec == asio::error::try_again || ec == asio::error::would_block ||
         ec == asio::error::basic_errors(EPROTO);
}

}  // namespace

namespace detail {

std::string ServerState::where() const {
  return options.bind_address + ":" + std::to_string(bound_port ? bound_port : options.port);
}

void ServerState::accept() {
  acceptor.async_accept(
      asio::make_strand(io),
      [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void ServerState::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (stopped || ec == asio::error::operation_aborted) return;
  if (ec && !concerns_one_connection(ec)) {
    retry_accept_later(ec);
    return;
  }
  if (accept_failing) {
    accept_failing = false;
    spdlog::info("HTTP server on {}: accepting connections again", where());
  }
  if (ec) {
    accept();
    return;
  }
  if (counters.open_connections >= options.max_connections) {
    ++counters.refused_over_cap;
    if (!over_cap) {
      over_cap = true;
      spdlog::warn(
          "HTTP server on {}: {} connections open (--max-connections): refusing new ones "
          "with 503 until some close",
          where(), options.max_connections);
    }
    refuse_connection(socket, *this);
  } else {
    if (over_cap) {
      over_cap = false;
      spdlog::info("HTTP server on {}: below the connection cap again", where());
    }
    ++counters.accepted;
    start_session(std::move(socket), shared_from_this());
  }
  accept();
}

// Out of descriptors (EMFILE, ENFILE) or memory: the pending connection stays queued and
// accept() would fail again at once, so wait before trying again instead of spinning.
void ServerState::retry_accept_later(const boost::system::error_code& ec) {
  ++counters.accept_failures;
  if (!accept_failing) {
    accept_failing = true;
    spdlog::error("HTTP server on {}: cannot accept connections: {}; retrying every {} ms", where(),
                  ec.message(), options.accept_retry_ms);
  }
  accept_retry.expires_after(std::chrono::milliseconds(options.accept_retry_ms));
  accept_retry.async_wait([self = shared_from_this()](boost::system::error_code e) {
    if (e || self->stopped) return;
    self->accept();
  });
}

void ServerState::dispatch(HttpRequest req, Responder respond) const {
  auto segs = path_segments(req.path);
  bool path_known = false;
  for (const auto& r : routes) {
    if (!matches(r.pattern, segs)) continue;
    path_known = true;
    if (r.method != req.method) continue;
    r.handler(req, std::move(respond));
    return;
  }
  if (path_known) {
    respond(HttpResponse::error(405, "INVALID_ARGUMENT",
                                req.method + " is not allowed on " + req.path));
  } else {
    respond(HttpResponse::error(404, "NOT_FOUND", "no such endpoint: " + req.path));
  }
}

void ServerState::forget(const std::weak_ptr<SessionBase>& session) {
  std::lock_guard<std::mutex> lock(sessions_mu);
  sessions.erase(session);
}

}  // namespace detail

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options)
    : state_(std::make_shared<ServerState>(io, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(std::string method, std::string pattern, Handler handler) {
  state_->routes.push_back(
      detail::Route{std::move(method), path_segments(pattern), std::move(handler)});
}

Status HttpServer::start() {
  ServerState& s = *state_;
  std::string where = s.where();
  if (s.options.tls.enabled()) {
    auto ctx = make_server_tls_context(s.options.tls);
    if (!ctx.ok()) return ctx.status().with_context("HTTPS on " + where);
    s.tls = std::move(ctx).value();
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.options.bind_address, ec);
  if (ec) return invalid_argument("bad bind address '" + s.options.bind_address + "'");
  tcp::endpoint ep(address, s.options.port);
  s.acceptor.open(ep.protocol(), ec);
  if (ec) return unavailable("cannot open socket for " + where + ": " + ec.message());
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  s.acceptor.bind(ep, ec);
  if (ec) return unavailable("cannot listen on " + where + ": " + ec.message());
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unavailable("cannot listen on " + where + ": " + ec.message());
  s.bound_port = s.acceptor.local_endpoint().port();
  s.accept();
  return Status();
}

void HttpServer::stop() {
  if (!state_ || state_->stopped) return;
  state_->stopped = true;
  asio::post(state_->io, [state = state_] {
    boost::system::error_code ec;
    state->acceptor.close(ec);
    state->accept_retry.cancel();
    std::lock_guard<std::mutex> lock(state->sessions_mu);
    for (const auto& w : state->sessions)
      if (auto s = w.lock()) s->close();
  });
}

uint16_t HttpServer::port() const { return state_->bound_port; }

HttpServerCounters HttpServer::counters() const {
  const auto& c = state_->counters;
  return {c.accepted,        c.refused_over_cap,       c.timed_out,
          c.accept_failures, c.tls_handshake_failures, c.open_connections};
}

}  // namespace borealis::net
