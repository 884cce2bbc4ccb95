// OpenSSL contexts for the HTTP server and client, built from certificate files
// (net/tls_options.h). Both sides require TLS 1.2 or newer. A server with a client CA
// demands a client certificate signed by it; a client always verifies the server's
// certificate chain and its host name (or IP address).
//
// Thread-safety: a context is built once and then shared read-only by every connection.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "common/result.h"
#include "net/tls_options.h"

namespace borealis::net {

// Errors name the file that could not be used and why:
// "TLS key '/etc/borealis/key.pem' does not match certificate '/etc/borealis/cert.pem'".
Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(
    const ServerTlsFiles& files);
Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(
    const ClientTlsFiles& files);

// The subject CN of the certificate the peer presented on `ssl`, if it was verified; "".
std::string verified_peer_common_name(SSL* ssl);

}  // namespace borealis::net
