// Plain HTTP request/response values shared by the server and the client.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace borealis::net {

class ByteStream;  // net/byte_stream.h

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query: "/api/v1/jobs/www/prod/hello"
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string remote;  // "127.0.0.1:51234"
  // The subject CN of the client certificate, on a server with mutual TLS (--tls-ca) where
  // the handshake verified it against that CA; "" on plain HTTP or TLS without a client CA.
  // The auth layer may map it to an identity; the server itself only authenticates it.
  std::string peer_identity;

  // Query parameter or `fallback`.
  std::string param(std::string_view name, std::string fallback = "") const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers
  // An HTTP Upgrade: with status 101 (and the Upgrade header set), the server writes the
  // answer and then calls this on its io thread with the connection, which is the route's
  // from then on. Unset otherwise.
  std::function<void(std::shared_ptr<ByteStream>)> on_upgrade;

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body);
  // {"error": {"code": "...", "message": "..."}}
  static HttpResponse error(int status, std::string_view code, std::string_view message);
};

}  // namespace borealis::net
