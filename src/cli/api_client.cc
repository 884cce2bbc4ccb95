#include "cli/api_client.h"

#include <cctype>

#include "cli/job_args.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

StatusCode code_from_name(std::string_view name) {
  static const StatusCode kCodes[] = {
      StatusCode::kInvalidArgument,    StatusCode::kNotFound,    StatusCode::kAlreadyExists,
      StatusCode::kFailedPrecondition, StatusCode::kUnavailable, StatusCode::kResourceExhausted,
      StatusCode::kPermissionDenied,   StatusCode::kIoError,     StatusCode::kInternal};
  for (StatusCode c : kCodes)
    if (status_code_name(c) == name) return c;
  return StatusCode::kOk;
}

StatusCode code_from_http(int status) {
  switch (status) {
    case 400:
      return StatusCode::kInvalidArgument;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kFailedPrecondition;
    case 413:
    case 429:
      return StatusCode::kResourceExhausted;
    case 503:
      return StatusCode::kUnavailable;
    default:
      return status >= 500 ? StatusCode::kInternal : StatusCode::kFailedPrecondition;
  }
}

}  // namespace

Status status_from_http_error(int http_status, const std::string& body) {
  StatusCode code = code_from_http(http_status);
  std::string message;
  auto doc = parse_json(body);
  if (doc.ok() && doc->is_object()) {
    const json::value* err = doc->get_object().if_contains("error");
    if (err && err->is_object()) {
      const auto& e = err->get_object();
      if (const json::value* c = e.if_contains("code"); c && c->is_string()) {
        StatusCode named = code_from_name(c->get_string());
        if (named != StatusCode::kOk) code = named;
      }
      if (const json::value* m = e.if_contains("message"); m && m->is_string())
        message = std::string(m->get_string());
    }
  }
  if (message.empty()) {
    // Not the API's error shape (a proxy, an older server): show what came back.
    std::string text(trim(body.substr(0, 200)));
    message = "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text);
  }
  return Status(code, message);
}

std::string job_path(const JobKey& key) {
  return "/api/v1/jobs/" + net::url_encode(key.role) + "/" + net::url_encode(key.environment) +
         "/" + net::url_encode(key.name);
}

Result<std::unique_ptr<ApiClient>> ApiClient::create(std::string cluster,
                                                     const std::string& base_url,
                                                     std::chrono::milliseconds timeout) {
  auto http = net::HttpClient::create(base_url);
  if (!http.ok()) return http.status().with_context("scheduler of cluster '" + cluster + "'");
  return std::unique_ptr<ApiClient>(
      new ApiClient(std::move(cluster), std::move(http).value(), timeout));
}

ApiClient::ApiClient(std::string cluster, std::unique_ptr<net::HttpClient> http,
                     std::chrono::milliseconds timeout)
    : cluster_(std::move(cluster)), http_(std::move(http)), timeout_(timeout) {}

Status ApiClient::transport_error(const Status& st) const {
  // net::HttpClient says "cannot connect to URL: Connection refused" or
  // "GET URL/path: no answer within N ms"; keep the cause, say which cluster it was.
  std::string detail = st.message();
  const std::string& base = http_->base_url();
  const std::string connect_prefix = "cannot connect to " + base + ": ";
  if (starts_with(detail, connect_prefix)) {
    detail = detail.substr(connect_prefix.size());
  } else if (size_t at = detail.find(" " + base); at != std::string::npos) {
    detail.erase(at + 1, base.size());
  }
  if (!detail.empty())
    detail[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(detail[0])));
  return unavailable("cannot reach scheduler of cluster '" + cluster_ + "' at " + base + ": " +
                     detail);
}

Result<json::value> ApiClient::call(const std::string& method, const std::string& path,
                                    const std::string& body) {
  auto res = http_->request(method, path, body, timeout_);
  if (!res.ok()) {
    if (res.status().code() == StatusCode::kUnavailable) return transport_error(res.status());
    return res.status();
  }
  if (res->status < 200 || res->status >= 300)
    return status_from_http_error(res->status, res->body);
  auto doc = parse_json(res->body);
  if (!doc.ok()) {
    return internal_error("unexpected answer from scheduler of cluster '" + cluster_ + "' to " +
                          method + " " + path + ": " + doc.status().message());
  }
  return doc;
}

namespace {

// Wraps a reader so a body of the wrong shape names the request.
template <typename T>
Result<T> read_answer(Result<T> r, const std::string& cluster, const std::string& what) {
  if (r.ok()) return r;
  return internal_error("unexpected answer from scheduler of cluster '" + cluster + "' to " + what +
                        ": " + r.status().message());
}

}  // namespace

Result<ClusterInfo> ApiClient::cluster_info() {
  const std::string path = "/api/v1/cluster";
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(cluster_info_from_json(v), cluster_, "GET " + path);
}

