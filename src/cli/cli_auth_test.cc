// The CLI's credentials end to end: which token it sends, and what the user sees when a
// scheduler refuses it (exit 30, the server's message and a hint). The scheduler here is a
// small HTTP server that demands a token, checks it with the real auth file code
// (src/auth) and answers 401 and 403 through the API's one error table; the real
// scheduler's checks are tested on the server's side.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <sstream>
#include <thread>

#include "api/cluster.h"
#include "api/http_status.h"
#include "api/jobs.h"
#include "auth/auth_config.h"
#include "auth/token.h"
#include "cli/api_client.h"
#include "cli/cli.h"
#include "cli/cli_fixture.h"
#include "cli/test_util.h"
#include "net/http_server.h"

namespace borealis::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

const std::string kAliceToken(64, 'a');  // roles: www-data
const std::string kBobToken(64, 'b');    // roles: analytics

// A scripted scheduler's HTTP server on its own thread. The subclass adds its routes, then
// serve(); its destructor calls shut_down() before its own members go.
class ThreadedServer {
 public:
  ThreadedServer()
      : work_(io_.get_executor()),
        server_(std::make_unique<net::HttpServer>(io_, net::HttpServerOptions{})) {}
  ~ThreadedServer() { shut_down(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 protected:
  void serve() {
    EXPECT_TRUE(server_->start().ok());
    thread_ = std::thread([this] { io_.run(); });
  }
  void shut_down() {
    if (!thread_.joinable()) return;
    server_->stop();
    work_.reset();
    thread_.join();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
};

// A scheduler of cluster "secure" that answers only with a token of its auth file:
// GET /api/v1/cluster and /api/v1/jobs for anyone it knows, killing a job for its role.
class TokenDemandingScheduler : public ThreadedServer {
 public:
  TokenDemandingScheduler() {
    auto config = auth::AuthConfig::parse(
        "users:\n"
        "  - name: alice\n"
        "    token_sha256: " +
            auth::sha256_hex(kAliceToken) +
            "\n"
            "    roles: [www-data]\n"
            "  - name: bob\n"
            "    token_sha256: " +
            auth::sha256_hex(kBobToken) +
            "\n"
            "    roles: [analytics]\n",
        "auth.yaml");
    EXPECT_TRUE(config.ok()) << config.status().to_string();
    if (config.ok()) auth_ = std::move(config).value();
    server_->route("GET", "/api/v1/cluster", [this](const net::HttpRequest& req, auto respond) {
      respond(answer(req, {}, [] {
        return api::encode(api::ClusterInfo{"secure", "test", 0, false});
      }));
    });
    server_->route("GET", "/api/v1/jobs", [this](const net::HttpRequest& req, auto respond) {
      respond(answer(req, {}, [] { return api::encode(api::JobList{}); }));
    });
    server_->route(
        "POST", "/api/v1/jobs/*/*/*/kill", [this](const net::HttpRequest& req, auto respond) {
          auto seg = net::path_segments(req.path);
          auth::Access write{auth::AccessKind::kWrite, seg[3], seg[4]};
          respond(answer(req, write,
                         [] { return api::encode(api::KillResult{{"www-data-prod-hello-0-x"}}); }));
        });
    serve();
  }
  ~TokenDemandingScheduler() { shut_down(); }

  // The Authorization header of every request, in order ("" when absent).
  std::vector<std::string> authorizations() const {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_;
  }

 private:
  template <class Body>
  net::HttpResponse answer(const net::HttpRequest& req, const auth::Access& access, Body body) {
    auto h = req.headers.find("authorization");
    std::optional<std::string_view> header;
    if (h != req.headers.end()) header = h->second;
    {
      std::lock_guard<std::mutex> lock(mu_);
      authorizations_.push_back(header ? std::string(*header) : "");
    }
    Status st;
    auto who = auth_.authenticate(header);
    if (!who.ok()) {
      st = who.status();
    } else {
      st = auth_.authorize(**who, access);
    }
    if (!st.ok()) {
      return net::HttpResponse::json(api::http_status_for(st.code()), api::error_body(st));
    }
    return net::HttpResponse::json(200, json::serialize(body()));
  }

  auth::AuthConfig auth_;
  mutable std::mutex mu_;
  std::vector<std::string> authorizations_;
};

class CliAuthTest : public ::testing::Test {
 protected:
  using Run = testing::CliRun;

  void SetUp() override {
    write_clusters(R"({"name": "secure", "scheduler_uri": ")" + server_.url() + R"("})");
    env_.sleep = [](TimeMs) {};
    env_.http_timeout = std::chrono::seconds(5);
    env_.tokens.default_file = dir_ / "home/.borealis/credentials";
  }

  void write_clusters(const std::string& entry) {
    env_.cluster_files = {dir_.write("home/.borealis/clusters.json", "[" + entry + "]")};
  }
  void write_credentials(const std::string& text, mode_t mode = 0600) {
    std::string path = dir_.write("home/.borealis/credentials", text);
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }

  Run run(const std::vector<std::string>& args) { return testing::run_captured(args, env_); }

  TokenDemandingScheduler server_;
  TempDir dir_;
  CliEnv env_;
};

TEST_F(CliAuthTest, WithoutATokenExits30WithTheServersMessageAndAHint) {
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitAuth) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: no credentials: send 'Authorization: Bearer TOKEN'\n"
            "hint: no token was sent to cluster 'secure': set BOREALIS_TOKEN=TOKEN, or "
            "add the line 'secure TOKEN' to " +
                env_.tokens.default_file +
                " (mode 0600); an admin of the cluster creates tokens with 'borealis "
                "admin token create'\n");
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>{""});
}

