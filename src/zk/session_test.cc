// zk::Session against a real ZooKeeper (one server for the binary, see zk_test_util.h).
#include "zk/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "zk/testing/zk_test_util.h"

namespace borealis::zk {
namespace {

using ::testing::HasSubstr;
using testing::options_for;
using testing::OwnerLoop;
using testing::Recorder;
using testing::shared_server;

class SessionTest : public ::testing::Test {
 protected:
  // A session to the shared server, connected.
  std::unique_ptr<Session> connect(Recorder& recorder,
                                   std::optional<DigestCredential> credential = std::nullopt,
                                   size_t max_children = kDefaultMaxChildren) {
    SessionOptions options = options_for(shared_server().connect_string(), credential);
    options.max_children = max_children;
    Result<std::unique_ptr<Session>> s =
        Session::start(options, loop_.executor(), recorder.on_state());
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    if (!s.ok()) return nullptr;
    Status connected = (*s)->wait_connected(std::chrono::seconds(10));
    EXPECT_TRUE(connected.ok()) << connected.to_string();
    return std::move(s).value();
  }
  // A fresh persistent root for this test.
  std::string root() {
    return std::string("/") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  OwnerLoop loop_;
  Recorder recorder_{loop_};
};

TEST_F(SessionTest, CreateGetSetChildrenDelete) {
  auto s = connect(recorder_);
  ASSERT_TRUE(s);
  const std::string node = root() + "/a/b";
  Result<std::string> created = s->create(node, "hello", NodeKind::kPersistent);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  EXPECT_EQ(*created, node);

  Result<NodeData> got = s->get(node);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->data, "hello");
  EXPECT_EQ(got->stat.version, 0);
  EXPECT_EQ(got->stat.ephemeral_owner, 0);

  Result<NodeStat> set = s->set(node, "again", 0);
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(set->version, 1);
  Result<NodeStat> stale = s->set(node, "stale", 0);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(stale.status().message(), HasSubstr("set '" + node + "'"));

  Result<std::string> again = s->create(node, "", NodeKind::kPersistent);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);

  ASSERT_TRUE(s->create(root() + "/a/c", "", NodeKind::kPersistent).ok());
  Result<std::vector<std::string>> kids = s->children(root() + "/a");
  ASSERT_TRUE(kids.ok()) << kids.status().to_string();
  EXPECT_EQ(*kids, (std::vector<std::string>{"b", "c"}));

  Result<std::optional<NodeStat>> there = s->exists(node);
  ASSERT_TRUE(there.ok());
  EXPECT_TRUE(there->has_value());

  EXPECT_EQ(s->remove(root() + "/a").code(), StatusCode::kFailedPrecondition);  // not empty
  EXPECT_EQ(s->remove(node, 0).code(), StatusCode::kFailedPrecondition);        // old version
  ASSERT_TRUE(s->remove(node, 1).ok());
  Result<NodeData> gone = s->get(node);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(gone.status().message(), HasSubstr("get '" + node + "'"));
  Result<std::optional<NodeStat>> absent = s->exists(node);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  ASSERT_TRUE(recorder_.wait_state(SessionEvent::kConnected));
  EXPECT_FALSE(recorder_.any_off_loop());
}

TEST_F(SessionTest, RefusesBadPathsAndOversizedDataBeforeTheServer) {
  auto s = connect(recorder_);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->get("relative").status().code(), StatusCode::kInvalidArgument);
  Result<std::string> big =
      s->create(root(), std::string(kMaxDataBytes + 1, 'x'), NodeKind::kPersistent);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(big.status().message(), HasSubstr(root()));
  // The largest allowed node round-trips.
  std::string largest(kMaxDataBytes - 1024, 'y');
  ASSERT_TRUE(s->create(root(), largest, NodeKind::kPersistent).ok());
  Result<NodeData> got = s->get(root());
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->data.size(), largest.size());
}

