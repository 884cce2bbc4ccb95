#include "net/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <optional>

namespace borealis::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpClient::Impl {
  std::string base_url;
  std::string host;
  std::string port;
  std::string prefix;
  std::map<std::string, std::string> headers;  // sent with every request
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  Status connect(std::chrono::milliseconds timeout);
  Result<ClientResponse> attempt(const std::string& method, const std::string& target,
                                 const std::string& body, std::chrono::milliseconds timeout,
                                 bool* retryable);
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

const std::string& HttpClient::base_url() const { return impl_->base_url; }

void HttpClient::set_header(const std::string& name, std::string value) {
  if (value.empty()) {
    impl_->headers.erase(name);
  } else {
    impl_->headers[name] = std::move(value);
  }
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(const std::string& base_url) {
  auto u = boost::urls::parse_uri(base_url);
  if (!u || u->scheme() != "http" || u->host().empty())
    return invalid_argument("bad server URL '" + base_url + "': expected http://HOST:PORT");
  auto impl = std::make_unique<Impl>();
  impl->base_url = base_url;
  impl->host = std::string(u->host());
  impl->port = u->has_port() ? std::string(u->port()) : "80";
  impl->prefix = std::string(u->path());
  while (!impl->prefix.empty() && impl->prefix.back() == '/') impl->prefix.pop_back();
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Status HttpClient::Impl::connect(std::chrono::milliseconds timeout) {
  stream.reset();
  buffer.clear();
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto results = resolver.resolve(host, port, ec);
  if (ec) return unavailable("cannot resolve " + host + ": " + ec.message());
  stream.emplace(io);
  stream->expires_after(timeout);
  stream->async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  io.restart();
  io.run();
  if (ec) {
    stream.reset();
    return unavailable("cannot connect to " + base_url + ": " + ec.message());
  }
  stream->socket().set_option(tcp::no_delay(true), ec);
  return Status();
}

Result<ClientResponse> HttpClient::Impl::attempt(const std::string& method,
                                                 const std::string& target, const std::string& body,
                                                 std::chrono::milliseconds timeout,
                                                 bool* retryable) {
  *retryable = false;
  bool reused = stream.has_value();
  if (!stream) BOREALIS_RETURN_IF_ERROR(connect(timeout));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, host + ":" + port);
  req.set(http::field::user_agent, "borealis");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.keep_alive(true);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  beast::error_code ec;
  bool wrote = false;
  stream->expires_after(timeout);
  http::async_write(*stream, req, [&](beast::error_code e, size_t) {
    wrote = !e;
    if (e == beast::error::timeout) {
      ec = e;
      return;
    }
    // Even when the write failed, the server may have answered first (e.g. 413 for a
    // body it refused): read what it said.
    http::async_read(*stream, buffer, parser, [&, e](beast::error_code e2, size_t) {
      ec = e2 ? (e ? e : e2) : beast::error_code();
    });
  });
  io.restart();
  io.run();
  if (ec) {
    stream.reset();
    // A reused keep-alive connection the server already closed: safe to retry once.
    *retryable =
        reused && (ec == http::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::connection_reset || ec == asio::error::broken_pipe || !wrote);
    if (ec == beast::error::timeout)
      return unavailable(method + " " + base_url + target + ": no answer within " +
                         std::to_string(timeout.count()) + " ms");
    return unavailable(method + " " + base_url + target + ": " + ec.message());
  }
  auto res = parser.release();
  ClientResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = std::move(res.body());
  auto ct = res.find(http::field::content_type);
  if (ct != res.end()) out.content_type = std::string(ct->value());
  if (!res.keep_alive()) stream.reset();
  return out;
}

Result<ClientResponse> HttpClient::request(const std::string& method, const std::string& path,
                                           const std::string& body,
                                           std::chrono::milliseconds timeout) {
  std::string target = impl_->prefix + path;
  bool retryable = false;
  auto r = impl_->attempt(method, target, body, timeout, &retryable);
  if (!r.ok() && retryable) r = impl_->attempt(method, target, body, timeout, &retryable);
  return r;
}

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace borealis::net
