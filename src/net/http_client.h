// A blocking HTTP/1.1 client with timeouts and connection reuse, for the CLI and for
// agent threads. One HttpClient talks to one base URL ("http://127.0.0.1:8081", or
// "https://scheduler.example:8081": TLS, the server's certificate verified against a CA
// and its host name, and optionally a client certificate for mutual TLS).
//
// Threading: an instance is not thread-safe; use one per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"
#include "net/http_types.h"
#include "net/tls_options.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace borealis::net {

class ByteStream;  // net/byte_stream.h

struct ClientResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string location;  // the Location header (a redirect's target), "" when absent
};

struct UpgradeAnswer {
  ClientResponse response;             // the server's answer
  std::shared_ptr<ByteStream> stream;  // set when it was 101 Switching Protocols
};

class HttpClient {
 public:
  // base_url: "http://host:port" or "https://host:port" (an optional path prefix is
  // kept). `tls` applies to https:// only; TLS files with an http:// URL are an error, and
  // so is a file that cannot be used (the message names it).
  static Result<std::unique_ptr<HttpClient>> create(const std::string& base_url,
                                                    const ClientTlsFiles& tls = {});
  ~HttpClient();

  // `path` starts with "/". Network failures come back as kUnavailable naming the URL;
  // HTTP error statuses are returned as responses (the caller decides).
  Result<ClientResponse> request(const std::string& method, const std::string& path,
                                 const std::string& body = "",
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  Result<ClientResponse> get(const std::string& path,
                             std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return request("GET", path, "", timeout);
  }
  Result<ClientResponse> post(const std::string& path, const std::string& body,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return request("POST", path, body, timeout);
  }

  // Sends `method path` (no body) asking to switch the connection to `protocol` (an HTTP
  // Upgrade) on a connection of its own. On a 101 the answer holds the connection as a
  // ByteStream, whose operations run on io() (run it to drive them) and which must not
  // outlive this client; any other answer is returned as is.
  Result<UpgradeAnswer> upgrade(const std::string& method, const std::string& path,
                                const std::string& protocol, std::chrono::milliseconds timeout);
  boost::asio::io_context& io();

  const std::string& base_url() const;
  // Answers with a body over `bytes` fail (kResourceExhausted naming the URL and the limit)
  // without being read further. Default 256 MiB.
  void set_max_response_bytes(size_t bytes);
  // Sends `name: value` with every later request (an Authorization header, say); an empty
  // `value` stops sending it.
  void set_header(const std::string& name, std::string value);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes a path segment or query value.
std::string url_encode(std::string_view s);

}  // namespace borealis::net
