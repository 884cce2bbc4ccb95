#include "net/http_types.h"

#include <boost/json.hpp>

namespace borealis::net {

std::string HttpRequest::param(std::string_view name, std::string fallback) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? fallback : it->second;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::error(int status, std::string_view code, std::string_view message) {
  boost::json::object err{{"code", code}, {"message", message}};
  return json(status, boost::json::serialize(boost::json::object{{"error", std::move(err)}}));
}

}  // namespace borealis::net
