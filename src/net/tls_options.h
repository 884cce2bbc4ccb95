// Which certificate files a TLS server or client uses. Plain values: the files are read
// when a server starts or a client is created (net/tls_context.h), and errors name them.
//
// Thread-safety: plain values.
#pragma once

#include <string>

namespace borealis::net {

// A server speaks TLS when cert_file is set. With client_ca_file set it also requires
// every client to present a certificate signed by that CA (mutual TLS); the certificate's
// subject CN is then HttpRequest::peer_identity.
struct ServerTlsFiles {
  std::string cert_file;       // PEM chain, the server's own certificate first
  std::string key_file;        // PEM private key of cert_file
  std::string client_ca_file;  // PEM CA(s) that sign client certificates; "" = no mTLS

  bool enabled() const { return !cert_file.empty(); }
};

// What an https:// client trusts and presents.
struct ClientTlsFiles {
  std::string ca_file;    // PEM CA(s) the server's certificate must chain to; "" = system CAs
  std::string cert_file;  // PEM client certificate for mTLS; "" = none
  std::string key_file;   // PEM private key of cert_file

  bool any() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

}  // namespace borealis::net
