// A job version is encoded once: its JSON is the canonical JSON, and the core reuses it for
// the store row, the task hash and restore instead of encoding the spec again.
#include "scheduler/core/job_version.h"

#include <gtest/gtest.h>

#include "jobspec/job_spec_json.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

jobspec::JobSpec rich_job() {
  jobspec::JobSpec j = SimCluster::job("web", 4, 0.5);
  j.task.processes[0].cmdline = "serve --port={{thermos.ports[http]}} \"quoted\" \\ \xc3\xa9";
  j.constraints = std::map<std::string, std::string>{{"zone", "limit:4"}, {"rack", "!r1,r2"}};
  j.update_config.batch_size = 2;
  j.priority = 3;
  return j;
}

TEST(JobVersionTest, EncodingIsTheCanonicalJsonByteForByte) {
  for (const jobspec::JobSpec& j : {SimCluster::job("plain", 1), rich_job()}) {
    EncodedJobVersion e = encode_job_version(j);
    EXPECT_EQ(e.json, to_json(jobspec::job_spec_to_json(j)));
    EXPECT_EQ(e.id, content_hash(e.json));
  }
}

TEST(JobVersionTest, TaskHashIgnoresOnlyInstancesAndUpdateSettings) {
  jobspec::JobSpec base = rich_job();
  jobspec::JobSpec scaled = base;
  scaled.instances = 9;
  scaled.update_config.batch_size = 5;
  jobspec::JobSpec bigger = base;
  bigger.task.resources->cpu = 2;
  EncodedJobVersion b = encode_job_version(base), s = encode_job_version(scaled),
                    g = encode_job_version(bigger);
  EXPECT_NE(b.id, s.id);
  EXPECT_EQ(b.task_hash, s.task_hash);
  EXPECT_NE(b.task_hash, g.task_hash);
}

TEST(JobVersionTest, CoreEncodesEachVersionOnceAndStoresThatEncoding) {
  SimCluster c;
  c.add_agent("a", 16, 64LL << 30, 64LL << 30);
  const JobVersions& versions = c.core().versions();
  EXPECT_EQ(versions.encodings(), 0u);

  auto job = c.core().create_job(rich_job(), c.clock().now_ms());
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  EXPECT_EQ(versions.encodings(), 1u);  // one create, four tasks, one encoding
  StoreBatch batch = c.core().take_batch();
  ASSERT_EQ(batch.configs.size(), 1u);
  EXPECT_EQ(batch.configs[0].first, (*job)->config->id);
  EXPECT_EQ(batch.configs[0].second, (*job)->config->spec_json);
  c.store().apply(batch);

  jobspec::JobSpec changed = rich_job();
  changed.task.processes[0].cmdline = "serve --v2";
  UpdateRequest request;
  request.spec = changed;
  ASSERT_TRUE(c.core().start_update(changed.key(), request, c.clock().now_ms()).ok());
  EXPECT_EQ(versions.encodings(), 2u);
  c.advance(300'000);  // the update runs: every replaced task reuses the version
  EXPECT_EQ(versions.encodings(), 2u);
  EXPECT_EQ(versions.size(), 2u);

  // A restart encodes each stored version once (for its task hash) and keeps the row as JSON.
  ASSERT_TRUE(c.restart_scheduler().ok());
  EXPECT_EQ(c.core().versions().encodings(), 2u);
  const Job* restored = c.core().find_job(changed.key());
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->config->spec_json, to_json(jobspec::job_spec_to_json(changed)));
  EXPECT_EQ(restored->config->task_hash, encode_job_version(changed).task_hash);
}

}  // namespace
}  // namespace borealis::scheduler
