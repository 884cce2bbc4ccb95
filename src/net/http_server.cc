#include "net/http_server.h"

#include <array>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <set>

#include "common/log.h"
#include "common/strings.h"
#include "net/http_message.h"

namespace borealis::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/'))
    if (!s.empty()) out.push_back(std::move(s));
  return out;
}

namespace {

struct Route {
  std::string method;
  std::vector<std::string> pattern;
  Handler handler;
};

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segs) {
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == "**") return true;
    if (i >= segs.size()) return false;
    if (pattern[i] != "*" && pattern[i] != segs[i]) return false;
  }
  return i == segs.size();
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io, HttpServerOptions o) : io(io), options(std::move(o)), acceptor(io) {}

  asio::io_context& io;
  HttpServerOptions options;
  tcp::acceptor acceptor;
  std::vector<Route> routes;
  uint16_t bound_port = 0;
  std::mutex sessions_mu;
  // Weak: a session lives as long as its pending I/O (the usual Beast ownership), so a
  // session and the server never keep each other alive.
  std::set<std::weak_ptr<class Session>, std::owner_less<std::weak_ptr<class Session>>> sessions;
  bool stopped = false;

  void accept();
  void dispatch(HttpRequest req, Responder respond) const;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {}

  void start() { read(); }
  void close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_->options.max_body_bytes);
    parser_->header_limit(kMaxRequestHeaderBytes);
    stream_.expires_after(std::chrono::seconds(server_->options.idle_timeout_secs));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      respond_now(
          HttpResponse::error(413, "RESOURCE_EXHAUSTED",
                              "request body larger than " +
                                  std::to_string(server_->options.max_body_bytes) + " bytes"),
          false);
      return;
    }
    if (ec == http::error::header_limit) {
      respond_now(HttpResponse::error(431, "RESOURCE_EXHAUSTED", "request headers too large"),
                  false);
      return;
    }
    if (ec) {
      finish();
      return;
    }
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    auto converted = to_http_request(std::move(msg));
    if (!converted.ok()) {
      respond_now(HttpResponse::error(400, "INVALID_ARGUMENT", converted.status().message()),
                  false);
      return;
    }
    HttpRequest req = std::move(converted).value();
    beast::error_code rec;
    auto ep = stream_.socket().remote_endpoint(rec);
    if (!rec) req.remote = ep.address().to_string() + ":" + std::to_string(ep.port());
    // A long poll may hold the request for a while: no read deadline while we think.
    stream_.expires_never();
    auto self = shared_from_this();
    server_->dispatch(std::move(req), [self](HttpResponse resp) {
      asio::post(self->stream_.get_executor(),
                 [self, resp = std::move(resp)]() mutable { self->write(std::move(resp)); });
    });
  }

  void respond_now(HttpResponse resp, bool keep_alive) {
    keep_alive_ = keep_alive;
    drain_after_write_ = !keep_alive;
    write(std::move(resp));
  }

  // After refusing a request whose body is still arriving, read and discard it for a
  // while before closing: closing with unread data would reset the connection and the
  // client could lose our answer (a "lingering close").
  void drain() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(asio::buffer(*scratch),
                            [self = shared_from_this(), scratch](beast::error_code e, size_t n) {
                              self->drained_ += n;
                              if (e || self->drained_ > (64u << 20)) {
                                self->finish();
                                return;
                              }
                              self->drain();
                            });
  }

  void write(HttpResponse resp) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(version_);
    res->result(static_cast<http::status>(resp.status));
    res->set(http::field::server, "borealis");
    res->set(http::field::content_type, resp.content_type);
    for (const auto& [k, v] : resp.headers) res->set(k, v);
    res->keep_alive(keep_alive_);
    res->body() = std::move(resp.body);
    res->prepare_payload();
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (!ec && self->drain_after_write_) {
                          self->drain();
                          return;
                        }
                        if (ec || !self->keep_alive_) {
                          self->finish();
                          return;
                        }
                        self->read();
                      });
  }

  void finish() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::lock_guard<std::mutex> lock(server_->sessions_mu);
    server_->sessions.erase(weak_from_this());
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::Impl> server_;
  bool keep_alive_ = true;
  bool drain_after_write_ = false;
  size_t drained_ = 0;
  unsigned version_ = 11;
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                          if (self->stopped) return;
                          if (!ec) {
                            auto session = std::make_shared<Session>(std::move(socket), self);
                            {
                              std::lock_guard<std::mutex> lock(self->sessions_mu);
                              self->sessions.insert(session);
                            }
                            session->start();
                          } else if (ec == asio::error::operation_aborted) {
                            return;
                          }
                          self->accept();
                        });
}

void HttpServer::Impl::dispatch(HttpRequest req, Responder respond) const {
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

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(std::string method, std::string pattern, Handler handler) {
  impl_->routes.push_back(Route{std::move(method), path_segments(pattern), std::move(handler)});
}

Status HttpServer::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.bind_address, ec);
  if (ec) return invalid_argument("bad bind address '" + impl_->options.bind_address + "'");
  tcp::endpoint ep(address, impl_->options.port);
  std::string where = impl_->options.bind_address + ":" + std::to_string(impl_->options.port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (ec) return unavailable("cannot open socket for " + where + ": " + ec.message());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(ep, ec);
  if (ec) return unavailable("cannot listen on " + where + ": " + ec.message());
  impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unavailable("cannot listen on " + where + ": " + ec.message());
  impl_->bound_port = impl_->acceptor.local_endpoint().port();
  impl_->accept();
  return Status();
}

void HttpServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  asio::post(impl_->io, [impl = impl_] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    std::lock_guard<std::mutex> lock(impl->sessions_mu);
    for (const auto& w : impl->sessions)
      if (auto s = w.lock()) s->close();
  });
}

uint16_t HttpServer::port() const { return impl_->bound_port; }

}  // namespace borealis::net
