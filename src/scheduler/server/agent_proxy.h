// Reads of an agent's task API made on behalf of a caller of the scheduler (the web UI's
// task page, docs/ui.md): a bounded pool of threads, so the blocking HTTP client never runs
// on the HTTP or core thread, and a bound on requests waiting, so a slow agent cannot pile
// work up in the scheduler.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <string>

#include "net/http_server.h"

namespace borealis::scheduler {

class AgentProxy {
 public:
  AgentProxy();
  ~AgentProxy();  // waits for the reads under way (each bounded by its timeout)
  AgentProxy(const AgentProxy&) = delete;
  AgentProxy& operator=(const AgentProxy&) = delete;

  // GET `path` (with its query) from the agent at `address` ("host:port"), sending
  // `authorization` (the caller's header, so the agent applies its own grants) when not
  // empty; `respond` gets the agent's status, content type and body, or 503 naming the agent
  // when it cannot be reached or too many reads wait.
  void get(std::string address, std::string path, std::string authorization,
           net::Responder respond);

 private:
  boost::asio::thread_pool pool_;
  std::atomic<int> waiting_{0};
};

}  // namespace borealis::scheduler
