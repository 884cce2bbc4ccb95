// LeaderWatch against a real ZooKeeper: a leader change is seen at once through the child
// watch (no polling: the reads stay few while nothing changes), a path that appears later
// is found, the watch keeps working after a forced session expiry and after a ZooKeeper
// restart, and a ZooKeeper down at start is waited for.
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/serverset.h"
#include "discovery/leader_watch.h"
#include "discovery/testing/zk_server.h"

namespace borealis::discovery {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;
namespace asio = boost::asio;

constexpr milliseconds kRetryDelay{300};

using testing::server;

std::string member_json(const std::string& host, int port) {
  api::ServersetMember m;
  m.service_endpoint = {host, port};
  return boost::json::serialize(api::encode(m));
}

// Persistent members, so a server restart or an expiry in the test keeps them.
void announce(zk::Session& w, const std::string& dir, int sequence, const std::string& host) {
  char name[32];
  std::snprintf(name, sizeof name, "/member_%010d", sequence);
  ASSERT_TRUE(w.create(dir + name, member_json(host, 8081), zk::NodeKind::kPersistent).ok());
}
void withdraw(zk::Session& w, const std::string& dir, int sequence) {
  char name[32];
  std::snprintf(name, sizeof name, "/member_%010d", sequence);
  ASSERT_TRUE(w.remove(dir + name).ok());
}

// The owner: its loop, its session and the watch, recording every read's result.
class WatchingOwner {
 public:
  explicit WatchingOwner(const std::string& path) : work_(io_.get_executor()), recorder_(loop_) {
    auto on_state = recorder_.on_state();
    auto started = zk::Session::start(
        zk::testing::options_for(server().connect_string()),
        [this](std::function<void()> task) { asio::post(io_, std::move(task)); },
        [this, on_state](const zk::SessionState& s) {
          on_state(s);
          watch_->on_state(s);
        });
    EXPECT_TRUE(started.ok()) << started.status().to_string();
    session_ = std::move(started).value();
    watch_ = std::make_unique<LeaderWatch>(io_, *session_, path, kRetryDelay,
                                           [this](const Result<std::string>& r) { seen(r); });
    asio::post(io_, [this] { watch_->start(); });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~WatchingOwner() {
    work_.reset();
    io_.stop();
    thread_.join();
    watch_.reset();
    session_.reset();
  }

  // Waits until a read found `url` ("" = NOT_FOUND); how long it took.
  std::optional<milliseconds> wait_for(const std::string& url,
                                       milliseconds timeout = std::chrono::seconds(10)) {
    const auto start = Steady::now();
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return last_ == url; })) {
      ADD_FAILURE() << "waited for '" << url << "', last read: '" << last_ << "'";
      return std::nullopt;
    }
    return std::chrono::duration_cast<milliseconds>(Steady::now() - start);
  }
  uint64_t reads() const { return watch_->reads(); }
  zk::Session& session() { return *session_; }
  zk::testing::Recorder& recorder() { return recorder_; }

 private:
  void seen(const Result<std::string>& r) {
    std::lock_guard lock(mu_);
    if (r.ok())
      last_ = *r;
    else if (r.status().code() == StatusCode::kNotFound)
      last_ = "";
    else
      last_ = "error: " + r.status().message();
    cv_.notify_all();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  zk::testing::OwnerLoop loop_;  // only for the Recorder's thread check
  zk::testing::Recorder recorder_;
  std::unique_ptr<zk::Session> session_;
  std::unique_ptr<LeaderWatch> watch_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string last_ = "not read";
};

// The owner's reads after three retry delays with nothing else happening here: a poll
// would have read meanwhile, a watch does not.
uint64_t reads_after_a_quiet_while(WatchingOwner& owner) {
  std::this_thread::sleep_for(3 * kRetryDelay);
  return owner.reads();
}

// A watch on `dir`, where a.example leads (member 1), once it has read that.
std::unique_ptr<WatchingOwner> watching_leader_a(zk::Session& w, const std::string& dir) {
  announce(w, dir, 1, "a.example");
  auto owner = std::make_unique<WatchingOwner>(dir);
  EXPECT_TRUE(owner->wait_for("http://a.example:8081"));
  return owner;
}

