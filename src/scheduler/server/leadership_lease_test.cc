#include "scheduler/server/leadership_lease.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "scheduler/server/fenced_store.h"

namespace borealis::scheduler {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using Clock = LeadershipLease::Clock;

TEST(LeadershipLeaseTest, UnconfirmedWaitsThenFails) {
  LeadershipLease lease(milliseconds(1000));
  auto began = Clock::now();
  Status st = lease.await_valid(milliseconds(50));
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_THAT(st.message(), HasSubstr("fenced: ZooKeeper has not confirmed"));
  EXPECT_GE(Clock::now() - began, milliseconds(50));
}

TEST(LeadershipLeaseTest, ValidForItsValidityFromTheConfirmingRequest) {
  LeadershipLease lease(milliseconds(1000));
  lease.confirm(Clock::now());
  EXPECT_TRUE(lease.await_valid(milliseconds(0)).ok());
  // A confirmation sent long ago (a pause since) proves nothing now.
  LeadershipLease stale(milliseconds(1000));
  stale.confirm(Clock::now() - milliseconds(1500));
  EXPECT_EQ(stale.await_valid(milliseconds(0)).code(), StatusCode::kUnavailable);
}

TEST(LeadershipLeaseTest, AWaitingWriteGoesOnOnceConfirmed) {
  LeadershipLease lease(milliseconds(1000));
  std::thread confirmer([&] {
    std::this_thread::sleep_for(milliseconds(30));
    lease.confirm(Clock::now());
  });
  EXPECT_TRUE(lease.await_valid(milliseconds(5000)).ok());
  confirmer.join();
}

TEST(LeadershipLeaseTest, LostIsForGood) {
  LeadershipLease lease(milliseconds(1000));
  lease.confirm(Clock::now());
  lease.lose("its ZooKeeper session expired");
  lease.confirm(Clock::now());
  Status st = lease.await_valid(milliseconds(1000));
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "fenced: this scheduler lost its leadership: its ZooKeeper session expired");
  EXPECT_TRUE(lease.lost());
}

// Counts the writes that reach it.
class CountingStore : public Store {
 public:
  Result<StoredState> load() override { return StoredState{}; }
  Status apply(const std::vector<const StoreBatch*>&) override {
    ++applied;
    return Status();
  }
  std::string describe() const override { return "counting"; }
  Result<uint64_t> claim_epoch() override { return uint64_t{1}; }
  int applied = 0;
};

TEST(FencedStoreTest, WritesOnlyUnderAValidLease) {
  CountingStore rows;
  LeadershipLease lease(milliseconds(1000));
  FencedStore store(rows, lease, milliseconds(20));
  StoreBatch batch;
  batch.generation = 1;
  EXPECT_EQ(store.apply({&batch}).code(), StatusCode::kUnavailable);
  lease.confirm(Clock::now());
  EXPECT_TRUE(store.apply({&batch}).ok());
  lease.lose("its candidate node was deleted");
  EXPECT_EQ(store.apply({&batch}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rows.applied, 1);
}

}  // namespace
}  // namespace borealis::scheduler
