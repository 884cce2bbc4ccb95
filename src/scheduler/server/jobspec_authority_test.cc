// The scheduler is the authority on JobSpec rules: a JobSpec POSTed straight to the API
// that the runner would refuse (taskcontract's process rules) is refused with 400 and the
// field named, and nothing is stored.
#include <gtest/gtest.h>

#include "common/json.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

// A job whose second process waits for the first; `first_flags` makes the first one a
// daemon or ephemeral.
std::string job_with_order(const std::string& first_flags) {
  return R"({"role": "www-data", "environment": "prod", "cluster": "test", "name": "ordered",
    "instances": 1, "service": true,
    "task": {"processes": [{"name": "first", "cmdline": "./first")" +
         first_flags + R"(},
                           {"name": "second", "cmdline": "./second"}],
             "constraints": [{"order": ["first", "second"]}],
             "resources": {"cpu": 0.5, "ram": 67108864, "disk": 67108864}}})";
}

class JobSpecAuthorityTest : public ServiceTest {
 protected:
  void SetUp() override { start(options()); }

  // POSTs `job` and returns the status and the error message (empty on success).
  std::pair<int, std::string> create(const std::string& job) {
    auto r = client_->post("/api/v1/jobs", job);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    if (!r.ok()) return {0, ""};
    auto body = parse_json(r->body);
    std::string message;
    if (body.ok() && body->is_object())
      if (const json::value* e = body->get_object().if_contains("error"))
        message = std::string(e->at("message").as_string());
    return {r->status, message};
  }

  size_t stored_jobs() {
    auto r = client_->get("/api/v1/jobs");
    EXPECT_TRUE(r.ok());
    auto body = parse_json(r.ok() ? r->body : "{}");
    return body.ok() ? body->at("jobs").as_array().size() : 0;
  }

  // The job with `first_flags` is refused with 400 and `message`, and nothing is stored.
  void expect_refused(const std::string& first_flags, const std::string& message) {
    auto [status, error] = create(job_with_order(first_flags));
    EXPECT_EQ(status, 400);
    EXPECT_EQ(error, message);
    EXPECT_EQ(stored_jobs(), 0u);
  }
};

TEST_F(JobSpecAuthorityTest, RefusesAProcessOrderedAfterADaemon) {
  expect_refused(R"(, "daemon": true)",
                 "task.constraints[0].order: process 'second' may not wait on daemon process "
                 "'first' (a daemon never finishes)");
}

TEST_F(JobSpecAuthorityTest, RefusesARegularProcessOrderedAfterAnEphemeralOne) {
  expect_refused(R"(, "ephemeral": true)",
                 "task.constraints[0].order: non-ephemeral process 'second' may not wait on "
                 "ephemeral process 'first' (the task does not wait for an ephemeral process to "
                 "finish)");
}

TEST_F(JobSpecAuthorityTest, AcceptsTheSameOrderBetweenRegularProcesses) {
  EXPECT_EQ(create(job_with_order("")), (std::pair<int, std::string>{201, ""}));
  EXPECT_EQ(stored_jobs(), 1u);
}

}  // namespace
}  // namespace borealis::scheduler
