// UpdateSender following a leader: after a failed delivery it waits at most
// kLeaderRetryMax, not its configured backoff, and a new leader is tried at once.
#include <gtest/gtest.h>

#include <thread>

#include "agent/fake_scheduler.h"
#include "agent/test_util.h"
#include "agent/update_sender.h"

namespace borealis::agent {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;
using testing::FakeScheduler;

// Far above kLeaderRetryMax: a wait this long is the uncapped backoff.
constexpr int64_t kSlowBackoffMs = 8000;

struct FollowingSender {
  testing::TempDir dir;
  SchedulerAddress address{[]() -> Result<std::string> { return unavailable("not watched"); },
                           milliseconds(0)};
  Registration registration{"agent-1"};
  std::unique_ptr<UpdateSender> sender;

  explicit FollowingSender(const std::string& leader) {
    address.watched(leader);
    registration.registered("agent-1");
    auto outbox = Outbox::open(dir.path() + "/updates");
    EXPECT_TRUE(outbox.ok()) << outbox.status().to_string();
    SenderOptions options;
    options.scheduler = &address;
    options.backoff_min_ms = kSlowBackoffMs;
    options.backoff_max_ms = kSlowBackoffMs;
    options.request_timeout_ms = 2000;
    sender = std::make_unique<UpdateSender>(std::move(outbox).value(), options, registration,
                                            [](std::vector<std::string>) {});
    sender->start();
  }
  // Submits seq 1 to a scheduler that is down, and waits until the sender has failed.
  void fail_once(FakeScheduler& down) {
    down.stop();
    sender->submit({StatusUpdate{1, "t1", TaskState::kRunning, 1001, "", {}}});
    std::this_thread::sleep_for(milliseconds(300));
    EXPECT_EQ(sender->acked_seq(), 0);
  }
  // How long until `s` acknowledged seq 1.
  milliseconds delivered_to(FakeScheduler& s) {
    const auto start = Steady::now();
    while (s.acked_update_seq() < 1 && Steady::now() - start < milliseconds(3 * kSlowBackoffMs))
      std::this_thread::sleep_for(milliseconds(10));
    EXPECT_EQ(s.acked_update_seq(), 1);
    return std::chrono::duration_cast<milliseconds>(Steady::now() - start);
  }
};

TEST(UpdateSenderLeaderTest, ANewLeaderIsTriedAtOnce) {
  FakeScheduler old_leader, new_leader;
  FollowingSender f(old_leader.url());
  f.fail_once(old_leader);
  f.address.watched(new_leader.url());
  EXPECT_LT(f.delivered_to(new_leader), milliseconds(500));
}

TEST(UpdateSenderLeaderTest, TheBackoffIsCappedWhileFollowingALeader) {
  FakeScheduler leader;
  FollowingSender f(leader.url());
  f.fail_once(leader);
  leader.start();  // back, and still the leader: no move to wake the sender
  EXPECT_LT(f.delivered_to(leader), kLeaderRetryMax + milliseconds(500));
}

}  // namespace
}  // namespace borealis::agent
