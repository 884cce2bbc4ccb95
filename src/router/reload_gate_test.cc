#include "router/reload_gate.h"

#include <gtest/gtest.h>

namespace borealis::router {
namespace {

TEST(ReloadGate, ReloadsAtMostOncePerIntervalAndCoalescesRequests) {
  FakeMonoClock clock;
  ReloadGate gate(clock, 1000);
  EXPECT_EQ(gate.wait_ms(), std::nullopt);
  gate.request();
  EXPECT_EQ(gate.wait_ms(), 0);  // the first reload runs at once
  gate.reloaded();
  EXPECT_EQ(gate.wait_ms(), std::nullopt);
  clock.advance_ms(300);
  gate.request();
  gate.request();  // coalesced with the previous one
  EXPECT_EQ(gate.wait_ms(), 700);
  clock.advance_ms(699);
  EXPECT_EQ(gate.wait_ms(), 1);
  clock.advance_ms(1);
  EXPECT_EQ(gate.wait_ms(), 0);
  gate.reloaded();
  EXPECT_FALSE(gate.pending());
}

}  // namespace
}  // namespace borealis::router
