#include "net/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <optional>

#include "net/byte_stream_impl.h"
#include "net/tls_context.h"

namespace borealis::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct HttpClient::Impl {
  std::string base_url;
  std::string host;
  std::string port;
  std::string prefix;
  std::shared_ptr<ssl::context> tls;           // set for https://
  std::map<std::string, std::string> headers;  // sent with every request
  size_t max_response_bytes = 256 * 1024 * 1024;
  asio::io_context io;
  // At most one is set: the open connection, if any.
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool connected() const { return plain || secure; }
  void disconnect() {
    plain.reset();
    secure.reset();
  }
  Status connect(std::chrono::milliseconds timeout);
  Status handshake(beast::tcp_stream tcp, std::chrono::milliseconds timeout);
  Result<ClientResponse> attempt(const std::string& method, const std::string& target,
                                 const std::string& body, std::chrono::milliseconds timeout,
                                 bool* retryable);
  template <class Stream>
  Result<UpgradeAnswer> switch_protocols(Stream& stream, const std::string& method,
                                         const std::string& target, const std::string& protocol,
                                         std::chrono::milliseconds timeout);
  template <class Stream>
  Result<ClientResponse> exchange(Stream& stream, const std::string& method,
                                  const std::string& target, const std::string& body,
                                  std::chrono::milliseconds timeout, bool reused, bool* retryable);
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

const std::string& HttpClient::base_url() const { return impl_->base_url; }

void HttpClient::set_max_response_bytes(size_t bytes) { impl_->max_response_bytes = bytes; }

void HttpClient::set_header(const std::string& name, std::string value) {
  if (value.empty()) {
    impl_->headers.erase(name);
  } else {
    impl_->headers[name] = std::move(value);
  }
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(const std::string& base_url,
                                                       const ClientTlsFiles& tls) {
  auto u = boost::urls::parse_uri(base_url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty())
    return invalid_argument("bad server URL '" + base_url +
                            "': expected http://HOST:PORT or https://HOST:PORT");
  bool https = u->scheme() == "https";
  if (!https && tls.any())
    return invalid_argument("TLS files are given for '" + base_url +
                            "', a plain http:// URL: use https://");
  auto impl = std::make_unique<Impl>();
  impl->base_url = base_url;
  impl->host = std::string(u->host());
  impl->port = u->has_port() ? std::string(u->port()) : (https ? "443" : "80");
  impl->prefix = std::string(u->path());
  while (!impl->prefix.empty() && impl->prefix.back() == '/') impl->prefix.pop_back();
  if (https) {
    auto ctx = make_client_tls_context(tls);
    if (!ctx.ok()) return ctx.status().with_context(base_url);
    impl->tls = std::move(ctx).value();
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Status HttpClient::Impl::connect(std::chrono::milliseconds timeout) {
  disconnect();
  buffer.clear();
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto results = resolver.resolve(host, port, ec);
  if (ec) return unavailable("cannot resolve " + host + ": " + ec.message());
  beast::tcp_stream stream(io);
  stream.expires_after(timeout);
  stream.async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  io.restart();
  io.run();
  if (ec) return unavailable("cannot connect to " + base_url + ": " + ec.message());
  stream.socket().set_option(tcp::no_delay(true), ec);
  if (tls) return handshake(std::move(stream), timeout);
  plain.emplace(std::move(stream));
  return Status();
}

Status HttpClient::Impl::handshake(beast::tcp_stream tcp, std::chrono::milliseconds timeout) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls);
  beast::error_code ec;
  // Name the server (SNI) unless it is an address, and check its certificate names it.
  asio::ip::make_address(host, ec);
  bool is_address = !ec;
  if (!is_address && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
    return unavailable("TLS to " + base_url + ": cannot set the server name");
  stream.set_verify_callback(ssl::host_name_verification(host));
  beast::get_lowest_layer(stream).expires_after(timeout);
  ec = {};
  stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) { ec = e; });
  io.restart();
  io.run();
  if (ec) return unavailable("TLS handshake with " + base_url + " failed: " + ec.message());
  secure.emplace(std::move(stream));
  return Status();
}

Result<ClientResponse> HttpClient::Impl::attempt(const std::string& method,
                                                 const std::string& target, const std::string& body,
                                                 std::chrono::milliseconds timeout,
                                                 bool* retryable) {
  *retryable = false;
  bool reused = connected();
  if (!reused) BOREALIS_RETURN_IF_ERROR(connect(timeout));
  if (secure) return exchange(*secure, method, target, body, timeout, reused, retryable);
  return exchange(*plain, method, target, body, timeout, reused, retryable);
}

template <class Stream>
Result<ClientResponse> HttpClient::Impl::exchange(Stream& stream, const std::string& method,
                                                  const std::string& target,
                                                  const std::string& body,
                                                  std::chrono::milliseconds timeout, bool reused,
                                                  bool* retryable) {
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
  parser.body_limit(max_response_bytes);
  beast::error_code ec;
  bool wrote = false;
  beast::get_lowest_layer(stream).expires_after(timeout);
  http::async_write(stream, req, [&](beast::error_code e, size_t) {
    wrote = !e;
    if (e == beast::error::timeout) {
      ec = e;
      return;
    }
    // Even when the write failed, the server may have answered first (e.g. 413 for a
    // body it refused): read what it said.
    http::async_read(stream, buffer, parser, [&, e](beast::error_code e2, size_t) {
      ec = e2 ? (e ? e : e2) : beast::error_code();
    });
  });
  io.restart();
  io.run();
  if (ec) {
    disconnect();
    // A reused keep-alive connection the server already closed: safe to retry once.
    *retryable = reused && (ec == http::error::end_of_stream || ec == asio::error::eof ||
                            ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                            ec == ssl::error::stream_truncated || !wrote);
    if (ec == beast::error::timeout)
      return unavailable(method + " " + base_url + target + ": no answer within " +
                         std::to_string(timeout.count()) + " ms");
    if (ec == http::error::body_limit)
      return resource_exhausted(method + " " + base_url + target + ": the answer is larger than " +
                                std::to_string(max_response_bytes) + " bytes");
    return unavailable(method + " " + base_url + target + ": " + ec.message());
  }
  auto res = parser.release();
  ClientResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = std::move(res.body());
  auto ct = res.find(http::field::content_type);
  if (ct != res.end()) out.content_type = std::string(ct->value());
  auto location = res.find(http::field::location);
  if (location != res.end()) out.location = std::string(location->value());
  if (!res.keep_alive()) disconnect();
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

asio::io_context& HttpClient::io() { return impl_->io; }

Result<UpgradeAnswer> HttpClient::upgrade(const std::string& method, const std::string& path,
                                          const std::string& protocol,
                                          std::chrono::milliseconds timeout) {
  // A connection of its own: the upgraded one is never reused for requests.
  BOREALIS_RETURN_IF_ERROR(impl_->connect(timeout));
  std::string target = impl_->prefix + path;
  Result<UpgradeAnswer> answer =
      impl_->secure ? impl_->switch_protocols(*impl_->secure, method, target, protocol, timeout)
                    : impl_->switch_protocols(*impl_->plain, method, target, protocol, timeout);
  if (!answer.ok() || !answer->stream) impl_->disconnect();
  return answer;
}

template <class Stream>
Result<UpgradeAnswer> HttpClient::Impl::switch_protocols(Stream& stream, const std::string& method,
                                                         const std::string& target,
                                                         const std::string& protocol,
                                                         std::chrono::milliseconds timeout) {
  http::request<http::empty_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, host + ":" + port);
  req.set(http::field::user_agent, "borealis");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.set(http::field::connection, "Upgrade");
  req.set(http::field::upgrade, protocol);
  req.content_length(0);
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_response_bytes);
  beast::error_code ec;
  beast::get_lowest_layer(stream).expires_after(timeout);
  http::async_write(stream, req, [&](beast::error_code e, size_t) {
    if (e) {
      ec = e;
      return;
    }
    http::async_read(stream, buffer, parser, [&](beast::error_code e2, size_t) { ec = e2; });
  });
  io.restart();
  io.run();
  if (ec)
    return unavailable(method + " " + base_url + target + " (upgrade to " + protocol + "): " +
                       (ec == beast::error::timeout
                            ? "no answer within " + std::to_string(timeout.count()) + " ms"
                            : ec.message()));
  auto res = parser.release();
  UpgradeAnswer out;
  out.response.status = static_cast<int>(res.result_int());
  out.response.body = std::move(res.body());
  if (auto ct = res.find(http::field::content_type); ct != res.end())
    out.response.content_type = std::string(ct->value());
  if (out.response.status != 101) return out;
  std::string leftover(static_cast<const char*>(buffer.data().data()), buffer.size());
  buffer.clear();
  auto owned = std::make_shared<Stream>(std::move(stream));
  plain.reset();
  secure.reset();
  io.restart();  // the caller runs io() for the stream
  out.stream =
      std::make_shared<detail::BeastByteStream<Stream>>(*owned, owned, std::move(leftover));
  return out;
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
