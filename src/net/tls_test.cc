// HTTPS and mutual TLS between HttpServer and HttpClient, with certificates made at run
// time (net/test_pki.h).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "net/http_client.h"
#include "net/running_server.h"
#include "net/test_pki.h"
#include "testing/temp_dir.h"

namespace borealis::net {
namespace {

using std::chrono::milliseconds;
using testing::RunningServer;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    std::string failed = testing::make_test_pki(dir_.path(), &pki_);
    ASSERT_EQ(failed, "") << "see " << dir_ / "openssl.log";
  }

  HttpServerOptions tls_options(bool require_client_cert) const {
    HttpServerOptions o;
    o.tls.cert_file = pki_.server_cert;
    o.tls.key_file = pki_.server_key;
    if (require_client_cert) o.tls.client_ca_file = pki_.ca;
    return o;
  }

  // Polls the server's counters: it counts on its own thread.
  static bool eventually(const std::function<bool()>& done) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < until && !done())
      std::this_thread::sleep_for(milliseconds(5));
    return done();
  }

  ::borealis::testing::TempDir dir_{"borealis-tls"};
  testing::TestPki pki_;
};

TEST_F(TlsTest, RoundTripOverOneConnection) {
  RunningServer s(tls_options(false));
  ASSERT_TRUE(s.start().ok());
  auto client = HttpClient::create(s.url("https"), {.ca_file = pki_.ca});
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  for (int i = 0; i < 3; ++i) {
    auto r = (*client)->get("/health");
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(s.server().counters().accepted, 1u);  // keep-alive over TLS
  // Without a client CA the server asks no certificate: no peer identity.
  auto who = (*client)->get("/whoami");
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->body, "");
}

TEST_F(TlsTest, ClientRefusesAServerItsCaDidNotSign) {
  RunningServer s(tls_options(false));
  ASSERT_TRUE(s.start().ok());
  auto client = HttpClient::create(s.url("https"), {.ca_file = pki_.other_ca}).value();
  auto r = client->get("/health");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("TLS handshake with " + s.url("https") + " failed"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("certificate verify failed"), std::string::npos);
}

TEST_F(TlsTest, ClientChecksTheServersName) {
  RunningServer s(tls_options(false));
  ASSERT_TRUE(s.start().ok());
  // The certificate names 127.0.0.1 and localhost, not 127.0.0.2.
  auto wrong =
      HttpClient::create("https://127.0.0.2:" + std::to_string(s.port()), {.ca_file = pki_.ca})
          .value();
  EXPECT_FALSE(wrong->get("/health").ok());
  auto right =
      HttpClient::create("https://localhost:" + std::to_string(s.port()), {.ca_file = pki_.ca})
          .value();
  auto r = right->get("/health");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
}

TEST_F(TlsTest, MutualTlsGivesThePeerIdentity) {
  RunningServer s(tls_options(true));
  ASSERT_TRUE(s.start().ok());
  auto client = HttpClient::create(s.url("https"), {pki_.ca, pki_.client_cert, pki_.client_key});
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  auto r = (*client)->get("/whoami");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "agent-host1");
}

TEST_F(TlsTest, MutualTlsRefusesClientsWithoutAGoodCertificate) {
  RunningServer s(tls_options(true));
  ASSERT_TRUE(s.start().ok());
  auto anonymous = HttpClient::create(s.url("https"), {.ca_file = pki_.ca}).value();
  EXPECT_FALSE(anonymous->get("/whoami", milliseconds(2000)).ok());
  auto intruder =
      HttpClient::create(s.url("https"), {pki_.ca, pki_.other_client_cert, pki_.other_client_key})
          .value();
  EXPECT_FALSE(intruder->get("/whoami", milliseconds(2000)).ok());
  EXPECT_TRUE(eventually([&] { return s.server().counters().tls_handshake_failures == 2; }))
      << s.server().counters().tls_handshake_failures;
}

TEST_F(TlsTest, PlainClientOnATlsPortFailsQuickly) {
  HttpServerOptions o = tls_options(false);
  o.request_timeout_ms = 500;
  RunningServer s(o);
  ASSERT_TRUE(s.start().ok());
  auto plain = HttpClient::create(s.url("http")).value();
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(plain->get("/health", milliseconds(5000)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(TlsTest, FilesThatCannotBeUsedAreNamed) {
  HttpServerOptions missing = tls_options(false);
  missing.tls.key_file = dir_ / "nope.key";
  RunningServer a(missing);
  Status st = a.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot read TLS key '" + dir_ / "nope.key" + "'"), std::string::npos)
      << st.message();

  HttpServerOptions mismatch = tls_options(false);
  mismatch.tls.key_file = pki_.client_key;
  RunningServer b(mismatch);
  st = b.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not match certificate '" + pki_.server_cert + "'"),
            std::string::npos)
      << st.message();

  HttpServerOptions not_pem = tls_options(true);
  not_pem.tls.client_ca_file = dir_.write("junk.pem", "not a certificate\n");
  RunningServer c(not_pem);
  st = c.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("TLS CA file '" + dir_ / "junk.pem" + "'"), std::string::npos)
      << st.message();

  auto http_with_files = HttpClient::create("http://127.0.0.1:1", {.ca_file = pki_.ca});
  ASSERT_FALSE(http_with_files.ok());
  EXPECT_NE(http_with_files.status().message().find("use https://"), std::string::npos);
  auto cert_without_key =
      HttpClient::create("https://127.0.0.1:1", {.cert_file = pki_.client_cert});
  ASSERT_FALSE(cert_without_key.ok());
  EXPECT_NE(cert_without_key.status().message().find("given without its key"), std::string::npos);
}

}  // namespace
}  // namespace borealis::net
