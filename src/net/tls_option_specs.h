// The server-side TLS flags (--tls-cert, --tls-key, --tls-ca), described once for every
// daemon's option table (common/option_table.h): each daemon lists
// `net::tls_cert_option(&O::tls_cert)`, ... among its specs.
#pragma once

#include <string>

#include "common/option_table.h"

namespace borealis::net {

template <class Options>
OptionSpec<Options> tls_cert_option(std::string Options::*field) {
  return {.flag = "--tls-cert",
          .value_name = "FILE",
          .help = "serve HTTPS with this PEM certificate (chain); needs --tls-key",
          .field = option_field(field)};
}

template <class Options>
OptionSpec<Options> tls_key_option(std::string Options::*field) {
  return {.flag = "--tls-key",
          .value_name = "FILE",
          .help = "PEM private key of --tls-cert",
          .field = option_field(field)};
}

template <class Options>
OptionSpec<Options> tls_ca_option(std::string Options::*field) {
  return {.flag = "--tls-ca",
          .value_name = "FILE",
          .help = "mutual TLS: every client must present a certificate signed by this PEM CA",
          .field = option_field(field)};
}

}  // namespace borealis::net