TEST_F(CliAuthTest, SendsTheEnvironmentsTokenOnEveryRequest) {
  env_.tokens.env_token = kAliceToken;
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "No jobs in secure.\n");
  // GET /api/v1/cluster, then GET /api/v1/jobs.
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>(2, "Bearer " + kAliceToken));
}

TEST_F(CliAuthTest, AnUnknownTokenExits30AndIsNeverShown) {
  const std::string wrong(64, 'c');
  env_.tokens.env_token = wrong;
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitAuth) << r.err;
  EXPECT_EQ(r.err,
            "error: the token matches no user\n"
            "hint: cluster 'secure' did not accept the token from BOREALIS_TOKEN; check that it "
            "is the one 'borealis admin token create' printed and that its digest is in the "
            "cluster's auth file\n");
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(wrong)));
}

TEST_F(CliAuthTest, ATokenWithoutTheRoleExits30NamingUserRoleAndTokenSource) {
  write_credentials("# mine\nsecure " + kBobToken + "\n");
  Run r = run({"job", "killall", "secure/www-data/prod/hello"});
  EXPECT_EQ(r.code, kExitAuth) << r.err;
  const std::string file = env_.tokens.default_file;
  // The server's message (src/auth words it) names the user and the role.
  EXPECT_THAT(r.err,
              ::testing::StartsWith("error: killing secure/www-data/prod/hello: user 'bob' "));
  EXPECT_THAT(r.err, HasSubstr("'www-data'\n"
                               "hint: the token from " +
                               file +
                               ":2 (entry 'secure') lacks this grant; ask an admin of "
                               "cluster 'secure' to add it to your entry in the auth "
                               "file, or use another token (BOREALIS_TOKEN, " +
                               file + ")\n"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kBobToken)));
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>(2, "Bearer " + kBobToken));
}

TEST_F(CliAuthTest, TheEnvironmentWinsOverTheCredentialsFile) {
  write_credentials("secure " + kBobToken + "\n");
  env_.tokens.env_token = kAliceToken;
  Run r = run({"job", "killall", "secure/www-data/prod/hello"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("www-data-prod-hello-0-x"));
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>(2, "Bearer " + kAliceToken));
}

