#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <thread>

#include "net/http_client.h"
#include "net/http_server.h"

namespace borealis::net {
namespace {

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions o;
    o.max_body_bytes = 1024;
    server_ = std::make_unique<HttpServer>(io_, o);
    server_->route("GET", "/health",
                   [](const HttpRequest&, Responder r) { r(HttpResponse::text(200, "ok")); });
    server_->route("POST", "/echo/*", [](const HttpRequest& req, Responder r) {
      r(HttpResponse::json(200, "{\"seg\":\"" + req.path + "\",\"body\":" + req.body + ",\"q\":\"" +
                                    req.param("q") + "\"}"));
    });
    // Answers later, from another thread, like a handler waiting for a durable write.
    server_->route("GET", "/later", [this](const HttpRequest&, Responder r) {
      later_.emplace_back([r] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        r(HttpResponse::text(202, "done"));
      });
    });
    // Holds the request without answering (a dropped Responder would close the connection).
    server_->route("GET", "/never",
                   [this](const HttpRequest&, Responder r) { held_.push_back(std::move(r)); });
    server_->route("GET", "/dropped", [](const HttpRequest&, Responder) {});
    server_->route("GET", "/files/**", [](const HttpRequest& req, Responder r) {
      r(HttpResponse::text(200, req.path));
    });
    server_->route("GET", "/authorization", [](const HttpRequest& req, Responder r) {
      auto h = req.headers.find("authorization");
      r(HttpResponse::text(200, h == req.headers.end() ? "(none)" : h->second));
    });
    ASSERT_TRUE(server_->start().ok());
    thread_ = std::thread([this] { io_.run(); });
    auto c = HttpClient::create("http://127.0.0.1:" + std::to_string(server_->port()));
    ASSERT_TRUE(c.ok());
    client_ = std::move(c).value();
  }
  void TearDown() override {
    for (auto& t : later_) t.join();
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::vector<std::thread> later_;
  std::vector<Responder> held_;  // touched only on the io thread
  std::unique_ptr<HttpClient> client_;
};

TEST_F(HttpTest, RoutesAndKeepAlive) {
  for (int i = 0; i < 3; ++i) {
    auto r = client_->get("/health");
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok");
  }
  auto e = client_->post("/echo/x%20y?q=a%26b", "{\"k\":1}");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->body, "{\"seg\":\"/echo/x y\",\"body\":{\"k\":1},\"q\":\"a&b\"}");
  auto f = client_->get("/files/a/b/c");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->body, "/files/a/b/c");
}

TEST_F(HttpTest, SetHeaderGoesWithEveryRequestUntilCleared) {
  EXPECT_EQ(client_->get("/authorization")->body, "(none)");
  client_->set_header("Authorization", "Bearer abc");
  EXPECT_EQ(client_->get("/authorization")->body, "Bearer abc");
  EXPECT_EQ(client_->get("/authorization")->body, "Bearer abc");
  client_->set_header("Authorization", "");
  EXPECT_EQ(client_->get("/authorization")->body, "(none)");
}

TEST_F(HttpTest, UnknownPathAndMethod) {
  auto nf = client_->get("/nope");
  ASSERT_TRUE(nf.ok());
  EXPECT_EQ(nf->status, 404);
  EXPECT_NE(nf->body.find("no such endpoint: /nope"), std::string::npos);
  auto na = client_->post("/health", "");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->status, 405);
}

TEST_F(HttpTest, OversizedBodyIsRefused) {
  auto r = client_->post("/echo/x", std::string(4096, 'a'));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("larger than 1024 bytes"), std::string::npos);
  // The client recovers on a new connection.
  auto ok = client_->get("/health");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpTest, DeferredResponse) {
  auto r = client_->get("/later");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(r->body, "done");
}

TEST_F(HttpTest, TimeoutIsAnError) {
  auto r = client_->get("/never", std::chrono::milliseconds(100));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("no answer within 100 ms"), std::string::npos);
}

TEST_F(HttpTest, DroppedResponderClosesTheConnection) {
  auto r = client_->get("/dropped", std::chrono::milliseconds(2000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message().find("no answer within"), std::string::npos);
}

TEST(HttpClientTest, UnreachableServerSaysWhere) {
  auto c = HttpClient::create("http://127.0.0.1:1");
  ASSERT_TRUE(c.ok());
  auto r = (*c)->get("/health");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot connect to http://127.0.0.1:1"), std::string::npos);
  EXPECT_FALSE(HttpClient::create("ftp://x").ok());
}

TEST(HttpServerTest, PortInUseIsReported) {
  boost::asio::io_context io;
  HttpServer a(io, {});
  ASSERT_TRUE(a.start().ok());
  HttpServerOptions o;
  o.port = a.port();
  HttpServer b(io, o);
  Status st = b.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot listen on 127.0.0.1:" + std::to_string(a.port())),
            std::string::npos);
}

}  // namespace
}  // namespace borealis::net
