#include "net/tls_options.h"

namespace borealis::net {

namespace {

Status check_pair(const std::string& cert, const std::string& key, const TlsFlagNames& flags) {
  if (!cert.empty() && key.empty())
    return invalid_argument(std::string(flags.cert) + ": needs " + flags.key);
  if (cert.empty() && !key.empty())
    return invalid_argument(std::string(flags.key) + ": needs " + flags.cert);
  return Status();
}

}  // namespace

Status check_tls_flags(const ServerTlsFiles& files, const TlsFlagNames& flags) {
  BOREALIS_RETURN_IF_ERROR(check_pair(files.cert_file, files.key_file, flags));
  if (!files.client_ca_file.empty() && files.cert_file.empty())
    return invalid_argument(std::string(flags.ca) + ": needs " + flags.cert + " and " + flags.key +
                            " (mutual TLS is TLS)");
  return Status();
}

Status check_tls_flags(const ClientTlsFiles& files, const TlsFlagNames& flags) {
  return check_pair(files.cert_file, files.key_file, flags);
}

}  // namespace borealis::net
