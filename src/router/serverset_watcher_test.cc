// ServersetWatcher against a real ZooKeeper (Debian's, started by the zk testing fixture on
// a port of 30980-30999): members written as Aurora's announcer writes them are reported,
// invalid ones left out, a ServerSet that appears late is found, and every change is seen.
#include "router/serverset_watcher.h"

#include <gtest/gtest.h>

#include <mutex>

#include "testing/wait_until.h"
#include "zk/testing/zk_test_util.h"

namespace borealis::router {
namespace {

using borealis::testing::wait_until;

constexpr uint16_t kFirstPort = 30980, kLastPort = 30999;

zk::testing::ZookeeperServer& server() {
  static std::unique_ptr<zk::testing::ZookeeperServer> s = [] {
    Status last = Status::ok_status();
    for (uint16_t port = kFirstPort; port <= kLastPort; ++port) {
      auto started = zk::testing::ZookeeperServer::start({.port = port});
      if (started.ok()) return std::move(started).value();
      last = started.status();
    }
    ADD_FAILURE() << "no ZooKeeper on ports 30980-30999: " << last.to_string();
    std::abort();
  }();
  return *s;
}

std::string member(int port, const char* status = "ALIVE") {
  return R"({"serviceEndpoint": {"host": "127.0.0.1", "port": )" + std::to_string(port) +
         R"(}, "additionalEndpoints": {}, "status": ")" + status + R"(", "shard": 0})";
}

class ServersetWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = zk::Session::start(zk::testing::options_for(server().connect_string()),
                                loop_.executor(), [](const zk::SessionState&) {});
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    session_ = std::move(s).value();
    ASSERT_TRUE(session_->wait_connected(std::chrono::seconds(10)).ok());
    path_ = std::string("/") + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
            "/serverset";
    watcher_ = std::make_unique<ServersetWatcher>(*session_, path_, "", [this](auto servers) {
      std::lock_guard lock(mu_);
      reported_ = std::move(servers);
      ++reports_;
    });
  }
  void TearDown() override {
    on_loop([this] { watcher_.reset(); });
    session_.reset();
  }
  // Runs `f` on the owner's loop (where the watcher lives) and waits for it.
  void on_loop(std::function<void()> f) {
    std::mutex m;
    bool done = false;
    loop_.executor()([&] {
      f();
      std::lock_guard lock(m);
      done = true;
    });
    ASSERT_TRUE(wait_until([&] {
      std::lock_guard lock(m);
      return done;
    }));
  }
  bool reported(const std::vector<Server>& expected) {
    return wait_until([&] {
      std::lock_guard lock(mu_);
      return reported_ == expected;
    });
  }
  std::string announce(const std::string& data) {
    auto created = session_->create(path_ + "/member_", data, zk::NodeKind::kEphemeralSequential);
    EXPECT_TRUE(created.ok()) << created.status().to_string();
    return created.ok() ? *created : "";
  }

  zk::testing::OwnerLoop loop_;
  std::unique_ptr<zk::Session> session_;
  std::string path_;
  std::unique_ptr<ServersetWatcher> watcher_;
  std::mutex mu_;
  std::vector<Server> reported_;
  int reports_ = 0;
};

TEST_F(ServersetWatcherTest, FindsALateServerSetAndLeavesOutInvalidMembers) {
  on_loop([this] { watcher_->restart(); });
  EXPECT_EQ(reports_, 0);  // nothing there yet
  announce(member(31001));
  announce("not json");
  announce(member(31002, "DEAD"));
  ASSERT_TRUE(
      session_->create(path_ + "/not_a_member", member(31003), zk::NodeKind::kEphemeral).ok());
  on_loop([this] { watcher_->poll(); });  // the router polls a missing ServerSet each second
  EXPECT_TRUE(reported({{"127.0.0.1", 31001}}));
}

TEST_F(ServersetWatcherTest, SeesMembersComeChangeAndGo) {
  announce(member(31001));
  on_loop([this] { watcher_->restart(); });
  ASSERT_TRUE(reported({{"127.0.0.1", 31001}}));
  std::string second = announce(member(31002));
  EXPECT_TRUE(reported({{"127.0.0.1", 31001}, {"127.0.0.1", 31002}}));
  ASSERT_TRUE(session_->set(second, member(31005)).ok());
  EXPECT_TRUE(reported({{"127.0.0.1", 31001}, {"127.0.0.1", 31005}}));
  ASSERT_TRUE(session_->remove(second).ok());
  EXPECT_TRUE(reported({{"127.0.0.1", 31001}}));
}

}  // namespace
}  // namespace borealis::router
