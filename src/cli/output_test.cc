#include "cli/output.h"

#include <gtest/gtest.h>

#include "cli/table.h"

namespace borealis::cli {
namespace {

constexpr TimeMs kNow = 1'700'000'000'000;

TaskInfo task(int32_t instance, std::string status, TimeMs changed_ago_ms, std::string host = "",
              std::string message = "") {
  TaskInfo t;
  t.instance_id = instance;
  t.status = status;
  t.task_id = "www-data-prod-hello-" + std::to_string(instance) + "-" + status;
  t.host = std::move(host);
  t.message = std::move(message);
  t.events.push_back({kNow - changed_ago_ms - 5000, "PENDING", ""});
  t.events.push_back({kNow - changed_ago_ms, t.status, t.message});
  return t;
}

TEST(TableTest, AlignsColumnsWithoutTrailingSpaces) {
  Table t({"A", "LONGER", "C"});
  t.add_row({"wide cell", "", "x"});
  t.add_row({"b", "2"});
  EXPECT_EQ(t.render(),
            "A          LONGER  C\n"
            "wide cell  -       x\n"
            "b          2       -\n");
}

TEST(OutputTest, SmallFormats) {
  EXPECT_EQ(format_age(-5), "0s");
  EXPECT_EQ(format_age(45'999), "45s");
  EXPECT_EQ(format_age(3 * 60'000 + 59'000), "3m");
  EXPECT_EQ(format_age(2 * 3'600'000), "2h");
  EXPECT_EQ(format_age(2 * 3'600'000 + 5 * 60'000), "2h5m");
  EXPECT_EQ(format_age(4 * 86'400'000 + 3 * 3'600'000), "4d3h");
  EXPECT_EQ(format_ports({{"http", 31000}, {"admin", 31001}}), "admin=31001,http=31000");
  EXPECT_EQ(format_number(4), "4");
  EXPECT_EQ(format_number(0.5), "0.5");
  EXPECT_EQ(format_number(1.256), "1.26");
}

TEST(OutputTest, JobStatusShowsActiveTasksPendingReasonAndEndedTasks) {
  JobSummary job;
  job.key = "devcluster/www-data/prod/hello";
  job.instances = 3;
  job.service = true;
  job.status = "PENDING";
  TaskList tasks;
  TaskInfo running = task(1, "RUNNING", 125'000, "agent-1");
  running.ports = {{"http", 31000}};
  tasks.tasks.push_back(running);
  tasks.tasks.push_back(task(0, "RUNNING", 3'700'000, "agent-2"));
  tasks.tasks.push_back(
      task(2, "PENDING", 12'000, "", "no agent has 64.0 GiB ram free (largest: 7.6 GiB)"));
  tasks.tasks.push_back(task(1, "FAILED", 130'000, "agent-1", "process main exited 1"));
  EXPECT_EQ(
      format_job_status(job, tasks, kNow),
      "Job devcluster/www-data/prod/hello: PENDING (3 instances, service)\n"
      "\n"
      "Active tasks:\n"
      "INSTANCE  STATUS   HOST     PORTS       AGE   TASK ID                        MESSAGE\n"
      "0         RUNNING  agent-2  -           1h1m  www-data-prod-hello-0-RUNNING  -\n"
      "1         RUNNING  agent-1  http=31000  2m    www-data-prod-hello-1-RUNNING  -\n"
      "2         PENDING  -        -           12s   www-data-prod-hello-2-PENDING  no agent "
      "has 64.0 GiB ram free (largest: 7.6 GiB)\n"
      "\n"
      "Recently ended tasks:\n"
      "INSTANCE  STATUS  HOST     AGE  TASK ID                       MESSAGE\n"
      "1         FAILED  agent-1  2m   www-data-prod-hello-1-FAILED  process main exited 1\n");
}

JobSummary summary(std::string key, int64_t instances, std::string status) {
  JobSummary job;
  job.key = std::move(key);
  job.instances = instances;
  job.status = std::move(status);
  return job;
}

TEST(OutputTest, JobStatusShowsThePrimaryEndpointOfAnnouncedJobs) {
  JobSummary job = summary("c/www-data/prod/web", 1, "RUNNING");
  TaskList tasks;
  TaskInfo running = task(0, "RUNNING", 5'000, "agent-1");
  running.ports = {{"alias", 29000}, {"http", 29000}};
  running.primary_endpoint = "agent-1:29000";
  tasks.tasks.push_back(running);
  EXPECT_EQ(format_job_status(job, tasks, kNow),
            "Job c/www-data/prod/web: RUNNING (1 instance)\n"
            "\n"
            "Active tasks:\n"
            "INSTANCE  STATUS   HOST     PORTS                   ENDPOINT       AGE  TASK ID"
            "                        MESSAGE\n"
            "0         RUNNING  agent-1  alias=29000,http=29000  agent-1:29000  5s   "
            "www-data-prod-hello-0-RUNNING  -\n");
}

TEST(OutputTest, JobStatusWithoutTasksAndWithManyEnded) {
  JobSummary job = summary("c/r/prod/batch", 1, "FINISHED");
  TaskList tasks;
  for (int i = 0; i < 3; ++i) tasks.tasks.push_back(task(0, "FINISHED", 1000 * (i + 1)));
  EXPECT_EQ(format_job_status(job, tasks, kNow, 2),
            "Job c/r/prod/batch: FINISHED (1 instance)\n"
            "\n"
            "No active tasks.\n"
            "\n"
            "Ended instances:\n"
            "INSTANCE  OUTCOME   AGE  TASK ID                         MESSAGE\n"
            "0         FINISHED  1s   www-data-prod-hello-0-FINISHED  -\n"
            "\n"
            "Recently ended tasks:\n"
            "INSTANCE  STATUS    HOST  AGE  TASK ID                         MESSAGE\n"
            "0         FINISHED  -     1s   www-data-prod-hello-0-FINISHED  -\n"
            "0         FINISHED  -     2s   www-data-prod-hello-0-FINISHED  -\n"
            "(1 older ended tasks not shown; --output json lists all)\n");
}

// A batch job: each ended instance's outcome is its newest ended task, with the runner's
// reason (exit code); an instance still retrying is not ended.
TEST(OutputTest, JobStatusShowsEachEndedInstanceOfABatchJob) {
  JobSummary job = summary("c/r/prod/batch", 3, "RUNNING");
  TaskList tasks;
  tasks.tasks.push_back(task(2, "RUNNING", 1000, "agent-1"));
  tasks.tasks.push_back(
      task(1, "FAILED", 2000, "agent-1",
           "process 'main' failed 1 time (max_failures 1, last run: exit code 3)"));
  tasks.tasks.push_back(task(0, "FINISHED", 3000, "agent-1"));
  tasks.tasks.push_back(task(2, "FAILED", 4000, "agent-1", "earlier try"));
  tasks.tasks.push_back(task(1, "LOST", 9000, "agent-1", "earlier try"));
  std::string out = format_job_status(job, tasks, kNow);
  EXPECT_NE(out.find("Ended instances:\n"
                     "INSTANCE  OUTCOME   AGE  TASK ID                         MESSAGE\n"
                     "0         FINISHED  3s   www-data-prod-hello-0-FINISHED  -\n"
                     "1         FAILED    2s   www-data-prod-hello-1-FAILED    process 'main' "
                     "failed 1 time (max_failures 1, last run: exit code 3)\n"
                     "\n"
                     "Recently ended tasks:\n"),
            std::string::npos)
      << out;
  job.service = true;
  EXPECT_EQ(format_job_status(job, tasks, kNow).find("Ended instances"), std::string::npos);
}

TEST(OutputTest, JobList) {
  JobList jobs;
  JobSummary a;
  a.key = "devcluster/www-data/prod/hello";
  a.instances = 3;
  a.status = "RUNNING";
  a.state_counts = {{"RUNNING", 2}, {"PENDING", 1}};
  jobs.jobs.push_back(a);
  EXPECT_EQ(format_job_list(jobs, "devcluster"),
            "JOB                             STATUS   INSTANCES  TASKS\n"
            "devcluster/www-data/prod/hello  RUNNING  3          1 PENDING, 2 RUNNING\n");
  EXPECT_EQ(format_job_list(JobList{}, "devcluster/www-data"), "No jobs in devcluster/www-data.\n");
}

TEST(OutputTest, Agents) {
  AgentList agents;
  AgentInfo a;
  a.agent_id = "2f0c";
  a.hostname = "agent-1";
  a.address = "10.0.0.1:8082";
  a.status = "ACTIVE";
  a.last_seen_ms = kNow - 2000;
  a.tasks = 3;
  a.total = {{"cpu", 4}, {"ram", 8LL << 30}, {"disk", 100LL << 30}};
  a.used = {{"cpu", 1.5}, {"ram", 1LL << 30}, {"disk", 0}};
  agents.agents.push_back(a);
  AgentInfo lost;
  lost.agent_id = "9a1b";
  lost.hostname = "agent-2";
  lost.status = "LOST";
  agents.agents.push_back(lost);
  EXPECT_EQ(format_agents(agents, kNow),
            "HOSTNAME  STATUS  TASKS  CPU USED/TOTAL  RAM USED/TOTAL   DISK USED/TOTAL  LAST SEEN  "
            "ADDRESS        AGENT ID\n"
            "agent-1   ACTIVE  3      1.5/4           1.0 GiB/8.0 GiB  0 B/100.0 GiB    2s ago     "
            "10.0.0.1:8082  2f0c\n"
            "agent-2   LOST    0      -               -                -                -          "
            "-              9a1b\n");
  EXPECT_EQ(format_agents(AgentList{}, kNow), "No agents.\n");
}

}  // namespace
}  // namespace borealis::cli
