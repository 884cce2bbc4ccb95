// A session that ZooKeeper expires: the owner hears kExpired, the Session makes a new
// session by itself, and the owner re-creates its ephemeral node on kConnected/new_session.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "zk/session.h"
#include "zk/testing/zk_test_util.h"

namespace borealis::zk {
namespace {

using testing::expire_session;
using testing::options_for;
using testing::OwnerLoop;
using testing::Recorder;
using testing::shared_server;

TEST(SessionExpiryTest, NewSessionAfterExpiryAndTheOwnerRecreatesItsMember) {
  OwnerLoop loop;
  Recorder recorder(loop);
  Recorder observer_recorder(loop);
  const std::string connect = shared_server().connect_string();
  auto observer =
      Session::start(options_for(connect), loop.executor(), observer_recorder.on_state());
  ASSERT_TRUE(observer.ok());
  ASSERT_TRUE((*observer)->wait_connected(std::chrono::seconds(10)).ok());

  auto started = Session::start(options_for(connect, DigestCredential{"announcer", "pw"}),
                                loop.executor(), recorder.on_state());
  ASSERT_TRUE(started.ok()) << started.status().to_string();
  Session& s = **started;
  ASSERT_TRUE(s.wait_connected(std::chrono::seconds(10)).ok());
  ASSERT_TRUE(recorder.wait_state(SessionEvent::kConnected, 1, /*new_session=*/true));
  const int64_t first_id = s.session_id();

  const std::string dir = "/expiry/job";
  Result<std::string> member = s.create(dir + "/member_", "{}", NodeKind::kEphemeralSequential);
  ASSERT_TRUE(member.ok()) << member.status().to_string();
  ASSERT_TRUE(s.watch_children(dir, recorder.on_watch()).ok());

  ASSERT_EQ(s.session_credentials().first, first_id);
  expire_session(connect, s, recorder);
  ASSERT_TRUE(recorder.wait_state(SessionEvent::kConnected, 2, /*new_session=*/true));
  EXPECT_NE(s.session_id(), first_id);
  EXPECT_NE(s.session_id(), 0);
  // The watch set by the expired session ends exactly once: with kSessionLost when the
  // handle went before the server's event reached it, else with that event.
  ASSERT_TRUE(recorder.wait_watch_count(1));
  std::vector<WatchEvent> ended = recorder.watches();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_TRUE(ended[0].kind == WatchEvent::Kind::kSessionLost ||
              ended[0].kind == WatchEvent::Kind::kChildrenChanged)
      << static_cast<int>(ended[0].kind);

  Result<std::optional<NodeStat>> old_member = (*observer)->exists(*member);
  ASSERT_TRUE(old_member.ok());
  EXPECT_FALSE(old_member->has_value()) << "the expired session's ephemeral node survived";

  // What an announcer does on kConnected/new_session: join again. The credential came
  // back with the new session, so the creator-only parent still accepts it.
  Result<std::string> again = s.create(dir + "/member_", "{}", NodeKind::kEphemeralSequential);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  Result<std::optional<NodeStat>> new_member = (*observer)->exists(*again);
  ASSERT_TRUE(new_member.ok() && new_member->has_value());
  EXPECT_EQ((*new_member)->ephemeral_owner, s.session_id());
  EXPECT_FALSE(recorder.any_off_loop());
}

}  // namespace
}  // namespace borealis::zk
