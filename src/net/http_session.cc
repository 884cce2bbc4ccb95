// One connection of an HttpServer: an optional TLS handshake, then requests read under
// two clocks — the idle timeout until a request's first byte, then an absolute deadline
// for the rest of its header and body — answered by the routes, until either side closes.
#include <array>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

#include "common/log.h"
#include "net/byte_stream_impl.h"
#include "net/http_message.h"
#include "net/http_server_state.h"
#include "net/tls_context.h"

namespace borealis::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

constexpr auto kWriteTimeout = seconds(30);
constexpr auto kDrainTimeout = seconds(2);
constexpr auto kTlsCloseTimeout = seconds(2);
constexpr size_t kMaxDrainBytes = 64u << 20;
constexpr size_t kFirstReadBytes = 16 * 1024;

template <class Stream>
class Session : public SessionBase {
 public:
  template <class... StreamArgs>
  explicit Session(std::shared_ptr<ServerState> server, StreamArgs&&... args)
      : stream_(std::forward<StreamArgs>(args)...), server_(std::move(server)) {
    ++server_->counters.open_connections;
  }
  ~Session() override { --server_->counters.open_connections; }

  void start() {
    if constexpr (kIsTls<Stream>) {
      // The handshake is bounded like a request: a client that connects and says
      // nothing is cut at the same deadline.
      tcp().expires_after(milliseconds(server_->options.request_timeout_ms));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = self()](beast::error_code ec) { self->on_handshake(ec); });
    } else {
      read();
    }
  }

  void close() override {
    asio::post(stream_.get_executor(), [self = self()] {
      beast::error_code ec;
      self->tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
      self->tcp().close();
    });
  }

 private:
  std::shared_ptr<Session> self() { return std::static_pointer_cast<Session>(shared_from_this()); }
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }

  void on_handshake(beast::error_code ec) {
    if (ec) {
      if (ec == beast::error::timeout) {
        ++server_->counters.timed_out;
      } else {
        ++server_->counters.tls_handshake_failures;
      }
      spdlog::debug("TLS handshake with {} failed: {}", remote(), ec.message());
      close_now();
      return;
    }
    if constexpr (kIsTls<Stream>)
      peer_identity_ = verified_peer_common_name(stream_.native_handle());
    read();
  }

  // Waits for a request's first byte under the idle timeout, then reads the rest of it
  // under the request deadline.
  void read() {
    parser_.emplace();
    parser_->body_limit(server_->options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(server_->options.max_header_bytes));
    if (buffer_.size() > 0) {  // a pipelined request already arrived
      read_request();
      return;
    }
    tcp().expires_after(seconds(server_->options.idle_timeout_secs));
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = self()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec) {
                                self->finish();
                                return;
                              }
                              self->read_request();
                            });
  }

  void read_request() {
    tcp().expires_after(milliseconds(server_->options.request_timeout_ms));
    http::async_read(stream_, buffer_, *parser_,
                     [self = self()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      ++server_->counters.timed_out;
      spdlog::debug("request from {} not complete within {} ms: connection closed", remote(),
                    server_->options.request_timeout_ms);
      finish();
      return;
    }
    if (ec == http::error::body_limit) {
      respond_now(
          HttpResponse::error(413, "RESOURCE_EXHAUSTED",
                              "request body larger than " +
                                  std::to_string(server_->options.max_body_bytes) + " bytes"),
          false);
      return;
    }
    if (ec == http::error::header_limit) {
      respond_now(
          HttpResponse::error(431, "RESOURCE_EXHAUSTED",
                              "request headers larger than " +
                                  std::to_string(server_->options.max_header_bytes) + " bytes"),
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
    req.remote = remote();
    req.peer_identity = peer_identity_;
    // A long poll may hold the request for a while: no read deadline while we think.
    tcp().expires_never();
    server_->dispatch(std::move(req), [self = self()](HttpResponse resp) {
      asio::post(self->stream_.get_executor(),
                 [self, resp = std::move(resp)]() mutable { self->write(std::move(resp)); });
    });
  }

  std::string remote() {
    beast::error_code ec;
    auto ep = tcp().socket().remote_endpoint(ec);
    return ec ? "" : ep.address().to_string() + ":" + std::to_string(ep.port());
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
    if constexpr (!kIsTls<Stream>) {
      beast::error_code ec;
      tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    tcp().expires_after(kDrainTimeout);
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(asio::buffer(*scratch),
                            [self = self(), scratch](beast::error_code e, size_t n) {
                              self->drained_ += n;
                              if (e || self->drained_ > kMaxDrainBytes) {
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
    auto on_upgrade = std::move(resp.on_upgrade);
    if (resp.status == 101 && on_upgrade) {
      res->set(http::field::connection, "Upgrade");
    } else {
      on_upgrade = nullptr;
      res->keep_alive(keep_alive_);
    }
    res->body() = std::move(resp.body);
    res->prepare_payload();
    tcp().expires_after(kWriteTimeout);
    http::async_write(
        stream_, *res,
        [self = self(), res, on_upgrade = std::move(on_upgrade)](beast::error_code ec, size_t) {
          if (!ec && on_upgrade) {
            self->hand_over(on_upgrade);
            return;
          }
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

  // After a 101: the connection is the route's, with the bytes that came after the request.
  void hand_over(const std::function<void(std::shared_ptr<ByteStream>)>& on_upgrade) {
    std::string leftover(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.clear();
    on_upgrade(std::make_shared<BeastByteStream<Stream>>(stream_, self(), std::move(leftover)));
  }

  // The connection is done: say goodbye (TLS close_notify, or a TCP half-close) and let
  // the session end with its last pending operation.
  void finish() {
    server_->forget(weak_from_this());
    if constexpr (kIsTls<Stream>) {
      tcp().expires_after(kTlsCloseTimeout);
      stream_.async_shutdown([self = self()](beast::error_code) { self->close_now(); });
    } else {
      beast::error_code ec;
      tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  void close_now() {
    server_->forget(weak_from_this());
    beast::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp().close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<ServerState> server_;
  std::string peer_identity_;
  bool keep_alive_ = true;
  bool drain_after_write_ = false;
  size_t drained_ = 0;
  unsigned version_ = 11;
};

template <class Stream>
void start(std::shared_ptr<Session<Stream>> session, ServerState& server) {
  {
    std::lock_guard<std::mutex> lock(server.sessions_mu);
    server.sessions.insert(session);
  }
  session->start();
}

}  // namespace

void start_session(tcp::socket socket, std::shared_ptr<ServerState> server) {
  ServerState& s = *server;
  if (s.tls) {
    start(std::make_shared<Session<TlsStream>>(std::move(server), std::move(socket), *s.tls), s);
  } else {
    start(std::make_shared<Session<PlainStream>>(std::move(server), std::move(socket)), s);
  }
}

void refuse_connection(tcp::socket& socket, const ServerState& server) {
  beast::error_code ec;
  // Never wait for this client: a refused connection must cost nothing.
  socket.non_blocking(true, ec);
  if (ec) {
    socket.close(ec);
    return;
  }
  if (!server.tls) {
    // A plain answer fits in the socket's send buffer.
    std::string body = HttpResponse::error(503, "UNAVAILABLE",
                                           "server at its connection cap (" +
                                               std::to_string(server.options.max_connections) +
                                               " open connections); retry later")
                           .body;
    std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nServer: borealis\r\nContent-Type: "
        "application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    socket.write_some(asio::buffer(answer), ec);
  }
  // Discard a request that already arrived: closing with unread data would send a reset,
  // and the client could lose the answer.
  std::array<char, 16384> discard;
  for (int i = 0; i < 4 && socket.read_some(asio::buffer(discard), ec) > 0;) ++i;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace borealis::net::detail
