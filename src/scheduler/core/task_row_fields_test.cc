// Task rows: the scanner reads task_row's own rows exactly as the JSON parser does, and
// rows it does not expect (escapes, older shapes, other field orders) still restore.
#include "scheduler/core/task_row_fields.h"

#include <gtest/gtest.h>

#include "scheduler/core/rows.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

jobspec::JobSpec web_with_ports() {
  auto spec = SimCluster::job("web", 2);
  spec.task.processes[0].cmdline = "serve {{thermos.ports[http]}} {{thermos.ports[admin]}}";
  return spec;
}

void expect_same(const TaskRowFields& a, const TaskRowFields& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.job, b.job);
  EXPECT_EQ(a.config, b.config);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.agent, b.agent);
  EXPECT_EQ(a.instance, b.instance);
  EXPECT_EQ(a.failures, b.failures);
  EXPECT_EQ(a.throttle_until_ms, b.throttle_until_ms);
  EXPECT_EQ(a.penalty_ms, b.penalty_ms);
  EXPECT_EQ(a.running_since_ms, b.running_since_ms);
  EXPECT_EQ(a.kill, b.kill);
  ASSERT_EQ(a.ports.size(), b.ports.size());
  for (size_t i = 0; i < a.ports.size(); ++i) EXPECT_EQ(a.ports[i], b.ports[i]);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].ts_ms, b.events[i].ts_ms);
    EXPECT_EQ(a.events[i].state, b.events[i].state);
    EXPECT_EQ(a.events[i].message, b.events[i].message);
  }
}

TEST(TaskRowFieldsTest, ScannerReadsWhatTheJsonParserReads) {
  SimCluster c;
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(web_with_ports(), c.clock().now_ms()).ok());
  c.step();
  const Task* t = c.active_tasks("web")[0];
  std::string row = task_row(*t, c.core().agents()[t->agent].id);
  TaskRowFields scanned, read;
  ASSERT_TRUE(scan_task_row(row, &scanned)) << row;
  auto parsed = parse_json(row);
  ASSERT_TRUE(parsed.ok());
  Status st = read_task_row(parsed->as_object(), &read);
  ASSERT_TRUE(st.ok()) << st.to_string();
  expect_same(scanned, read);
  EXPECT_EQ(scanned.state, "RUNNING");
  EXPECT_EQ(scanned.ports.size(), 2u);
  EXPECT_EQ(scanned.events.size(), 4u);  // PENDING, ASSIGNED, STARTING, RUNNING
}

bool scans(std::string_view row) {
  TaskRowFields f;
  return scan_task_row(row, &f);
}

TEST(TaskRowFieldsTest, EscapesAndOtherShapesGoToTheJsonParser) {
  // A message with a quote and a newline is escaped in the row.
  EXPECT_FALSE(
      scans(R"({"id":"t","job":"r/e/n","config":"c","instance":0,"state":"FAILED","agent":"",)"
            R"("ports":{},"failures":0,"throttle_until":0,"penalty":0,"running_since":0,)"
            R"("kill":false,"events":[[1,"FAILED","said \"no\"\n"]]})"));
  // An older row: no "kill", fields in another order.
  EXPECT_FALSE(scans(R"({"job":"r/e/n","id":"t","config":"c","instance":0,"state":"PENDING"})"));
  EXPECT_FALSE(scans(""));
  EXPECT_FALSE(scans(R"({"id":"t")"));
}

TEST(TaskRowFieldsTest, JsonReaderNamesTheBadField) {
  auto v =
      parse_json(R"({"id":"t","job":"r/e/n","config":"c","instance":"zero","state":"PENDING"})");
  ASSERT_TRUE(v.ok());
  TaskRowFields f;
  Status st = read_task_row(v->as_object(), &f);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("task.instance"), std::string::npos) << st.message();
  v = parse_json(R"({"id":"t","job":"r/e/n","config":"c","instance":0,"state":"PENDING",)"
                 R"("events":[[1,"PENDING"]]})");
  ASSERT_TRUE(v.ok());
  TaskRowFields g;
  st = read_task_row(v->as_object(), &g);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("task.events"), std::string::npos);
}

// Rows as an older scheduler wrote them, or as an operator edited them, come back the same
// as the scanner's: escaped messages, ports in another order, a missing "kill".
TEST(TaskRowFieldsTest, RowsTheScannerRefusesStillRestore) {
  SimCluster c;
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(web_with_ports(), c.clock().now_ms()).ok());
  c.step();
  std::map<std::string, std::map<std::string, int64_t>> ports;
  for (const Task* t : c.active_tasks("web")) ports[t->id] = t->port_map();
  c.end_task(c.active_tasks("web")[0]->id, TaskState::kFailed, "exit \"1\"\nsee stderr");
  c.step();

  StoredState s = c.store().load();
  int rewritten = 0;
  for (auto& [id, row] : s.tasks) {
    if (!scans(row)) continue;  // the escaped one already goes the slow way
    auto v = parse_json(row);
    ASSERT_TRUE(v.ok());
    json::object o = v->as_object();
    o.erase("kill");
    json::object reordered{{"job", o.at("job")}};
    json::object held = o.at("ports").as_object();
    json::object swapped;
    for (auto it = held.end(); it != held.begin();) {
      --it;
      swapped[it->key()] = it->value();
    }
    for (const auto& kv : o)
      if (kv.key() != "job") reordered[kv.key()] = kv.value();
    reordered["ports"] = swapped;
    row = json::serialize(reordered);
    ASSERT_FALSE(scans(row));
    ++rewritten;
  }
  ASSERT_EQ(rewritten, 2);  // the running one and the replacement

  Core core(SimCluster::fast_options(), 7);
  Status st = core.restore(s, c.clock().now_ms());
  ASSERT_TRUE(st.ok()) << st.to_string();
  for (const auto& [id, held] : ports) {
    const Task* t = core.find_task(id);
    ASSERT_NE(t, nullptr) << id;
    if (t->agent >= 0) {
      EXPECT_EQ(t->port_map(), held) << id;
    }
  }
  const Task* failed = nullptr;
  for (const auto& [id, _] : ports) {
    if (core.find_task(id)->state == TaskState::kFailed) failed = core.find_task(id);
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->last_event().message(), "exit \"1\"\nsee stderr");
}

TEST(TaskRowFieldsTest, PortsThatDoNotMatchTheConfigAreRefused) {
  SimCluster c;
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(web_with_ports(), c.clock().now_ms()).ok());
  c.step();
  StoredState s = c.store().load();
  ASSERT_FALSE(s.tasks.empty());
  std::string& row = s.tasks[0].second;
  size_t at = row.find("\"admin\"");
  ASSERT_NE(at, std::string::npos);
  row.replace(at, 7, "\"debug\"");
  Core core({}, 1);
  Status st = core.restore(s, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("port 'admin' is missing"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace borealis::scheduler
