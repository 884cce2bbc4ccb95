#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace borealis::net {

namespace ssl = boost::asio::ssl;

namespace {

// Reads `path` (a `what`) into the context with `load`, a Boost call that sets an error
// code; the message names the file and, from OpenSSL, the problem. `load`'s error code
// is returned through `failure` for callers that tell failures apart.
template <class Load>
Status load_file(const std::string& what, const std::string& path, Load load,
                 boost::system::error_code* failure = nullptr) {
  if (::access(path.c_str(), R_OK) != 0)
    return invalid_argument("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  boost::system::error_code ec;
  load(ec);
  ERR_clear_error();  // Boost has taken OpenSSL's error off its queue into `ec`
  if (failure) *failure = ec;
  if (ec) return invalid_argument(what + " '" + path + "' cannot be used: " + ec.message());
  return Status();
}

Status load_own_certificate(ssl::context& ctx, const std::string& cert, const std::string& key) {
  if (cert.empty() != key.empty())
    return invalid_argument(cert.empty() ? "TLS key '" + key + "' given without its certificate"
                                         : "TLS certificate '" + cert + "' given without its key");
  if (cert.empty()) return Status();
  BOREALIS_RETURN_IF_ERROR(load_file("TLS certificate", cert,
                                     [&](auto& ec) { ctx.use_certificate_chain_file(cert, ec); }));
  boost::system::error_code ec;
  Status st = load_file(
      "TLS key", key, [&](auto& e) { ctx.use_private_key_file(key, ssl::context::pem, e); }, &ec);
  bool mismatch =
      ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
  if (!st.ok() && !mismatch) return st;
  if (mismatch || SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
    ERR_clear_error();
    return invalid_argument("TLS key '" + key + "' does not match certificate '" + cert + "'");
  }
  return Status();
}

Status load_ca(ssl::context& ctx, const std::string& ca) {
  return load_file("TLS CA file", ca, [&](auto& ec) { ctx.load_verify_file(ca, ec); });
}

std::shared_ptr<ssl::context> new_context(ssl::context::method method) {
  auto ctx = std::make_shared<ssl::context>(method);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  return ctx;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_tls_context(const ServerTlsFiles& files) {
  if (!files.enabled()) return invalid_argument("TLS needs a certificate and its key");
  auto ctx = new_context(ssl::context::tls_server);
  BOREALIS_RETURN_IF_ERROR(load_own_certificate(*ctx, files.cert_file, files.key_file));
  if (!files.client_ca_file.empty()) {
    BOREALIS_RETURN_IF_ERROR(load_ca(*ctx, files.client_ca_file));
    // Tell clients which CA to present a certificate from.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str()))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
    ERR_clear_error();
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    // Session resumption with client certificates needs a context id.
    static const unsigned char kSessionContext[] = "borealis";
    SSL_CTX_set_session_id_context(ctx->native_handle(), kSessionContext,
                                   sizeof kSessionContext - 1);
  }
  return ctx;
}

Result<std::shared_ptr<ssl::context>> make_client_tls_context(const ClientTlsFiles& files) {
  auto ctx = new_context(ssl::context::tls_client);
  if (files.ca_file.empty()) {
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (ec) return invalid_argument("cannot load the system's CA certificates: " + ec.message());
  } else {
    BOREALIS_RETURN_IF_ERROR(load_ca(*ctx, files.ca_file));
  }
  BOREALIS_RETURN_IF_ERROR(load_own_certificate(*ctx, files.cert_file, files.key_file));
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

std::string verified_peer_common_name(SSL* ssl) {
  if (SSL_get_verify_result(ssl) != X509_V_OK) return "";
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return "";
  std::string cn;
  X509_NAME* subject = X509_get_subject_name(cert);
  int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (at >= 0) {
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at)));
    if (n > 0) cn.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
  }
  X509_free(cert);
  return cn;
}

}  // namespace borealis::net
