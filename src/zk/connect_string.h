// The `--zk` connect string: "HOST:PORT[,HOST:PORT...][/CHROOT]", as ZooKeeper's clients
// (and Aurora's -zk_endpoints) spell it, and the `--zk-auth user:password` digest
// credential. Parsed once where the flag enters, so a typo is refused with the reason
// instead of a client retrying an unreachable host forever.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::zk {

inline constexpr size_t kMaxConnectStringBytes = 1024;
inline constexpr size_t kMaxServers = 32;
inline constexpr size_t kMaxCredentialBytes = 256;

struct ServerAddress {
  std::string host;
  uint16_t port = 0;
  bool operator==(const ServerAddress&) const = default;
};

struct ConnectString {
  std::vector<ServerAddress> servers;
  // Empty, or a path ("/borealis") every operation's path is relative to. The chroot node
  // itself must exist: the client does not create it.
  std::string chroot;

  // "h1:2181,h2:2181/chroot", what zookeeper_init takes.
  std::string to_string() const;
  // "h1:2181,h2:2181", for messages and logs.
  std::string hosts() const;
};

// Refuses an empty string, a server without host or port, a port outside 1-65535,
// whitespace, more than kMaxServers servers, more than kMaxConnectStringBytes bytes and a
// chroot that is not a valid node path.
Result<ConnectString> parse_connect_string(std::string_view text);

// A ZooKeeper "digest" identity. The password is kept only to hand to zoo_add_auth.
struct DigestCredential {
  std::string user;
  std::string password;
  // "user:password", the form zoo_add_auth("digest", ...) takes.
  std::string to_auth_string() const { return user + ":" + password; }
};

// "user:password": a non-empty user without ':', a non-empty password, no control bytes,
// at most kMaxCredentialBytes bytes. Error messages never repeat the password.
Result<DigestCredential> parse_digest_credential(std::string_view text);

}  // namespace borealis::zk
