#include "cli/fake_scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace borealis::cli::testing {

namespace {

std::string job_name(const std::vector<std::string>& segs) {
  // /api/v1/jobs/ROLE/ENV/NAME[/...] -> segments 3..5
  return segs[3] + "/" + segs[4] + "/" + segs[5];
}

net::HttpResponse json_answer(int status, const json::value& v) {
  return net::HttpResponse::json(status, to_json(v));
}

}  // namespace

FakeScheduler::FakeScheduler(std::string cluster)
    : cluster_(std::move(cluster)), work_(io_.get_executor()) {
  server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerOptions{});
  install_routes();
  Status st = server_->start();
  EXPECT_TRUE(st.ok()) << st.to_string();
  thread_ = std::thread([this] { io_.run(); });
}

FakeScheduler::~FakeScheduler() {
  // Let the io thread run the stop (closing every session) and drain, instead of
  // io_.stop(): a session still open when the loop is cut short keeps itself and the
  // server alive through each other (a leak LeakSanitizer reports).
  server_->stop();
  work_.reset();
  thread_.join();
}

std::string FakeScheduler::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void FakeScheduler::add_job(json::object job) {
  std::lock_guard<std::mutex> l(mu_);
  std::string name = std::string(job.at("role").as_string()) + "/" +
                     std::string(job.at("environment").as_string()) + "/" +
                     std::string(job.at("name").as_string());
  job["key"] = cluster_ + "/" + name;
  jobs_[name].summary = std::move(job);
}

void FakeScheduler::script_tasks(const std::string& job, std::vector<json::array> polls) {
  std::lock_guard<std::mutex> l(mu_);
  jobs_[job].polls = std::move(polls);
  jobs_[job].next_poll = 0;
}

void FakeScheduler::set_agents(json::array agents) {
  std::lock_guard<std::mutex> l(mu_);
  agents_ = std::move(agents);
}

void FakeScheduler::script_update(const std::string& job, std::vector<json::object> polls) {
  std::lock_guard<std::mutex> l(mu_);
  jobs_[job].update_polls = std::move(polls);
  jobs_[job].next_update_poll = 0;
}

void FakeScheduler::answer_next(const std::string& method, const std::string& path, int status,
                                std::string body) {
  std::lock_guard<std::mutex> l(mu_);
  failures_[method + " " + path] = net::HttpResponse::json(status, std::move(body));
}

std::vector<FakeScheduler::Request> FakeScheduler::requests() const {
  std::lock_guard<std::mutex> l(mu_);
  return requests_;
}

size_t FakeScheduler::count(const std::string& method, const std::string& path) const {
  size_t n = 0;
  for (const Request& r : requests())
    if (r.method == method && r.path == path) ++n;
  return n;
}

std::optional<net::HttpResponse> FakeScheduler::record(const net::HttpRequest& req) {
  std::lock_guard<std::mutex> l(mu_);
  requests_.push_back({req.method, req.path, req.query, req.body});
  auto it = failures_.find(req.method + " " + req.path);
  if (it == failures_.end()) return std::nullopt;
  net::HttpResponse r = it->second;
  failures_.erase(it);
  return r;
}

FakeScheduler::Job* FakeScheduler::find_job(const std::vector<std::string>& segs) {
  auto it = jobs_.find(job_name(segs));
  return it == jobs_.end() || it->second.summary.empty() ? nullptr : &it->second;
}

void FakeScheduler::job_route(const std::string& method, const std::string& pattern,
                              JobHandler handler) {
  server_->route(method, pattern, [this, handler](const net::HttpRequest& req, net::Responder r) {
    if (auto f = record(req)) return r(*f);
    std::lock_guard<std::mutex> l(mu_);
    auto segs = net::path_segments(req.path);
    Job* job = find_job(segs);
    if (!job) return r(net::HttpResponse::error(404, "NOT_FOUND", "no job " + job_name(segs)));
    handler(job, segs, req, std::move(r));
  });
}