TEST_F(CliAuthTest, ClustersJsonPicksTheCredentialsEntry) {
  write_credentials("secure " + kBobToken + "\nops " + kAliceToken + "\n");
  write_clusters(R"({"name": "secure", "scheduler_uri": ")" + server_.url() +
                 R"(", "auth": {"credentials": "ops"}})");
  Run r = run({"job", "killall", "secure/www-data/prod/hello"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>(2, "Bearer " + kAliceToken));
}

TEST_F(CliAuthTest, AuthNoneSendsNoToken) {
  env_.tokens.env_token = kAliceToken;
  write_clusters(R"({"name": "secure", "scheduler_uri": ")" + server_.url() +
                 R"(", "auth": "none"})");
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitAuth) << r.err;
  EXPECT_THAT(r.err, HasSubstr("hint: clusters.json says \"auth\": \"none\" for cluster "
                               "'secure', so no token was sent"));
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>{""});
}

TEST_F(CliAuthTest, AnOpenCredentialsFileIsRefusedBeforeAnythingIsSent) {
  write_credentials("secure " + kAliceToken + "\n", 0644);
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitFailed) << r.err;
  EXPECT_EQ(r.err, "error: credentials file '" + env_.tokens.default_file +
                       "' has mode 0644: group and others must have no access to it; run "
                       "'chmod 600 " +
                       env_.tokens.default_file + "'\n");
  EXPECT_TRUE(server_.authorizations().empty());
}

TEST_F(CliAuthTest, ABadCredentialsLineIsAnErrorNamingFileAndLine) {
  write_credentials("secure " + kAliceToken + "\nsecure\n");
  Run r = run({"job", "list", "secure"});
  EXPECT_EQ(r.code, kExitFailed) << r.err;
  EXPECT_THAT(r.err, HasSubstr("error: " + env_.tokens.default_file + ":2: expected NAME TOKEN"));
  EXPECT_TRUE(server_.authorizations().empty());
}

TEST_F(CliAuthTest, LoginChecksTheTokenThenStoresItPrivately) {
  std::vector<std::string> prompts;
  std::string typed = kAliceToken;
  env_.read_secret = [&](const std::string& prompt) -> Result<std::string> {
    prompts.push_back(prompt);
    return typed;
  };
  Run r = run({"login", "secure"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  const std::string file = env_.tokens.default_file;
  EXPECT_EQ(r.out, "Stored the token for cluster 'secure' in " + file + ":1 (entry 'secure').\n");
  EXPECT_EQ(prompts, std::vector<std::string>{"Token for cluster 'secure': "});
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(kAliceToken)));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(server_.authorizations(), std::vector<std::string>{"Bearer " + kAliceToken});

  // Later commands send it.
  Run list = run({"job", "list", "secure"});
  EXPECT_EQ(list.code, kExitOk) << list.err;
  EXPECT_EQ(server_.authorizations().back(), "Bearer " + kAliceToken);

  // A token the scheduler refuses is not stored.
  typed = std::string(64, 'c');
  Run bad = run({"login", "secure"});
  EXPECT_EQ(bad.code, kExitAuth) << bad.err;
  EXPECT_THAT(bad.err, ::testing::StartsWith("error: checking the token: the token matches no "
                                             "user\nhint: cluster 'secure' did not accept the "
                                             "token from standard input"));
  auto kept = read_credentials_file(file);
  ASSERT_TRUE(kept.ok()) << kept.status().to_string();
  EXPECT_EQ(kept->entries.at("secure").token, kAliceToken);

  typed = "not a token";
  Run malformed = run({"login", "secure"});
  EXPECT_EQ(malformed.code, kExitFailed);
  EXPECT_THAT(malformed.err, HasSubstr("error: that is not a bearer token"));
  EXPECT_THAT(malformed.err, Not(HasSubstr("not a token")));
}

