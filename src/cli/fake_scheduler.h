// A fake scheduler for the CLI's tests: a real net::HttpServer on 127.0.0.1 (port 0) with
// canned handlers that follow docs/api.md, on its own thread. Tests set its state, run
// the CLI against it, then look at the requests it received.
//
// Threading: setters and requests() may be called from the test thread while the server
// thread answers; a mutex guards the state.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "net/http_server.h"

namespace borealis::cli::testing {

class FakeScheduler {
 public:
  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::string body;
  };

  explicit FakeScheduler(std::string cluster = "devcluster");
  ~FakeScheduler();

  std::string url() const;

  // A job as GET /api/v1/jobs lists it; `job` must hold "role", "environment", "name".
  void add_job(json::object job);
  // Successive GET .../tasks answers for the job "role/env/name": each poll takes the next
  // list; the last one repeats.
  void script_tasks(const std::string& job, std::vector<json::array> polls);
  void set_agents(json::array agents);
  // Scripts the job's current update ("role/env/name" must be a job): POST .../update,
  // .../restart and the control verbs answer {"update": polls[0]} (without the detail
  // fields); each GET .../updates/ID (or latest) answers the next of `polls`, the last one
  // repeating; GET .../updates and GET /api/v1/updates list the latest answer's summary.
  // Without a script, the control verbs and GET .../updates/ID answer 404.
  void script_update(const std::string& job, std::vector<json::object> polls);
  // The next request `method path` (path without query) gets this canned answer instead
  // (an error, or a body the handler would not produce).
  void answer_next(const std::string& method, const std::string& path, int status,
                   std::string body);

  std::vector<Request> requests() const;
  size_t count(const std::string& method, const std::string& path) const;

 private:
  struct Job {
    json::object summary;
    json::value spec;
    std::vector<json::array> polls;
    size_t next_poll = 0;
    std::vector<json::object> update_polls;
    size_t next_update_poll = 0;
  };

  // A route on one job's path: records the request, holds mu_, answers 404 for an unknown
  // job, else calls `handler` with the job and the path's segments.
  using JobHandler = std::function<void(Job*, const std::vector<std::string>&,
                                        const net::HttpRequest&, net::Responder)>;
  void job_route(const std::string& method, const std::string& pattern, JobHandler handler);
  void install_update_routes();

  void install_routes();
  // Records the request; returns a canned failure for it, if one was set.
  std::optional<net::HttpResponse> record(const net::HttpRequest& req);
  Job* find_job(const std::vector<std::string>& segs);  // under mu_

  std::string cluster_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;

  mutable std::mutex mu_;
  std::map<std::string, Job> jobs_;  // by "role/env/name"
  json::array agents_;
  std::map<std::string, net::HttpResponse> failures_;  // by "METHOD path"
  std::vector<Request> requests_;
};

}  // namespace borealis::cli::testing
