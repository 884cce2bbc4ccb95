#include "discovery/announcer.h"

#include <gtest/gtest.h>

#include <future>

#include "discovery/testing/fake_member_store.h"

namespace borealis::discovery {
namespace {

using std::chrono::milliseconds;
using testing::FakeStore;

Member member(const std::string& data) { return {"/aurora/r/e/j", data}; }

std::vector<std::string> datas(const FakeStore& store) {
  std::vector<std::string> out;
  for (const auto& [path, data] : store.nodes()) out.push_back(data);
  std::sort(out.begin(), out.end());
  return out;
}

constexpr milliseconds kWait{5000};
const AnnouncerOptions kFastRetry{milliseconds(5), milliseconds(20)};

// t0 announces "zero" and t1 "one"; true once both are in ZooKeeper.
bool join_two(Announcer& a) {
  a.join("t0", member("zero"));
  a.join("t1", member("one"));
  return a.wait_idle(kWait);
}

TEST(Announcer, JoinCreatesOneMemberAndLeaveRemovesIt) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  ASSERT_TRUE(join_two(a));
  EXPECT_EQ(datas(store), (std::vector<std::string>{"one", "zero"}));
  for (const auto& [path, data] : store.nodes())
    EXPECT_EQ(path.rfind("/aurora/r/e/j/member_", 0), 0u);

  std::promise<void> gone;
  a.leave("t0", [&] { gone.set_value(); });
  ASSERT_EQ(gone.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(datas(store), std::vector<std::string>{"one"});
  EXPECT_EQ(a.stats().members, 1u);
}

TEST(Announcer, LeaveWithNothingAnnouncedCompletesAtOnce) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  bool done = false;
  a.leave("never-joined", [&] { done = true; });
  EXPECT_TRUE(done);
}

TEST(Announcer, ChangedDataReplacesTheMember) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  a.join("t0", member("old"));
  ASSERT_TRUE(a.wait_idle(kWait));
  a.join("t0", member("new"));
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(datas(store), std::vector<std::string>{"new"});
}

TEST(Announcer, FlappingTaskCoalescesToItsLatestState) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  store.hold_creates(true);
  a.join("t0", member("first"));
  while (store.create_calls == 0) std::this_thread::yield();  // the worker is stuck in create
  for (int i = 0; i < 1000; ++i) {
    a.leave("t0");
    a.join("t0", member("v" + std::to_string(i)));
  }
  store.hold_creates(false);
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(datas(store), std::vector<std::string>{"v999"});
  // The create in flight, its removal, and one create of the latest wish.
  EXPECT_EQ(store.create_calls, 2);
  EXPECT_EQ(a.stats().removes, 1u);
}

TEST(Announcer, LeaveDuringCreateRemovesTheMemberAndThenCompletes) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  store.hold_creates(true);
  a.join("t0", member("x"));
  while (store.create_calls == 0) std::this_thread::yield();
  std::promise<void> gone;
  a.leave("t0", [&] { gone.set_value(); });
  auto done = gone.get_future();
  EXPECT_EQ(done.wait_for(milliseconds(50)), std::future_status::timeout);
  store.hold_creates(false);
  ASSERT_EQ(done.wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(store.nodes().empty());
}

TEST(Announcer, NewSessionRecreatesWhatExpired) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  ASSERT_TRUE(join_two(a));
  store.expire();
  EXPECT_TRUE(store.nodes().empty());
  a.session_started();
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(datas(store), (std::vector<std::string>{"one", "zero"}));
  EXPECT_EQ(a.stats().creates, 4u);
}

TEST(Announcer, NewSessionKeepsMembersItAlreadyOwns) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  ASSERT_TRUE(a.wait_idle(kWait));
  a.session_started();  // e.g. a create raced the new session's start
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(store.nodes().size(), 1u);
  EXPECT_EQ(a.stats().creates, 1u);
}

TEST(Announcer, ZooKeeperDownNeverBlocksCallersAndRetriesUntilUp) {
  FakeStore store;
  store.set_down(true);
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  a.join("t1", member("one"));
  EXPECT_FALSE(a.wait_idle(milliseconds(100)));
  EXPECT_GE(a.stats().failures, 2u);
  // Its create may have reached the server before the connection went: the leave waits for
  // one look, and that look failing (ZooKeeper still down) is enough.
  std::promise<void> left;
  a.leave("t1", [&] { left.set_value(); });
  ASSERT_EQ(left.get_future().wait_for(kWait), std::future_status::ready);
  store.set_down(false);
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(datas(store), std::vector<std::string>{"zero"});
}

TEST(Announcer, FailedRemoveCompletesLeaveAndIsRetried) {
  FakeStore store;
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  ASSERT_TRUE(a.wait_idle(kWait));
  store.set_down(true);
  std::promise<void> gone;
  a.leave("t0", [&] { gone.set_value(); });
  // A kill waits for one attempt, not for ZooKeeper to come back.
  ASSERT_EQ(gone.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(store.nodes().size(), 1u);
  store.set_down(false);
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_TRUE(store.nodes().empty());
}

TEST(Announcer, LeaveDuringARefusedCreateCompletes) {
  FakeStore store;
  store.refuse_creates();
  store.hold_creates(true);
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  while (store.create_calls == 0) std::this_thread::yield();
  std::promise<void> left;
  a.leave("t0", [&] { left.set_value(); });
  store.hold_creates(false);
  ASSERT_EQ(left.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(a.wait_idle(kWait));
  EXPECT_TRUE(store.nodes().empty());
}

TEST(Announcer, CreateWhoseAnswerWasLostIsAdoptedNotDuplicated) {
  FakeStore store;
  store.lose_create_replies(1);
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_EQ(datas(store), std::vector<std::string>{"zero"});
  EXPECT_EQ(store.create_calls, 1);
  EXPECT_EQ(a.stats().members, 1u);
  // And it is the member that goes when the task leaves.
  a.leave("t0");
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_TRUE(store.nodes().empty());
}

TEST(Announcer, LostCreateOfATaskThatLeftIsRemoved) {
  FakeStore store;
  store.lose_create_replies(1);
  store.hold_creates(true);
  Announcer a(store, kFastRetry);
  a.join("t0", member("zero"));
  while (store.create_calls == 0) std::this_thread::yield();
  bool left = false;
  a.leave("t0", [&] { left = true; });
  store.hold_creates(false);
  ASSERT_TRUE(a.wait_idle(kWait));
  EXPECT_TRUE(left);
  EXPECT_TRUE(store.nodes().empty());
}

}  // namespace
}  // namespace borealis::discovery
