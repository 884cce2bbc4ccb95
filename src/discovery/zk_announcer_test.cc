// The Announcer against a real ZooKeeper: members appear where Finagle and kazoo look for
// them, go when left, go with a closed session, and come back after a forced expiry.
#include <gtest/gtest.h>

#include <algorithm>

#include "discovery/announcer.h"
#include "discovery/testing/zk_server.h"
#include "discovery/zk_member_store.h"

namespace borealis::discovery {
namespace {

using std::chrono::milliseconds;
using zk::testing::OwnerLoop;
using zk::testing::Recorder;

using testing::server;

// A session as the agent has one: its new sessions reach the announcer.
struct AnnouncingSession {
  OwnerLoop loop;
  Recorder recorder{loop};
  std::unique_ptr<zk::Session> session;
  std::unique_ptr<ZkMemberStore> store;
  std::unique_ptr<Announcer> announcer;

  explicit AnnouncingSession(std::optional<zk::DigestCredential> credential = std::nullopt) {
    auto on_state = recorder.on_state();
    auto started = zk::Session::start(
        zk::testing::options_for(server().connect_string(), std::move(credential)), loop.executor(),
        [this, on_state](const zk::SessionState& s) {
          on_state(s);
          if (s.event == zk::SessionEvent::kConnected && s.new_session && announcer)
            announcer->session_started();
        });
    EXPECT_TRUE(started.ok()) << started.status().to_string();
    session = std::move(started).value();
    store = std::make_unique<ZkMemberStore>(*session);
    announcer =
        std::make_unique<Announcer>(*store, AnnouncerOptions{milliseconds(20), milliseconds(200)});
  }
  ~AnnouncingSession() {
    announcer.reset();
    session.reset();
  }
};

std::unique_ptr<zk::Session> reader() { return testing::connected_session(); }

// The data of the members under `dir`, sorted.
std::vector<std::string> members(zk::Session& s, const std::string& dir) {
  std::vector<std::string> out;
  auto names = s.children(dir);
  if (!names.ok()) return out;
  for (const auto& name : *names) {
    EXPECT_EQ(name.rfind("member_", 0), 0u) << name;
    if (auto node = s.get(dir + "/" + name); node.ok()) out.push_back(node->data);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ZkAnnouncerTest, MembersAppearAndGo) {
  auto r = reader();
  const std::string dir = "/aurora/www-data/prod/hello";
  {
    AnnouncingSession a;
    for (int i = 0; i < 3; ++i)
      a.announcer->join("t" + std::to_string(i), {dir, "m" + std::to_string(i)});
    ASSERT_TRUE(a.announcer->wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(members(*r, dir), (std::vector<std::string>{"m0", "m1", "m2"}));
    a.announcer->leave("t1");
    ASSERT_TRUE(a.announcer->wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(members(*r, dir), (std::vector<std::string>{"m0", "m2"}));
  }
  // The agent stops: its session closes and the server drops its members at once.
  EXPECT_TRUE(members(*r, dir).empty());
}

TEST(ZkAnnouncerTest, MembersComeBackAfterSessionExpiry) {
  auto r = reader();
  const std::string dir = "/aurora/www-data/prod/expiring";
  AnnouncingSession a(zk::DigestCredential{"agent", "secret"});
  ASSERT_TRUE(a.session->wait_connected(std::chrono::seconds(10)).ok());
  a.announcer->join("t0", {dir, "zero"});
  a.announcer->join("t1", {dir, "one"});
  ASSERT_TRUE(a.announcer->wait_idle(std::chrono::seconds(10)));
  int64_t first = a.session->session_id();

  zk::testing::expire_session(server().connect_string(), *a.session, a.recorder);
  ASSERT_TRUE(a.recorder.wait_state(zk::SessionEvent::kConnected, 2, /*new_session=*/true));
  EXPECT_NE(a.session->session_id(), first);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (members(*r, dir) != std::vector<std::string>{"one", "zero"} &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(members(*r, dir), (std::vector<std::string>{"one", "zero"}));
  // Members are the new session's; anyone may read them, only their creator delete them.
  auto names = r->children(dir);
  ASSERT_TRUE(names.ok());
  for (const auto& name : *names) {
    auto stat = r->exists(dir + "/" + name);
    ASSERT_TRUE(stat.ok() && stat->has_value());
    EXPECT_EQ((*stat)->ephemeral_owner, a.session->session_id());
    EXPECT_EQ(r->remove(dir + "/" + name).code(), StatusCode::kPermissionDenied);
  }
}

TEST(ZkAnnouncerTest, OwnedMembersFindsOnlyThisSessionsNodesWithTheData) {
  auto r = reader();
  AnnouncingSession a;
  const Member m{"/aurora/www-data/prod/lost", "{\"shard\": 0}"};
  EXPECT_TRUE(a.store->owned_members(m)->empty());  // no ServerSet node yet
  auto mine = a.store->create_member(m);
  ASSERT_TRUE(mine.ok()) << mine.status().to_string();
  ZkMemberStore theirs_store(*r);
  ASSERT_TRUE(theirs_store.create_member(m).ok());                      // another session's
  ASSERT_TRUE(a.store->create_member({m.dir, "{\"shard\": 1}"}).ok());  // other data
  auto found = a.store->owned_members(m);
  ASSERT_TRUE(found.ok()) << found.status().to_string();
  EXPECT_EQ(*found, std::vector<std::string>{*mine});
}

}  // namespace
}  // namespace borealis::discovery
