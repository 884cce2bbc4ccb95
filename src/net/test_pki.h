// Test-only: a throwaway PKI made at run time with the `openssl` command in a directory
// the test owns, so that no private key is ever committed. Two CAs: `ca` signs the
// server's certificate (for 127.0.0.1 and localhost) and a client's (CN agent-host1);
// `other_ca` signs an intruder's client certificate (CN mallory).
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

namespace borealis::net::testing {

struct TestPki {
  std::string ca, server_cert, server_key, client_cert, client_key;
  std::string other_ca, other_client_cert, other_client_key;
};

// Fills `pki` with files under `dir`; returns "" or the command that failed (its output
// is in dir/openssl.log).
inline std::string make_test_pki(const std::string& dir, TestPki* pki) {
  const std::string log = " >>" + dir + "/openssl.log 2>&1";
  auto run = [&](const std::string& cmd) { return std::system((cmd + log).c_str()) == 0; };
  auto path = [&](const std::string& name) { return dir + "/" + name; };
  const std::string new_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  auto make_ca = [&](const std::string& name) {
    std::string cmd = "openssl req -x509 " + new_key + " -days 2 -subj /CN=" + name + " -keyout " +
                      path(name + ".key") + " -out " + path(name + ".pem");
    return run(cmd) ? std::string() : cmd;
  };
  // A key and a certificate for `cn`, signed by `ca`, with `ext` (subjectAltName, ...).
  auto make_leaf = [&](const std::string& name, const std::string& cn, const std::string& ca,
                       const std::string& ext) {
    std::string ext_file = path(name + ".ext");
    std::ofstream(ext_file) << ext << "\n";
    std::string cmds[] = {
        "openssl req " + new_key + " -subj /CN=" + cn + " -keyout " + path(name + ".key") +
            " -out " + path(name + ".csr"),
        "openssl x509 -req -days 2 -in " + path(name + ".csr") + " -CA " + path(ca + ".pem") +
            " -CAkey " + path(ca + ".key") + " -CAcreateserial -extfile " + ext_file + " -out " +
            path(name + ".pem"),
    };
    for (const auto& cmd : cmds)
      if (!run(cmd)) return cmd;
    return std::string();
  };
  for (const std::string& failed :
       {make_ca("ca"), make_ca("other_ca"),
        make_leaf("server", "localhost", "ca",
                  "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"),
        make_leaf("client", "agent-host1", "ca", "extendedKeyUsage=clientAuth"),
        make_leaf("mallory", "mallory", "other_ca", "extendedKeyUsage=clientAuth")}) {
    if (!failed.empty()) return failed;
  }
  *pki =
      TestPki{path("ca.pem"),     path("server.pem"),   path("server.key"),  path("client.pem"),
              path("client.key"), path("other_ca.pem"), path("mallory.pem"), path("mallory.key")};
  return "";
}

}  // namespace borealis::net::testing
