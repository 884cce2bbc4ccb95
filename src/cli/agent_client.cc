#include "cli/agent_client.h"

#include "api/http_status.h"
#include "cli/scheduler_locator.h"
#include "common/json.h"
#include "common/strings.h"

namespace borealis::cli {

Result<AgentAccess> agent_access(const std::vector<std::string>& cluster_files,
                                 const TokenSettings& tokens, const std::string& cluster,
                                 std::chrono::milliseconds timeout) {
  BOREALIS_ASSIGN_OR_RETURN(Clusters clusters, Clusters::load(cluster_files));
  BOREALIS_ASSIGN_OR_RETURN(ClusterConfig entry, clusters.find(cluster));
  BOREALIS_ASSIGN_OR_RETURN(ClusterCredentials credentials, credentials_for(entry, tokens));
  // A "zk" cluster's scheme is the leader's: look it up.
  BOREALIS_ASSIGN_OR_RETURN(ClusterConfig config, with_scheduler_uri(std::move(entry), timeout));
  AgentAccess access;
  access.scheme = starts_with(config.scheduler_uri, "https://") ? "https" : "http";
  access.tls = config.tls;
  access.credentials = std::move(credentials);
  access.timeout = timeout;
  return access;
}

Result<std::map<std::string, std::string>> agent_addresses(ApiClient& api) {
  BOREALIS_ASSIGN_OR_RETURN(AgentList agents, api.agents());
  std::map<std::string, std::string> out;
  for (const AgentInfo& a : agents.agents) out[a.agent_id] = a.address;
  return out;
}

Result<std::unique_ptr<AgentClient>> AgentClient::create(const AgentAccess& access,
                                                         const std::string& address) {
  if (address.empty()) return failed_precondition("the agent registered no address");
  auto http = net::HttpClient::create(access.scheme + "://" + address, access.tls);
  if (!http.ok()) return http.status().with_context("agent at " + address);
  if (access.credentials.token)
    (*http)->set_header("Authorization", access.credentials.token->authorization());
  return std::unique_ptr<AgentClient>(new AgentClient(std::move(http).value(), address, access));
}

AgentClient::AgentClient(std::unique_ptr<net::HttpClient> http, std::string address,
                         AgentAccess access)
    : http_(std::move(http)), address_(std::move(address)), access_(std::move(access)) {}

Result<std::string> AgentClient::get(const std::string& path) {
  return call("GET", path, "", access_.timeout,
              "reading a task's files and logs needs a grant for its role");
}

Result<std::string> AgentClient::call(const std::string& method, const std::string& path,
                                      const std::string& body, std::chrono::milliseconds timeout,
                                      const char* grant_hint) {
  auto res = http_->request(method, path, body, timeout);
  if (!res.ok())
    return Status(res.status().code(), "agent at " + address_ + ": " + res.status().message());
  if (res->status >= 200 && res->status < 300) return std::move(res->body);
  return refusal(method, path, *res, grant_hint);
}

Status AgentClient::refusal(const std::string& method, const std::string& path,
                            const net::ClientResponse& res, const char* grant_hint) const {
  Status st = api::status_from_error_answer(res.status, res.body);
  std::string message =
      "agent at " + address_ + " refused " + method + " " + path + ": " + st.message();
  if (st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied)
    message += "\n" + auth_hint(access_.credentials, st.code()) + " (" + grant_hint + ")";
  return Status(st.code(), message);
}

Result<json::value> AgentClient::get_json(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(std::string body, get(path));
  auto doc = parse_json(body);
  if (!doc.ok())
    return internal_error("unexpected answer from agent at " + address_ + " to GET " + path + ": " +
                          doc.status().message());
  return doc;
}

namespace {

std::string task_path(const std::string& task_id) {
  return "/api/v1/tasks/" + net::url_encode(task_id);
}

// The string member `name` of `o`, or "" when absent or not a string.
std::string string_member(const json::value& o, const char* name) {
  const json::value* v = o.is_object() ? o.as_object().if_contains(name) : nullptr;
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

Result<std::string> AgentClient::task_sandbox(const std::string& task_id) {
  BOREALIS_ASSIGN_OR_RETURN(json::value doc, get_json(task_path(task_id)));
  const json::value* task = doc.is_object() ? doc.as_object().if_contains("task") : nullptr;
  std::string sandbox = task ? string_member(*task, "sandbox") : "";
  if (sandbox.empty())
    return internal_error("agent at " + address_ + " named no sandbox for task " + task_id);
  return sandbox;
}

Result<std::vector<SandboxEntry>> AgentClient::list(const std::string& task_id,
                                                    const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(json::value doc,
                            get_json(task_path(task_id) + "/files?path=" + net::url_encode(path)));
  std::vector<SandboxEntry> out;
  const json::value* entries = doc.is_object() ? doc.as_object().if_contains("entries") : nullptr;
  if (!entries || !entries->is_array())
    return failed_precondition("'" + path + "' of task " + task_id + " is not a directory");
  for (const json::value& e : entries->as_array()) {
    SandboxEntry entry{string_member(e, "name"), string_member(e, "type"), 0};
    if (const json::value* size = e.is_object() ? e.as_object().if_contains("size") : nullptr)
      if (size->is_int64()) entry.size = size->get_int64();
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::string> AgentClient::read_log(const std::string& task_id, const std::string& process,
                                          const std::string& stream, int64_t run, int64_t offset,
                                          int64_t length) {
  return get(task_path(task_id) + "/logs/" + net::url_encode(process) +
             "?stream=" + net::url_encode(stream) + "&run=" + std::to_string(run) +
             "&offset=" + std::to_string(offset) + "&length=" + std::to_string(length));
}

Result<api::TaskRunResult> AgentClient::run(const std::string& task_id,
                                            const api::TaskRunRequest& request) {
  std::string path = task_path(task_id) + "/run";
  // The agent answers when the command ended: give it its whole time, and some.
  auto timeout = std::chrono::seconds(request.timeout_secs) + access_.timeout;
  BOREALIS_ASSIGN_OR_RETURN(
      std::string body,
      call("POST", path, json::serialize(api::encode(request)), timeout,
           "running commands in a task needs a grant for its role, as a restart does"));
  auto result = api::decode_body<api::TaskRunResult>(body);
  if (!result.ok())
    return internal_error("unexpected answer from agent at " + address_ + " to POST " + path +
                          ": " + result.status().message());
  return result;
}

Result<std::shared_ptr<net::ByteStream>> AgentClient::open_shell(const std::string& task_id,
                                                                 const api::WindowSize& size,
                                                                 const std::string& term) {
  std::string path = task_path(task_id) + "/shell?rows=" + std::to_string(size.rows) +
                     "&cols=" + std::to_string(size.cols) + "&term=" + net::url_encode(term);
  auto res = http_->upgrade("POST", path, api::kTaskShellProtocol, access_.timeout);
  if (!res.ok())
    return Status(res.status().code(), "agent at " + address_ + ": " + res.status().message());
  if (res->stream) return res->stream;
  if (res->response.status >= 200 && res->response.status < 300)
    return internal_error("agent at " + address_ + " answered POST " + path + " with " +
                          std::to_string(res->response.status) + " instead of opening a shell");
  return refusal("POST", path, res->response,
                 "a shell in a task needs a grant for its role, as a restart does");
}

}  // namespace borealis::cli
