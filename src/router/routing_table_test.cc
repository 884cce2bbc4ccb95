#include "router/routing_table.h"

#include <gtest/gtest.h>

namespace borealis::router {
namespace {

ServiceConfig service(int slots, bool keep_last_known = true) {
  ServiceConfig s;
  s.name = "web";
  s.serverset = "/aurora/r/prod/web";
  s.port = 32100;
  s.slots = slots;
  s.keep_last_known = keep_last_known;
  return s;
}

Server at(int port) { return {"10.0.0.1", port}; }

TEST(RoutingTable, NewMembersGoToFreeSlotsThroughTheRuntimeApi) {
  std::vector<ServiceConfig> services = {service(4)};
  RoutingTable table(services);
  Change c = table.update("web", {at(81), at(80)});
  EXPECT_FALSE(c.reload_needed);
  EXPECT_EQ(c.commands, (std::vector<std::string>{
                            "set server web/s1 addr 10.0.0.1 port 80",
                            "set server web/s1 state ready",
                            "set server web/s2 addr 10.0.0.1 port 81",
                            "set server web/s2 state ready",
                        }));
}

TEST(RoutingTable, AMemberThatStaysKeepsItsSlot) {
  std::vector<ServiceConfig> services = {service(4)};
  RoutingTable table(services);
  table.update("web", {at(80), at(81), at(82)});
  // 80 goes, 83 comes: 81 and 82 stay where they were; 83 takes the slot that was free.
  Change c = table.update("web", {at(83), at(82), at(81)});
  const Slots& slots = table.slots().at("web");
  EXPECT_EQ(slots[1], at(81));
  EXPECT_EQ(slots[2], at(82));
  EXPECT_EQ(slots[3], at(83));
  EXPECT_FALSE(slots[0].has_value());
  EXPECT_EQ(c.commands, (std::vector<std::string>{
                            "set server web/s4 addr 10.0.0.1 port 83",
                            "set server web/s4 state ready",
                            "set server web/s1 state maint",
                        }));
  // The same members again: nothing to do.
  EXPECT_TRUE(table.update("web", {at(81), at(82), at(83)}).commands.empty());
}

TEST(RoutingTable, AGoneMemberIsPutInMaintenanceAfterTheNewOnesAreReady) {
  std::vector<ServiceConfig> services = {service(2)};
  RoutingTable table(services);
  table.update("web", {at(80)});
  Change c = table.update("web", {at(81)});
  EXPECT_EQ(c.commands, (std::vector<std::string>{
                            "set server web/s2 addr 10.0.0.1 port 81",
                            "set server web/s2 state ready",
                            "set server web/s1 state maint",
                        }));
  EXPECT_FALSE(c.reload_needed);
}

TEST(RoutingTable, AFullBackendRepointsAGoneMembersSlotInsteadOfGrowing) {
  std::vector<ServiceConfig> services = {service(1)};
  RoutingTable table(services);
  table.update("web", {at(80)});
  Change c = table.update("web", {at(81)});
  EXPECT_FALSE(c.reload_needed);
  EXPECT_EQ(c.commands, (std::vector<std::string>{
                            "set server web/s1 addr 10.0.0.1 port 81",
                            "set server web/s1 state ready",
                        }));
}

TEST(RoutingTable, OutgrowingTheSlotsDoublesThemAndNeedsAReload) {
  std::vector<ServiceConfig> services = {service(2)};
  RoutingTable table(services);
  table.update("web", {at(80), at(81)});
  Change c = table.update("web", {at(80), at(81), at(82)});
  EXPECT_TRUE(c.reload_needed);
  EXPECT_TRUE(c.commands.empty());  // the new slot exists only after the reload
  const Slots& slots = table.slots().at("web");
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[2], at(82));
  // Growing twice in one update keeps every member in its own slot.
  Change twice = table.update("web", {at(80), at(81), at(82), at(83), at(84), at(85)});
  EXPECT_TRUE(twice.reload_needed);
  ASSERT_EQ(table.slots().at("web").size(), 8u);
  EXPECT_EQ(table.slots().at("web")[5], at(85));
}

TEST(RoutingTable, AnEmptiedServerSetKeepsItsLastServers) {
  std::vector<ServiceConfig> services = {service(2)};
  RoutingTable table(services);
  table.update("web", {at(80)});
  Change c = table.update("web", {});
  EXPECT_TRUE(c.commands.empty());
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("keeping its last 1 known servers"), std::string::npos);
  EXPECT_EQ(table.slots().at("web")[0], at(80));
}

TEST(RoutingTable, WithoutKeepLastKnownAnEmptiedServerSetEmptiesTheBackend) {
  std::vector<ServiceConfig> services = {service(2, false)};
  RoutingTable table(services);
  table.update("web", {at(80)});
  Change c = table.update("web", {});
  EXPECT_EQ(c.commands, std::vector<std::string>{"set server web/s1 state maint"});
  EXPECT_FALSE(table.slots().at("web")[0].has_value());
}

TEST(RoutingTable, DuplicateMembersTakeOneSlot) {
  std::vector<ServiceConfig> services = {service(2)};
  RoutingTable table(services);
  table.update("web", {at(80), at(80)});
  EXPECT_FALSE(table.slots().at("web")[1].has_value());
}

}  // namespace
}  // namespace borealis::router
