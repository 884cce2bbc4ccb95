#include "scheduler/server/agent_proxy.h"

#include <boost/asio/post.hpp>
#include <chrono>

#include "net/http_client.h"

namespace borealis::scheduler {

namespace {

constexpr int kThreads = 2;
// Reads queued or under way; a UI page polls a log about twice a second.
constexpr int kMaxWaiting = 64;
constexpr auto kTimeout = std::chrono::seconds(5);
// The agent answers at most 8 MiB of a file per read (docs/agent-api.md).
constexpr size_t kMaxBodyBytes = 9 * 1024 * 1024;

net::HttpResponse unavailable(const std::string& address, const std::string& why) {
  return net::HttpResponse::error(503, "UNAVAILABLE", "agent " + address + ": " + why);
}

}  // namespace

AgentProxy::AgentProxy() : pool_(kThreads) {}

AgentProxy::~AgentProxy() { pool_.join(); }

void AgentProxy::get(std::string address, std::string path, std::string authorization,
                     net::Responder respond) {
  if (waiting_.fetch_add(1) >= kMaxWaiting) {
    waiting_.fetch_sub(1);
    return respond(unavailable(address, "too many reads of agents are under way; try again"));
  }
  boost::asio::post(pool_,
                    [this, address = std::move(address), path = std::move(path),
                     authorization = std::move(authorization), respond = std::move(respond)] {
                      auto client = net::HttpClient::create("http://" + address);
                      if (!client.ok()) {
                        waiting_.fetch_sub(1);
                        return respond(unavailable(address, client.status().message()));
                      }
                      (*client)->set_max_response_bytes(kMaxBodyBytes);
                      if (!authorization.empty())
                        (*client)->set_header("Authorization", authorization);
                      auto answer = (*client)->get(path, kTimeout);
                      waiting_.fetch_sub(1);
                      if (!answer.ok())
                        return respond(unavailable(address, answer.status().message()));
                      net::HttpResponse out;
                      out.status = answer->status;
                      out.content_type = answer->content_type;
                      out.body = std::move(answer->body);
                      respond(std::move(out));
                    });
}

}  // namespace borealis::scheduler
