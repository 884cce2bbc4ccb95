#include "net/http_message.h"

#include <boost/url/parse.hpp>
#include <cctype>

namespace borealis::net {

Result<HttpRequest> to_http_request(BeastRequest&& msg) {
  HttpRequest req;
  req.method = std::string(msg.method_string());
  std::string target(msg.target());
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return invalid_argument("malformed request target");
  req.path = std::string(url->path());
  for (auto p : url->params()) req.query[std::string(p.key)] = std::string(p.value);
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(f.value());
  }
  req.body = std::move(msg.body());
  return req;
}

}  // namespace borealis::net