Result<AgentList> ApiClient::agents() {
  const std::string path = "/api/v1/agents";
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(agent_list_from_json(v), cluster_, "GET " + path);
}

Result<CreateResult> ApiClient::create_job(const json::value& spec) {
  const std::string path = "/api/v1/jobs";
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(spec)));
  return read_answer(create_result_from_json(v), cluster_, "POST " + path);
}

Result<JobList> ApiClient::list_jobs(const std::string& role, const std::string& environment) {
  std::string path = "/api/v1/jobs";
  if (!role.empty()) {
    path += "?role=" + net::url_encode(role);
    if (!environment.empty()) path += "&environment=" + net::url_encode(environment);
  }
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(job_list_from_json(v), cluster_, "GET " + path);
}

Result<JobDetail> ApiClient::get_job(const JobKey& key) {
  const std::string path = job_path(key);
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(job_detail_from_json(v), cluster_, "GET " + path);
}

Result<TaskList> ApiClient::tasks(const JobKey& key, const TaskQuery& query) {
  std::string path = job_path(key) + "/tasks";
  std::vector<std::string> params;
  if (query.instances) params.push_back("instances=" + format_instance_ranges(*query.instances));
  if (query.active_only) params.push_back("active=true");
  if (!params.empty()) path += "?" + join(params, "&");
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(task_list_from_json(v), cluster_, "GET " + path);
}

Result<KillResult> ApiClient::kill(const JobKey& key,
                                   const std::optional<std::vector<int32_t>>& instances) {
  const std::string path = job_path(key) + "/kill";
  json::object body;
  if (instances) {
    json::array ids;
    for (int32_t i : *instances) ids.push_back(i);
    body["instances"] = std::move(ids);
  }
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(body)));
  return read_answer(kill_result_from_json(v), cluster_, "POST " + path);
}

namespace {

json::array ids_json(const std::vector<int32_t>& ids) {
  json::array out;
  for (int32_t i : ids) out.push_back(i);
  return out;
}

}  // namespace

Result<UpdateSummary> ApiClient::start_update(const JobKey& key, const json::value& spec,
                                              const std::optional<std::vector<int32_t>>& instances,
                                              const std::string& message) {
  const std::string path = job_path(key) + "/update";
  json::object body{{"spec", spec}};
  if (instances) body["instances"] = ids_json(*instances);
  if (!message.empty()) body["message"] = message;
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(body)));
  return read_answer(update_answer_from_json(v), cluster_, "POST " + path);
}

Result<UpdateSummary> ApiClient::control_update(const JobKey& key, std::string_view action,
                                                const std::string& message) {
  const std::string path = job_path(key) + "/update/" + std::string(action);
  json::object body;
  if (!message.empty()) body["message"] = message;
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(body)));
  return read_answer(update_answer_from_json(v), cluster_, "POST " + path);
}

Result<UpdateSummary> ApiClient::restart(const JobKey& key, const RestartRequest& request) {
  const std::string path = job_path(key) + "/restart";
  json::object body;
  if (request.instances) body["instances"] = ids_json(*request.instances);
  if (request.batch_size > 0) body["batch_size"] = request.batch_size;
  if (request.watch_secs >= 0) body["watch_secs"] = request.watch_secs;
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(body)));
  return read_answer(update_answer_from_json(v), cluster_, "POST " + path);
}

Result<AddInstancesResult> ApiClient::add_instances(const JobKey& key, int32_t instance,
                                                    int32_t count) {
  const std::string path = job_path(key) + "/instances";
  json::object body{{"instance", instance}, {"count", count}};
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("POST", path, to_json(body)));
  return read_answer(add_instances_result_from_json(v), cluster_, "POST " + path);
}

Result<UpdateList> ApiClient::job_updates(const JobKey& key) {
  const std::string path = job_path(key) + "/updates";
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(update_list_from_json(v), cluster_, "GET " + path);
}

Result<UpdateDetail> ApiClient::get_update(const JobKey& key, const std::string& id) {
  const std::string path = job_path(key) + "/updates/" + net::url_encode(id);
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(update_detail_from_json(v), cluster_, "GET " + path);
}

Result<UpdateList> ApiClient::list_updates(const UpdateQuery& query) {
  std::string path = "/api/v1/updates";
  std::vector<std::string> params;
  if (!query.role.empty()) params.push_back("role=" + net::url_encode(query.role));
  if (!query.environment.empty())
    params.push_back("environment=" + net::url_encode(query.environment));
  if (!query.name.empty()) params.push_back("name=" + net::url_encode(query.name));
  if (!query.statuses.empty()) params.push_back("status=" + join(query.statuses, ","));
  if (!params.empty()) path += "?" + join(params, "&");
  BOREALIS_ASSIGN_OR_RETURN(json::value v, call("GET", path));
  return read_answer(update_list_from_json(v), cluster_, "GET " + path);
}

}  // namespace borealis::cli