void FakeScheduler::install_routes() {
  using net::HttpRequest;
  using net::HttpResponse;
  using net::Responder;

  server_->route("GET", "/api/v1/cluster", [this](const HttpRequest& req, Responder r) {
    if (auto f = record(req)) return r(*f);
    r(json_answer(200, json::object{{"cluster", cluster_},
                                    {"version", "0.1.0"},
                                    {"agents", 1},
                                    {"capabilities", {{"container_images", false}}}}));
  });
  server_->route("GET", "/api/v1/agents", [this](const HttpRequest& req, Responder r) {
    if (auto f = record(req)) return r(*f);
    std::lock_guard<std::mutex> l(mu_);
    r(json_answer(200, json::object{{"agents", agents_}}));
  });
  server_->route("POST", "/api/v1/jobs", [this](const HttpRequest& req, Responder r) {
    if (auto f = record(req)) return r(*f);
    auto body = parse_json(req.body);
    if (!body.ok()) return r(HttpResponse::error(400, "INVALID_ARGUMENT", body.status().message()));
    const json::object& spec = body->as_object();
    if (spec.at("cluster").as_string() != cluster_)
      return r(HttpResponse::error(400, "INVALID_ARGUMENT", "cluster is not " + cluster_));
    std::string name = std::string(spec.at("role").as_string()) + "/" +
                       std::string(spec.at("environment").as_string()) + "/" +
                       std::string(spec.at("name").as_string());
    std::lock_guard<std::mutex> l(mu_);
    Job& job = jobs_[name];
    if (!job.summary.empty())
      return r(HttpResponse::error(409, "ALREADY_EXISTS",
                                   "job " + cluster_ + "/" + name + " already exists"));
    job.summary = {{"key", cluster_ + "/" + name},
                   {"role", spec.at("role")},
                   {"environment", spec.at("environment")},
                   {"name", spec.at("name")},
                   {"instances", spec.at("instances")},
                   {"service", spec.at("service")},
                   {"state_counts", {{"PENDING", spec.at("instances")}}},
                   {"status", "PENDING"}};
    job.spec = *body;
    r(json_answer(
        201, json::object{{"job", cluster_ + "/" + name}, {"instances", spec.at("instances")}}));
  });
  server_->route("GET", "/api/v1/jobs", [this](const HttpRequest& req, Responder r) {
    if (auto f = record(req)) return r(*f);
    std::lock_guard<std::mutex> l(mu_);
    json::array out;
    for (const auto& [name, job] : jobs_) {
      if (job.summary.empty()) continue;
      std::string role = req.param("role"), env = req.param("environment");
      if (!role.empty() && job.summary.at("role").as_string() != role) continue;
      if (!env.empty() && job.summary.at("environment").as_string() != env) continue;
      out.push_back(job.summary);
    }
    r(json_answer(200, json::object{{"jobs", out}}));
  });
  job_route("GET", "/api/v1/jobs/*/*/*",
            [this](Job* job, const std::vector<std::string>&, const HttpRequest&, Responder r) {
              json::object detail = job->summary;
              detail["spec"] = job->spec;
              r(json_answer(200, json::object{{"job", detail}}));
            });
  job_route("GET", "/api/v1/jobs/*/*/*/tasks",
            [this](Job* job, const std::vector<std::string>&, const HttpRequest&, Responder r) {
              json::array tasks;
              if (!job->polls.empty()) {
                tasks = job->polls[std::min(job->next_poll, job->polls.size() - 1)];
                ++job->next_poll;
              }
              r(json_answer(200, json::object{{"tasks", tasks}}));
            });
  job_route(
      "POST", "/api/v1/jobs/*/*/*/kill",
      [this](Job* job, const std::vector<std::string>& segs, const HttpRequest& req, Responder r) {
        auto body = parse_json(req.body);
        json::array killed;
        std::string prefix = segs[3] + "-" + segs[4] + "-" + segs[5] + "-";
        if (body.ok() && body->as_object().contains("instances")) {
          for (const auto& i : body->as_object().at("instances").as_array())
            killed.push_back(json::value(prefix + std::to_string(i.as_int64()) + "-x"));
        } else {
          for (int64_t i = 0; i < job->summary.at("instances").as_int64(); ++i)
            killed.push_back(json::value(prefix + std::to_string(i) + "-x"));
          job->summary = {};
        }
        r(json_answer(200, json::object{{"killed", killed}}));
      });
  install_update_routes();
}