TEST(LeaderWatchZkTest, SeesALeaderChangeAtOnceWithoutPolling) {
  auto w = testing::connected_session();
  const std::string dir = "/leaderwatch/change/scheduler";
  auto watching = watching_leader_a(*w, dir);
  WatchingOwner& owner = *watching;

  // Nothing changes: no reads (a poll would read every few hundred ms).
  const uint64_t idle_reads = owner.reads();
  EXPECT_EQ(reads_after_a_quiet_while(owner), idle_reads);

  // The leader goes and another announces itself: each change is one watch event.
  withdraw(*w, dir, 1);
  ASSERT_TRUE(owner.wait_for(""));
  announce(*w, dir, 2, "b.example");
  auto took = owner.wait_for("http://b.example:8081");
  ASSERT_TRUE(took);
  EXPECT_LT(*took, milliseconds(1000));
  EXPECT_LE(reads_after_a_quiet_while(owner), idle_reads + 2);
}

TEST(LeaderWatchZkTest, APathThatAppearsLaterIsFound) {
  WatchingOwner owner("/leaderwatch/later/scheduler");
  ASSERT_TRUE(owner.wait_for(""));  // no such node yet
  auto w = testing::connected_session();
  announce(*w, "/leaderwatch/later/scheduler", 1, "a.example");
  ASSERT_TRUE(owner.wait_for("http://a.example:8081"));
  // Found and watched: the retries stop.
  const uint64_t reads = owner.reads();
  EXPECT_EQ(reads_after_a_quiet_while(owner), reads);
}

TEST(LeaderWatchZkTest, ANewSessionAfterAnExpiryReadsAndWatchesAgain) {
  auto w = testing::connected_session();
  const std::string dir = "/leaderwatch/expiry/scheduler";
  auto watching = watching_leader_a(*w, dir);
  WatchingOwner& owner = *watching;
  const uint64_t before = owner.reads();
  zk::testing::expire_session(server().connect_string(), owner.session(), owner.recorder());
  ASSERT_TRUE(owner.recorder().wait_state(zk::SessionEvent::kConnected, 2, true));
  // The new session's kConnected read again...
  const auto deadline = Steady::now() + std::chrono::seconds(5);
  while (owner.reads() == before && Steady::now() < deadline)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_GT(owner.reads(), before);
  // ...and set a watch of that session.
  withdraw(*w, dir, 1);
  announce(*w, dir, 2, "b.example");
  auto took = owner.wait_for("http://b.example:8081");
  ASSERT_TRUE(took);
  EXPECT_LT(*took, milliseconds(1000));
}

TEST(LeaderWatchZkTest, KeepsWatchingAcrossAZookeeperRestart) {
  const std::string dir = "/leaderwatch/restart/scheduler";
  auto w = testing::connected_session();
  auto watching = watching_leader_a(*w, dir);
  WatchingOwner& owner = *watching;
  server().stop();
  ASSERT_TRUE(server().restart().ok());
  w = testing::connected_session();
  withdraw(*w, dir, 1);
  announce(*w, dir, 2, "b.example");
  // The session reconnected (or expired and a new one read again): the change is seen.
  auto took = owner.wait_for("http://b.example:8081", std::chrono::seconds(15));
  ASSERT_TRUE(took);
}

TEST(LeaderWatchZkTest, ZookeeperDownAtStartIsWaitedFor) {
  const std::string dir = "/leaderwatch/down/scheduler";
  {
    auto w = testing::connected_session();
    announce(*w, dir, 1, "a.example");
  }
  server().stop();
  WatchingOwner owner(dir);
  EXPECT_EQ(reads_after_a_quiet_while(owner),
            0u);  // nothing to read from; the session keeps trying
  ASSERT_TRUE(server().restart().ok());
  ASSERT_TRUE(owner.wait_for("http://a.example:8081", std::chrono::seconds(15)));
}

}  // namespace
}  // namespace borealis::discovery