TEST_F(SessionTest, BoundsTheChildrenList) {
  auto s = connect(recorder_, std::nullopt, /*max_children=*/2);
  ASSERT_TRUE(s);
  for (const char* name : {"/x", "/y", "/z"}) {
    ASSERT_TRUE(s->create(root() + name, "", NodeKind::kPersistent).ok());
  }
  Result<std::vector<std::string>> kids = s->children(root());
  ASSERT_FALSE(kids.ok());
  EXPECT_EQ(kids.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(kids.status().message(), HasSubstr("3 children, more than 2"));
}

TEST_F(SessionTest, EphemeralNodeGoesWithItsSession) {
  auto watcher = connect(recorder_);
  ASSERT_TRUE(watcher);
  Recorder other_recorder(loop_);
  auto owner = connect(other_recorder);
  ASSERT_TRUE(owner);
  const std::string node = root() + "/member";
  ASSERT_TRUE(owner->create(node, "{}", NodeKind::kEphemeral).ok());
  Result<std::optional<NodeStat>> seen = watcher->exists(node);
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ((*seen)->ephemeral_owner, owner->session_id());

  owner.reset();  // closes the session: the server deletes its ephemerals at once
  Result<std::optional<NodeStat>> after = watcher->exists(node);
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_FALSE(after->has_value());
}

TEST_F(SessionTest, EphemeralSequentialMembersAreNumbered) {
  auto s = connect(recorder_);
  ASSERT_TRUE(s);
  const std::string prefix = root() + "/job/member_";
  Result<std::string> first = s->create(prefix, "a", NodeKind::kEphemeralSequential);
  Result<std::string> second = s->create(prefix, "b", NodeKind::kEphemeralSequential);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_EQ(*first, prefix + "0000000000");
  EXPECT_EQ(*second, prefix + "0000000001");
  Result<std::vector<std::string>> kids = s->children(root() + "/job");
  ASSERT_TRUE(kids.ok());
  ASSERT_EQ(kids->size(), 2u);
  for (const std::string& name : *kids)
    EXPECT_TRUE(std::regex_match(name, std::regex("member_\\d{10}")));
}

TEST_F(SessionTest, WatchesFireOnceOnTheOwnersLoop) {
  auto s = connect(recorder_);
  ASSERT_TRUE(s);
  const std::string dir = root() + "/set";
  ASSERT_TRUE(s->create(dir, "v0", NodeKind::kPersistent).ok());

  Result<std::vector<std::string>> kids = s->watch_children(dir, recorder_.on_watch());
  ASSERT_TRUE(kids.ok()) << kids.status().to_string();
  EXPECT_TRUE(kids->empty());
  ASSERT_TRUE(s->create(dir + "/member_", "", NodeKind::kEphemeralSequential).ok());
  ASSERT_TRUE(recorder_.wait_watch(WatchEvent::Kind::kChildrenChanged));

  Result<NodeData> data = s->watch_data(dir, recorder_.on_watch());
  ASSERT_TRUE(data.ok()) << data.status().to_string();
  EXPECT_EQ(data->data, "v0");
  ASSERT_TRUE(s->set(dir, "v1").ok());
  ASSERT_TRUE(recorder_.wait_watch(WatchEvent::Kind::kDataChanged));

  // One-shot: further changes reach no one until a new watch is set. A later watch's
  // event proves the earlier changes' events, had there been any, were delivered.
  ASSERT_TRUE(s->create(dir + "/member_", "", NodeKind::kEphemeralSequential).ok());
  ASSERT_TRUE(s->set(dir, "v2").ok());
  ASSERT_TRUE(s->create(root() + "/marker", "", NodeKind::kPersistent).ok());
  ASSERT_TRUE(s->watch_data(root() + "/marker", recorder_.on_watch()).ok());
  ASSERT_TRUE(s->remove(root() + "/marker").ok());
  ASSERT_TRUE(recorder_.wait_watch(WatchEvent::Kind::kDeleted));
  std::vector<WatchEvent> events = recorder_.watches();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].path, dir);
  EXPECT_EQ(events[1].path, dir);
  EXPECT_EQ(events[2].path, root() + "/marker");
  EXPECT_FALSE(recorder_.any_off_loop());

  // A watch on a missing node is refused and left unset.
  Result<NodeData> missing = s->watch_data(root() + "/nothing", recorder_.on_watch());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(SessionTest, DigestAuthNodesAreReadableByAllWritableByTheCreator) {
  auto alice = connect(recorder_, DigestCredential{"alice", "pw1"});
  ASSERT_TRUE(alice);
  Recorder bob_recorder(loop_);
  auto bob = connect(bob_recorder, DigestCredential{"bob", "pw2"});
  ASSERT_TRUE(bob);
  Recorder anon_recorder(loop_);
  auto anon = connect(anon_recorder);
  ASSERT_TRUE(anon);

  const std::string node = root() + "/serverset/member";
  ASSERT_TRUE(alice->create(node, "alive", NodeKind::kPersistent).ok());
  for (Session* other : {bob.get(), anon.get()}) {
    Result<NodeData> read = other->get(node);
    ASSERT_TRUE(read.ok()) << read.status().to_string();
    EXPECT_EQ(read->data, "alive");
    Result<NodeStat> write = other->set(node, "hijacked");
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(write.status().message(), HasSubstr("set '" + node + "'"));
    // The parent was made by alice too: no one else may add members under it.
    EXPECT_EQ(
        other->create(root() + "/serverset/intruder", "", NodeKind::kEphemeral).status().code(),
        StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(alice->set(node, "still alice").ok());

  // The same identity in another session may write (the ACL names the user, not the session).
  Recorder alice2_recorder(loop_);
  auto alice2 = connect(alice2_recorder, DigestCredential{"alice", "pw1"});
  ASSERT_TRUE(alice2);
  EXPECT_TRUE(alice2->set(node, "alice again").ok());

  // Without a credential nodes are open to everyone.
  ASSERT_TRUE(anon->create(root() + "_open/node", "", NodeKind::kPersistent).ok());
  EXPECT_TRUE(bob->set(root() + "_open/node", "anyone").ok());
  EXPECT_TRUE(bob->create(root() + "_open/node/child", "", NodeKind::kEphemeral).ok());
}

// One second server, for both ways a server goes away: down when the Session starts
// (the client keeps trying; kConnected when it comes), and restarted under a live session
// (kDisconnected, then the same session back with its ephemerals).
TEST_F(SessionTest, ServerDownAtStartThenRestartedKeepsTheSession) {
  Result<std::unique_ptr<testing::ZookeeperServer>> late = testing::ZookeeperServer::start();
  ASSERT_TRUE(late.ok()) << late.status().to_string();
  (*late)->stop();

  SessionOptions options = options_for((*late)->connect_string());
  options.session_timeout = std::chrono::milliseconds(2000);  // outlives a restart
  Result<std::unique_ptr<Session>> started =
      Session::start(options, loop_.executor(), recorder_.on_state());
  ASSERT_TRUE(started.ok()) << started.status().to_string();
  Session& s = **started;
  Status early = s.wait_connected(std::chrono::milliseconds(300));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.code(), StatusCode::kUnavailable);
  EXPECT_THAT(early.message(), HasSubstr((*late)->connect_string()));
  EXPECT_EQ(s.get("/").status().code(), StatusCode::kUnavailable);

  ASSERT_TRUE((*late)->restart().ok());
  std::fprintf(stderr, "ZooKeeper restarted in %lld ms\n",
               static_cast<long long>((*late)->start_time().count()));
  ASSERT_TRUE(s.wait_connected(std::chrono::seconds(15)).ok());
  ASSERT_TRUE(recorder_.wait_state(SessionEvent::kConnected, 1, /*new_session=*/true));
  const int64_t id = s.session_id();
  ASSERT_TRUE(s.create("/kept", "", NodeKind::kEphemeral).ok());

  // The server comes back with its sessions, each given a fresh timeout.
  ASSERT_TRUE((*late)->restart().ok());
  ASSERT_TRUE(recorder_.wait_state(SessionEvent::kDisconnected));
  ASSERT_TRUE(recorder_.wait_state(SessionEvent::kConnected, 1, /*new_session=*/false));
  EXPECT_EQ(s.session_id(), id);
  Result<std::optional<NodeStat>> kept = s.exists("/kept");
  ASSERT_TRUE(kept.ok()) << kept.status().to_string();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->ephemeral_owner, id);
  for (const SessionState& state : recorder_.states()) {
    EXPECT_NE(state.event, SessionEvent::kExpired);
  }
  EXPECT_FALSE(recorder_.any_off_loop());
}

}  // namespace
}  // namespace borealis::zk
