#include "auth/http_guard.h"

#include <boost/asio/ip/address.hpp>
#include <string>

#include "api/http_status.h"

namespace borealis::auth {

Result<const Identity*> HttpGuard::authenticate(const net::HttpRequest& request) const {
  if (!config_) return static_cast<const Identity*>(nullptr);
  auto it = request.headers.find("authorization");
  return config_->authenticate(
      it == request.headers.end() ? std::nullopt : std::optional<std::string_view>(it->second));
}

Status HttpGuard::authorize(const Identity* who, const Access& access) const {
  if (!config_) return Status::ok_status();
  if (!who) return unauthenticated("no credentials: send 'Authorization: Bearer TOKEN'");
  return config_->authorize(*who, access);
}

Status HttpGuard::check(const net::HttpRequest& request, const Access& access) const {
  auto who = authenticate(request);
  if (!who.ok()) return who.status();
  return authorize(*who, access);
}

bool is_loopback_address(std::string_view address) {
  if (address == "localhost") return true;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(address), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).is_loopback();
  return a.is_loopback();
}

Status check_bind_address(std::string_view address, bool authenticated, bool insecure,
                          std::string_view flag) {
  if (authenticated || insecure || is_loopback_address(address)) return Status::ok_status();
  return failed_precondition(
      std::string(flag) + ": refusing to listen on " + std::string(address) +
      " without authentication (anyone who can reach the port could call every route): give "
      "--auth-file FILE, listen on 127.0.0.1, or pass --insecure to allow it");
}

net::HttpResponse error_answer(const Status& status) {
  net::HttpResponse r =
      net::HttpResponse::json(api::http_status_for(status.code()), api::error_body(status));
  // RFC 9110: a 401 says which scheme the server takes.
  if (status.code() == StatusCode::kUnauthenticated) r.headers["WWW-Authenticate"] = "Bearer";
  return r;
}

}  // namespace borealis::auth
