// Which certificate files a TLS server or client uses. Plain values: the files are read
// when a server starts or a client is created (net/tls_context.h), and errors name them.
//
// Thread-safety: plain values.
#pragma once

#include <string>

#include "common/status.h"

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

// The flags that name a side's three files, for messages: {"--tls-cert", "--tls-key",
// "--tls-ca"} or {"--client-cert", "--client-key", "--scheduler-ca"}.
struct TlsFlagNames {
  const char* cert;
  const char* key;
  const char* ca;
};

// A certificate needs its key and a key its certificate; a server's client CA needs the
// server's own certificate. Errors name the flags: "--tls-key: needs --tls-cert".
Status check_tls_flags(const ServerTlsFiles& files, const TlsFlagNames& flags);
Status check_tls_flags(const ClientTlsFiles& files, const TlsFlagNames& flags);

}  // namespace borealis::net