TEST_F(CliAuthTest, LoginRefusesAClusterWithAuthNone) {
  write_clusters(R"({"name": "secure", "scheduler_uri": ")" + server_.url() +
                 R"(", "auth": "none"})");
  env_.read_secret = [](const std::string&) -> Result<std::string> { return kAliceToken; };
  Run r = run({"login", "secure"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_THAT(r.err, HasSubstr("error: cluster 'secure' is \"auth\": \"none\""));
}

TEST_F(CliAuthTest, HelpListsExitCode30) {
  Run r = run({"--help"});
  EXPECT_THAT(r.out, HasSubstr("30 not authenticated or\nnot authorized"));
  EXPECT_THAT(r.out, HasSubstr("BOREALIS_TOKEN or ~/.borealis/credentials"));
}

// A standby during an election: "503 NO_LEADER" for the first `no_leader_answers`
// requests, then a job list.
class ElectingStandby : public ThreadedServer {
 public:
  explicit ElectingStandby(int no_leader_answers) : left_(no_leader_answers) {
    auto route = [this](const std::string& path, json::value answer) {
      server_->route("GET", path, [this, answer](const net::HttpRequest&, auto respond) {
        ++requests_;
        if (left_-- > 0)
          return respond(net::HttpResponse::error(503, "NO_LEADER", "no leader is announced"));
        respond(net::HttpResponse::json(200, json::serialize(answer)));
      });
    };
    route("/api/v1/cluster", api::encode(api::ClusterInfo{"ha", "test", 0, false}));
    route("/api/v1/jobs", api::encode(api::JobList{}));
    serve();
  }
  ~ElectingStandby() { shut_down(); }
  int requests() const { return requests_; }

 private:
  std::atomic<int> left_;
  std::atomic<int> requests_{0};
};

class CliNoLeaderTest : public ::testing::Test {
 protected:
  testing::CliRun list(const ElectingStandby& standby) {
    CliEnv env;
    env.http_timeout = std::chrono::seconds(5);
    env.cluster_files = {dir_.write("clusters.json", R"([{"name": "ha", "scheduler_uri": ")" +
                                                         standby.url() + R"(", "auth": "none"}])")};
    return testing::run_captured({"job", "list", "ha"}, env);
  }
  TempDir dir_;
};

TEST_F(CliNoLeaderTest, ACommandDuringAnElectionWaitsForTheLeader) {
  ElectingStandby standby(3);
  auto r = list(standby);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(standby.requests(), 5);  // 3 refused, then the cluster's info and the list
}

TEST_F(CliNoLeaderTest, NoLeaderForLongerThanTheWaitFailsSayingSo) {
  ElectingStandby standby(1000);
  auto began = std::chrono::steady_clock::now();
  auto r = list(standby);
  EXPECT_NE(r.code, 0);
  EXPECT_THAT(r.err, HasSubstr("no leader is announced"));
  EXPECT_GE(std::chrono::steady_clock::now() - began, kNoLeaderWait);
  EXPECT_LT(standby.requests(), 40);  // every 250 ms, not a busy loop
}

// Against the real in-process scheduler, through the recording proxy (which forwards the
// header): every request of a create with its wait, a status, an update, lists and a kill
// carries the token.
using CliTokenTest = testing::CliTest;

TEST_F(CliTokenTest, EveryRequestCarriesTheToken) {
  env_.tokens.env_token = kAliceToken;
  run_ok({"job", "create", testing::kHelloKey, hello_file_, "--wait-until", "RUNNING"});
  run_ok({"job", "status", testing::kHelloKey});
  run_ok({"update", "start", testing::kHelloKey, hello_file_});
  run_ok({"job", "list", "devcluster"});
  run_ok({"cluster", "agents", "devcluster"});
  run_ok({"job", "killall", testing::kHelloKey});
  auto requests = proxy_->requests();
  EXPECT_GE(requests.size(), 10u);
  for (const auto& r : requests)
    EXPECT_EQ(r.authorization, "Bearer " + kAliceToken) << r.method << " " << r.path;
}

}  // namespace
}  // namespace borealis::cli