namespace {

// An update answer without the detail view's fields.
json::object summary_of(json::object u) {
  u.erase("forward");
  u.erase("rollback");
  u.erase("events");
  return u;
}

}  // namespace

void FakeScheduler::install_update_routes() {
  using net::HttpRequest;
  using net::HttpResponse;
  using net::Responder;
  auto no_update = [this](const std::vector<std::string>& segs) {
    return HttpResponse::error(404, "NOT_FOUND",
                               "job " + cluster_ + "/" + job_name(segs) + " has no active update");
  };
  // Start, restart and the control verbs: the scripted update's first answer.
  auto act = [no_update](Job* job, const std::vector<std::string>& segs, const HttpRequest&,
                         Responder r) {
    if (job->update_polls.empty()) return r(no_update(segs));
    r(json_answer(200, json::object{{"update", summary_of(job->update_polls.front())}}));
  };
  job_route("POST", "/api/v1/jobs/*/*/*/update", act);
  job_route("POST", "/api/v1/jobs/*/*/*/update/*", act);
  job_route("POST", "/api/v1/jobs/*/*/*/restart", act);
  job_route("POST", "/api/v1/jobs/*/*/*/instances",
            [this](Job* job, const std::vector<std::string>&, const HttpRequest& req, Responder r) {
              auto body = parse_json(req.body);
              int64_t count = body.ok() ? body->at("count").as_int64() : 0;
              int64_t first = job->summary.at("instances").as_int64();
              json::array added;
              for (int64_t i = 0; i < count; ++i) added.push_back(first + i);
              job->summary["instances"] = first + count;
              r(json_answer(200, json::object{{"added", added}}));
            });
  job_route("GET", "/api/v1/jobs/*/*/*/updates",
            [this](Job* job, const std::vector<std::string>&, const HttpRequest&, Responder r) {
              json::array out;
              if (!job->update_polls.empty()) {
                // The answer the latest GET .../updates/ID got.
                size_t n = std::min(job->next_update_poll, job->update_polls.size());
                size_t last = n == 0 ? 0 : n - 1;
                out.push_back(summary_of(job->update_polls[last]));
              }
              r(json_answer(200, json::object{{"updates", out}}));
            });
  job_route(
      "GET", "/api/v1/jobs/*/*/*/updates/*",
      [this](Job* job, const std::vector<std::string>& segs, const HttpRequest&, Responder r) {
        if (job->update_polls.empty())
          return r(HttpResponse::error(404, "NOT_FOUND",
                                       "job " + job_name(segs) + " has no update " + segs[7]));
        size_t i = std::min(job->next_update_poll, job->update_polls.size() - 1);
        ++job->next_update_poll;
        r(json_answer(200, json::object{{"update", job->update_polls[i]}}));
      });
  server_->route("GET", "/api/v1/updates", [this](const HttpRequest& req, Responder r) {
    if (auto f = record(req)) return r(*f);
    std::lock_guard<std::mutex> l(mu_);
    json::array out;
    for (const auto& [name, job] : jobs_) {
      if (job.update_polls.empty()) continue;
      std::string role = req.param("role");
      if (!role.empty() && job.summary.at("role").as_string() != role) continue;
      out.push_back(summary_of(job.update_polls.back()));
    }
    r(json_answer(200, json::object{{"updates", out}}));
  });
}

}  // namespace borealis::cli::testing
