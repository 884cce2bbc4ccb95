#include "metrics/opentsdb.h"

#include <gtest/gtest.h>

#include <cmath>

namespace borealis::metrics {
namespace {

OpenTsdbPoint point(std::string metric, double value, std::string instance = "0") {
  return {std::move(metric),
          1700000000,
          value,
          {{"role", "www"}, {"environment", "prod"}, {"job", "hello"}, {"instance", instance}}};
}

TEST(OpenTsdbTest, APointIsWrittenAsThePutApiAsks) {
  auto bodies = opentsdb_put_bodies({point("borealis.task.memory_bytes", 1048576)}, 50);
  EXPECT_EQ(bodies, std::vector<std::string>{
                        R"([{"metric":"borealis.task.memory_bytes","timestamp":1700000000,)"
                        R"("value":1048576,"tags":{"environment":"prod","instance":"0",)"
                        R"("job":"hello","role":"www"}}])"});
}

TEST(OpenTsdbTest, FractionsStayFractions) {
  auto bodies = opentsdb_put_bodies({point("borealis.task.cpu_seconds", 0.25)}, 50);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_NE(bodies[0].find(R"("value":2.5E-1,)"), std::string::npos) << bodies[0];
}

TEST(OpenTsdbTest, TextOutsideTheAllowedCharactersIsReplaced) {
  EXPECT_EQ(opentsdb_text("www-data/prod_1.x"), "www-data/prod_1.x");
  EXPECT_EQ(opentsdb_text("a b:c\"d\xc3\xa9"), "a_b_c_d__");
  EXPECT_EQ(opentsdb_text(""), "_");
  OpenTsdbPoint p = point("borealis task", 1);
  p.tags["host"] = "agent 1";
  p.tags["instance"] = "";
  auto bodies = opentsdb_put_bodies({p}, 50);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_NE(bodies[0].find(R"("metric":"borealis_task")"), std::string::npos) << bodies[0];
  EXPECT_NE(bodies[0].find(R"("host":"agent_1")"), std::string::npos) << bodies[0];
  EXPECT_NE(bodies[0].find(R"("instance":"_")"), std::string::npos) << bodies[0];
}

TEST(OpenTsdbTest, BatchesHoldAtMostMaxPointsInOrder) {
  std::vector<OpenTsdbPoint> points;
  for (int i = 0; i < 5; ++i) points.push_back(point("m", i, std::to_string(i)));
  auto bodies = opentsdb_put_bodies(points, 2);
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_NE(bodies[0].find(R"("instance":"1")"), std::string::npos);
  EXPECT_NE(bodies[1].find(R"("instance":"2")"), std::string::npos);
  EXPECT_NE(bodies[2].find(R"("instance":"4")"), std::string::npos);
  EXPECT_EQ(bodies[2].find(R"("instance":"3")"), std::string::npos);
  EXPECT_TRUE(opentsdb_put_bodies({}, 2).empty());
}

TEST(OpenTsdbTest, AValueThatIsNotFiniteIsLeftOut) {
  auto bodies = opentsdb_put_bodies({point("m", NAN), point("m", 2, "1")}, 50);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].find(R"("instance":"0")"), std::string::npos) << bodies[0];
  EXPECT_TRUE(opentsdb_put_bodies({point("m", INFINITY)}, 50).empty());
}

}  // namespace
}  // namespace borealis::metrics
