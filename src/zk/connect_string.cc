#include "zk/connect_string.h"

#include <charconv>

#include "zk/node_path.h"

namespace borealis::zk {
namespace {

Status bad_connect(std::string_view text, std::string_view why) {
  return invalid_argument("--zk '" + std::string(text.substr(0, 120)) + "': " + std::string(why));
}

Result<ServerAddress> parse_server(std::string_view whole, std::string_view item) {
  size_t colon = item.rfind(':');
  if (item.empty()) return bad_connect(whole, "empty server in the list");
  if (colon == std::string_view::npos) {
    return bad_connect(whole, "server '" + std::string(item) + "' has no ':PORT'");
  }
  std::string_view host = item.substr(0, colon);
  std::string_view port_text = item.substr(colon + 1);
  if (host.empty()) return bad_connect(whole, "server '" + std::string(item) + "' has no host");
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) {
      return bad_connect(whole, "host '" + std::string(host) +
                                    "' has a character other than "
                                    "letters, digits, '.', '-' and '_'");
    }
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port == 0 || port > 65535) {
    return bad_connect(whole, "port '" + std::string(port_text) + "' of server '" +
                                  std::string(item) + "' is not a number in 1-65535");
  }
  return ServerAddress{std::string(host), static_cast<uint16_t>(port)};
}

}  // namespace

std::string ConnectString::hosts() const {
  std::string out;
  for (const ServerAddress& s : servers) {
    if (!out.empty()) out += ',';
    out += s.host + ":" + std::to_string(s.port);
  }
  return out;
}

std::string ConnectString::to_string() const { return hosts() + chroot; }

Result<ConnectString> parse_connect_string(std::string_view text) {
  if (text.empty()) return invalid_argument("--zk is empty: expected HOST:PORT[,HOST:PORT...]");
  if (text.size() > kMaxConnectStringBytes) {
    return bad_connect(text, "longer than " + std::to_string(kMaxConnectStringBytes) + " bytes");
  }
  ConnectString out;
  std::string_view list = text;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    list = text.substr(0, slash);
    std::string_view chroot = text.substr(slash);
    if (Status st = validate_node_path(chroot); !st.ok()) {
      return bad_connect(text, "chroot: " + st.message());
    }
    if (chroot != "/") out.chroot = std::string(chroot);
  }
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    BOREALIS_ASSIGN_OR_RETURN(ServerAddress server,
                              parse_server(text, list.substr(start, comma - start)));
    out.servers.push_back(std::move(server));
    if (out.servers.size() > kMaxServers) {
      return bad_connect(text, "more than " + std::to_string(kMaxServers) + " servers");
    }
    start = comma + 1;
  }
  return out;
}

Result<DigestCredential> parse_digest_credential(std::string_view text) {
  auto bad = [](std::string_view why) {
    return invalid_argument("ZooKeeper credential: " + std::string(why) +
                            " (expected user:password)");
  };
  if (text.empty()) return bad("empty");
  if (text.size() > kMaxCredentialBytes) {
    return bad("longer than " + std::to_string(kMaxCredentialBytes) + " bytes");
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return bad("contains a control character");
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return bad("no ':' between user and password");
  if (colon == 0) return bad("the user is empty");
  if (colon + 1 == text.size()) return bad("the password is empty");
  return DigestCredential{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

}  // namespace borealis::zk
