// The web UI's routes (docs/ui.md): the pages and assets the scheduler serves, and the task
// routes that read a task's agent for the task page.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "net/running_server.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

class UiEndpointsTest : public ServiceTest {
 protected:
  void SetUp() override { start(options()); }
};

TEST_F(UiEndpointsTest, EveryPageIsTheShellThatLoadsTheScript) {
  for (const char* path : {"/scheduler", "/scheduler/agents", "/scheduler/updates",
                           "/scheduler/www/prod/hello", "/scheduler/www/prod/hello/3"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_NE(r.body.find(R"(<script src="/scheduler/assets/app.js")"), std::string::npos)
        << path << ": " << r.body;
  }
}

TEST_F(UiEndpointsTest, AssetsComeWithTheirTypesAndUnknownOnesAreNamed) {
  auto js = call("GET", "/scheduler/assets/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js.body.find("async function jobPage"), std::string::npos);
  auto css = call("GET", "/scheduler/assets/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  auto missing = call("GET", "/scheduler/assets/nope.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("the UI has no file nope.js"), std::string::npos) << missing.body;
  EXPECT_EQ(call("GET", "/scheduler/assets/index.html").status, 404);
}

// A fake agent that echoes what it was asked; the scheduler places a task there and the
// task routes forward to it with the caller's token and the query.
TEST_F(UiEndpointsTest, TaskRoutesForwardToTheTasksAgentWithTheCallersToken) {
  net::testing::RunningServer agent_api({});
  agent_api.server().route(
      "GET", "/api/v1/tasks/**", [](const net::HttpRequest& req, net::Responder respond) {
        auto auth = req.headers.find("authorization");
        std::string query;
        for (const auto& [k, v] : req.query) query += k + "=" + v + ";";
        respond(net::HttpResponse::text(
            200, req.path + " " + query + " " + (auth == req.headers.end() ? "" : auth->second)));
      });
  ASSERT_TRUE(agent_api.start().ok());
  auto reg = call("POST", "/agent/v1/register",
                  R"({"agent_id": "", "hostname": "h1", "address": "127.0.0.1:)" +
                      std::to_string(agent_api.port()) + R"(",
                      "resources": {"cpu": 4, "ram": 8589934592, "disk": 8589934592},
                      "ports": [[31000, 31009]], "tasks": []})");
  ASSERT_EQ(reg.status, 200) << reg.body;
  ASSERT_EQ(call("POST", "/api/v1/jobs", R"({"role": "www-data", "environment": "prod",
    "cluster": "test", "name": "hello", "service": true,
    "task": {"processes": [{"name": "hello", "cmdline": "echo hi"}],
             "resources": {"cpu": 0.5, "ram": 67108864, "disk": 67108864}}})")
                .status,
            201);
  std::string task_id;
  for (int i = 0; i < 100 && task_id.empty(); ++i) {
    auto tasks = parse_json(call("GET", "/api/v1/jobs/www-data/prod/hello/tasks").body);
    const auto& t = tasks->at("tasks").as_array().at(0);
    if (!t.at("host").as_string().empty())
      task_id = std::string(t.at("task_id").as_string());
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(task_id.empty()) << "the task was never placed";
  client_->set_header("Authorization", "Bearer user-token");
  std::string base = "/api/v1/jobs/www-data/prod/hello/tasks/" + task_id;

  auto logs = call("GET", base + "/logs/hello?stream=stderr&offset=-10");
  EXPECT_EQ(logs.status, 200) << logs.body;
  EXPECT_EQ(logs.body,
            "/api/v1/tasks/" + task_id + "/logs/hello offset=-10;stream=stderr; Bearer user-token");
  auto files = call("GET", base + "/files?path=.logs/hello/0");
  EXPECT_EQ(files.body,
            "/api/v1/tasks/" + task_id + "/files path=.logs/hello/0; Bearer user-token");
  auto entry = call("GET", base + "/agent");
  EXPECT_EQ(entry.body, "/api/v1/tasks/" + task_id + "  Bearer user-token");

  // The task must be the job's: another job's path does not reach it.
  auto other = call("GET", "/api/v1/jobs/www-data/prod/other/tasks/" + task_id + "/agent");
  EXPECT_EQ(other.status, 404);
  EXPECT_NE(other.body.find("job test/www-data/prod/other has no task " + task_id),
            std::string::npos)
      << other.body;
}

// docs/benchmarks.md, "Web UI job page": what the server does for one job page of a job of
// 10,000 tasks (all PENDING: no agent), the calls made one after the other as a browser
// without caches would: the shell, its script and style, and the page's four API calls.
TEST_F(UiEndpointsTest, AJobPageOfTenThousandTasksIsCheap) {
  ASSERT_EQ(call("POST", "/api/v1/jobs", R"({"role": "www-data", "environment": "prod",
    "cluster": "test", "name": "big", "service": true, "instances": 10000,
    "task": {"processes": [{"name": "big", "cmdline": "sleep 100"}],
             "resources": {"cpu": 0.01, "ram": 1048576, "disk": 1048576}}})")
                .status,
            201);
  const std::string job = "/api/v1/jobs/www-data/prod/big";
  const std::vector<std::string> page = {"/scheduler/www-data/prod/big",
                                         "/scheduler/assets/app.js",
                                         "/scheduler/assets/app.css",
                                         job,
                                         job + "/tasks?instances=0-99&active=true",
                                         job + "/tasks?instances=0-99",
                                         job + "/updates"};
  constexpr int kLoads = 9;
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  std::vector<double> ms;
  std::vector<std::vector<double>> per_call(page.size());
  for (int i = 0; i < kLoads; ++i) {
    auto start = Clock::now();
    for (size_t c = 0; c < page.size(); ++c) {
      auto call_start = Clock::now();
      ASSERT_EQ(call("GET", page[c]).status, 200) << page[c];
      per_call[c].push_back(ms_since(call_start));
    }
    ms.push_back(ms_since(start));
  }
  auto tasks = parse_json(call("GET", job + "/tasks?instances=0-99&active=true").body);
  EXPECT_EQ(tasks->at("tasks").as_array().size(), 100u) << "a page holds 100 instances";
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  for (size_t c = 0; c < page.size(); ++c)
    std::printf("  %s: median %.2f ms\n", page[c].c_str(), median(per_call[c]));
  std::sort(ms.begin(), ms.end());
  std::printf("job page of 10000 tasks: median %.2f ms, max %.2f ms of %d loads\n", ms[kLoads / 2],
              ms.back(), kLoads);
  EXPECT_LT(ms[kLoads / 2], 200) << "the job page's server time is over the target";
}

}  // namespace
}  // namespace borealis::scheduler
