#include "common/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace borealis {
namespace {

TEST(ParallelForTest, CallsEveryPartOnce) {
  std::vector<std::atomic<int>> calls(1000);
  parallel_for(
      calls.size(), [&](size_t i) { ++calls[i]; }, 4);
  for (size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i].load(), 1) << "part " << i;
}

TEST(ParallelForTest, RunsPartsOnSeveralThreads) {
  std::mutex mu;
  std::set<std::thread::id> seen;
  std::atomic<int> waiting{0};
  // Each of the first two parts waits until the other has started: with one thread this
  // would never end, so the test would time out rather than pass.
  parallel_for(
      2,
      [&](size_t) {
        {
          std::lock_guard lock(mu);
          seen.insert(std::this_thread::get_id());
        }
        ++waiting;
        while (waiting.load() < 2) std::this_thread::yield();
      },
      2);
  EXPECT_EQ(seen.size(), 2u);
}

TEST(ParallelForTest, NoPartsAndOnePartAtATimeOnOneThread) {
  int calls = 0;
  parallel_for(0, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  std::vector<size_t> order;
  parallel_for(
      5, [&](size_t i) { order.push_back(i); }, 1);  // this thread, in order
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace borealis
