#include "sim/async_http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace borealis::sim {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

Result<Endpoint> parse_http_url(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0)
    return invalid_argument("scheduler URL '" + url + "': only http://HOST:PORT is supported");
  std::string rest = url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size() ||
      rest.find('/') != std::string::npos)
    return invalid_argument("scheduler URL '" + url + "': expected http://HOST:PORT");
  return Endpoint{rest.substr(0, colon), rest.substr(colon + 1)};
}

namespace {
constexpr uint64_t kMaxAnswerBytes = uint64_t{64} << 20;
constexpr size_t kMaxLocationBytes = 2048;
}  // namespace

Result<Endpoint> location_endpoint(const std::string& location) {
  if (location.size() > kMaxLocationBytes)
    return invalid_argument("a Location header of " + std::to_string(location.size()) +
                            " bytes (at most " + std::to_string(kMaxLocationBytes) + ")");
  constexpr std::string_view kScheme = "http://";
  auto path =
      location.rfind(kScheme, 0) == 0 ? location.find('/', kScheme.size()) : std::string::npos;
  if (path == std::string::npos)
    return invalid_argument("Location '" + location + "': expected http://HOST:PORT/PATH");
  return parse_http_url(location.substr(0, path));
}

struct AsyncHttpConnection::Impl : std::enable_shared_from_this<Impl> {
  Impl(boost::asio::io_context& io, Endpoint ep, std::string auth)
      : resolver(io), stream(io), endpoint(std::move(ep)), authorization(std::move(auth)) {}

  tcp::resolver resolver;
  beast::tcp_stream stream;
  Endpoint endpoint;
  std::string authorization;
  bool connected = false;
  http::request<http::string_body> request;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  ResponseCallback done;
  std::chrono::milliseconds timeout{0};

  void fail(const std::string& step, const beast::error_code& ec) {
    beast::error_code ignored;
    stream.socket().close(ignored);
    connected = false;
    buffer.clear();
    finish(unavailable("http://" + endpoint.host + ":" + endpoint.port +
                       std::string(request.target()) + ": " + step + ": " + ec.message()));
  }

  void finish(Result<AsyncResponse> r) {
    ResponseCallback cb = std::move(done);
    done = nullptr;
    cb(std::move(r));
  }

  void start() {
    if (connected) return write();
    resolver.async_resolve(
        endpoint.host, endpoint.port,
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          if (ec) return self->fail("resolve", ec);
          self->connect(results);
        });
  }

  void connect(const tcp::resolver::results_type& results) {
    stream.expires_after(timeout);
    stream.async_connect(results,
                         [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                           if (ec) return self->fail("connect", ec);
                           self->connected = true;
                           self->stream.socket().set_option(tcp::no_delay(true));
                           self->write();
                         });
  }

  void write() {
    stream.expires_after(timeout);
    http::async_write(stream, request, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail("send", ec);
      self->read();
    });
  }

  void read() {
    parser.emplace();
    parser->body_limit(kMaxAnswerBytes);
    http::async_read(
        stream, buffer, *parser, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->fail("read the answer", ec);
          auto& res = self->parser->get();
          if (!res.keep_alive()) {
            beast::error_code ignored;
            self->stream.socket().close(ignored);
            self->connected = false;
            self->buffer.clear();
          }
          self->stream.expires_never();
          self->finish(AsyncResponse{static_cast<int>(res.result_int()), std::move(res.body()),
                                     std::string(res[http::field::location])});
        });
  }
};

AsyncHttpConnection::AsyncHttpConnection(boost::asio::io_context& io, Endpoint endpoint,
                                         std::string authorization)
    : impl_(std::make_shared<Impl>(io, std::move(endpoint), std::move(authorization))) {}

AsyncHttpConnection::~AsyncHttpConnection() {
  beast::error_code ignored;
  impl_->stream.socket().close(ignored);
}

void AsyncHttpConnection::set_endpoint(const Endpoint& endpoint) {
  Impl& s = *impl_;
  if (endpoint.host == s.endpoint.host && endpoint.port == s.endpoint.port) return;
  beast::error_code ignored;
  s.stream.socket().close(ignored);
  s.connected = false;
  s.buffer.clear();
  s.endpoint = endpoint;
}

void AsyncHttpConnection::post(const std::string& target, std::string body,
                               std::chrono::milliseconds timeout, ResponseCallback done) {
  Impl& s = *impl_;
  s.done = std::move(done);
  s.timeout = timeout;
  s.request = {};
  s.request.method(http::verb::post);
  s.request.target(target);
  s.request.version(11);
  s.request.set(http::field::host, s.endpoint.host + ":" + s.endpoint.port);
  s.request.set(http::field::content_type, "application/json");
  if (!s.authorization.empty()) s.request.set(http::field::authorization, s.authorization);
  s.request.keep_alive(true);
  s.request.body() = std::move(body);
  s.request.prepare_payload();
  s.start();
}

}  // namespace borealis::sim
