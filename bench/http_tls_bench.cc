// What TLS costs a request between HttpClient and HttpServer on loopback: plain HTTP,
// HTTPS and mutual TLS over a kept-alive connection, and HTTPS with a new connection (and
// so a full handshake) per request. Certificates are made at start with `openssl`.
#include <benchmark/benchmark.h>

#include <memory>

#include "net/http_client.h"
#include "net/running_server.h"
#include "net/test_pki.h"
#include "testing/temp_dir.h"

namespace {

using borealis::net::ClientTlsFiles;
using borealis::net::HttpClient;
using borealis::net::HttpServerOptions;
using borealis::net::testing::RunningServer;
using borealis::net::testing::TestPki;

const TestPki& pki() {
  static borealis::testing::TempDir dir("borealis-tls-bench");
  static TestPki made = [] {
    TestPki p;
    std::string failed = borealis::net::testing::make_test_pki(dir.path(), &p);
    if (!failed.empty())
      std::fprintf(stderr, "cannot make test certificates: %s\n", failed.c_str());
    return p;
  }();
  return made;
}

// A server for `o`, kept for the whole run.
RunningServer& server(const HttpServerOptions& o) {
  auto* s = new RunningServer(o);  // lives until exit, as the benchmark's fixture
  if (!s->start().ok()) std::abort();
  return *s;
}

HttpServerOptions tls(bool mutual) {
  HttpServerOptions o;
  o.tls = {pki().server_cert, pki().server_key, mutual ? pki().ca : ""};
  return o;
}

void get_loop(benchmark::State& state, HttpClient& client) {
  for (auto _ : state) {
    auto r = client.get("/health");
    if (!r.ok() || r->status != 200) state.SkipWithError("GET /health failed");
  }
}

void BM_PlainKeepAlive(benchmark::State& state) {
  static RunningServer& s = server({});
  auto client = HttpClient::create(s.url()).value();
  get_loop(state, *client);
}
BENCHMARK(BM_PlainKeepAlive)->Unit(benchmark::kMicrosecond);

void BM_TlsKeepAlive(benchmark::State& state) {
  static RunningServer& s = server(tls(false));
  auto client = HttpClient::create(s.url("https"), ClientTlsFiles{.ca_file = pki().ca}).value();
  get_loop(state, *client);
}
BENCHMARK(BM_TlsKeepAlive)->Unit(benchmark::kMicrosecond);

void BM_MutualTlsKeepAlive(benchmark::State& state) {
  static RunningServer& s = server(tls(true));
  auto client =
      HttpClient::create(s.url("https"), {pki().ca, pki().client_cert, pki().client_key}).value();
  get_loop(state, *client);
}
BENCHMARK(BM_MutualTlsKeepAlive)->Unit(benchmark::kMicrosecond);

// A new client per request: TCP connect + TLS handshake + request.
void BM_PlainNewConnection(benchmark::State& state) {
  static RunningServer& s = server({});
  for (auto _ : state) {
    auto client = HttpClient::create(s.url()).value();
    if (!client->get("/health").ok()) state.SkipWithError("GET /health failed");
  }
}
BENCHMARK(BM_PlainNewConnection)->Unit(benchmark::kMicrosecond);

void BM_TlsNewConnection(benchmark::State& state) {
  static RunningServer& s = server(tls(false));
  for (auto _ : state) {
    auto client = HttpClient::create(s.url("https"), ClientTlsFiles{.ca_file = pki().ca}).value();
    if (!client->get("/health").ok()) state.SkipWithError("GET /health failed");
  }
}
BENCHMARK(BM_TlsNewConnection)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
