// A client for an agent's HTTP API (docs/agent-api.md), as the CLI uses it to read a task's
// sandbox and logs (`job logs`, `task ssh`) and run commands in it (`task run`).
//
// The agent is found through the scheduler (GET /api/v1/agents: its `address`) and reached
// with the cluster's settings: the scheme of its scheduler_uri (an https:// cluster's agents
// serve https too), its TLS files and the caller's token. Errors name the agent; a 401 or
// 403 comes back as UNAUTHENTICATED or PERMISSION_DENIED saying the agent refused the token.
//
// Threading: blocking; one instance per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/task_run.h"
#include "api/task_shell.h"
#include "cli/api_client.h"
#include "cli/cluster_config.h"
#include "cli/credentials.h"
#include "common/result.h"
#include "net/byte_stream.h"
#include "net/http_client.h"

namespace borealis::cli {

// How to reach the agents of one cluster.
struct AgentAccess {
  std::string scheme = "http";  // the scheme of the cluster's scheduler_uri
  net::ClientTlsFiles tls;
  ClusterCredentials credentials;
  std::chrono::milliseconds timeout{10000};
};

// Reads the cluster's entry in the clusters.json files and the caller's token for it; a
// "zk" cluster's scheduler is looked up in ZooKeeper, waiting at most `timeout`.
Result<AgentAccess> agent_access(const std::vector<std::string>& cluster_files,
                                 const TokenSettings& tokens, const std::string& cluster,
                                 std::chrono::milliseconds timeout);

// Every agent's API address (HOST:PORT) by agent id, from the scheduler.
Result<std::map<std::string, std::string>> agent_addresses(ApiClient& api);

// One entry of a sandbox directory listing.
struct SandboxEntry {
  std::string name;
  std::string type;  // file, directory, symlink, other
  int64_t size = 0;
};

class AgentClient {
 public:
  // `address` is the agent's HOST:PORT as registered with the scheduler.
  static Result<std::unique_ptr<AgentClient>> create(const AgentAccess& access,
                                                     const std::string& address);

  // The task's directory on the agent's host (its work dir is SANDBOX/sandbox).
  Result<std::string> task_sandbox(const std::string& task_id);
  // The entries of `path` (relative to the task directory), sorted by name.
  Result<std::vector<SandboxEntry>> list(const std::string& task_id, const std::string& path);
  // Up to `length` bytes of `process`'s `stream` of run `run`, from `offset`.
  Result<std::string> read_log(const std::string& task_id, const std::string& process,
                               const std::string& stream, int64_t run, int64_t offset,
                               int64_t length);

  // Runs a command in the task's work dir, as its user (POST .../run); waits until it ended.
  Result<api::TaskRunResult> run(const std::string& task_id, const api::TaskRunRequest& request);

  // Opens an interactive shell in the task's work dir, as its user (POST .../shell, an
  // HTTP Upgrade): the connection, carrying api/task_shell.h's frames, driven by io().
  Result<std::shared_ptr<net::ByteStream>> open_shell(const std::string& task_id,
                                                      const api::WindowSize& size,
                                                      const std::string& term);
  boost::asio::io_context& io() { return http_->io(); }

  const std::string& address() const { return address_; }

 private:
  AgentClient(std::unique_ptr<net::HttpClient> http, std::string address, AgentAccess access);
  // The 2xx body of GET `path`, or the agent's error as a Status naming the agent.
  Result<std::string> get(const std::string& path);
  // The 2xx body of `method` `path`; a 401/403 says what grant `grant_hint` says is needed.
  Result<std::string> call(const std::string& method, const std::string& path,
                           const std::string& body, std::chrono::milliseconds timeout,
                           const char* grant_hint);
  Result<json::value> get_json(const std::string& path);
  // The agent's non-2xx answer to `method` `path` as a Status naming the agent.
  Status refusal(const std::string& method, const std::string& path, const net::ClientResponse& res,
                 const char* grant_hint) const;

  std::unique_ptr<net::HttpClient> http_;
  std::string address_;
  AgentAccess access_;
};

}  // namespace borealis::cli
