// One asynchronous HTTP/1.1 request to 127.0.0.1:PORT on the caller's io_context: the
// health checker's GET and the graceful shutdown's POSTs. No thread of its own; the
// whole exchange (connect, write, read) is bounded by one timeout, and the answer's body
// is capped (a health endpoint answers a few bytes).
//
// Ownership: start() returns a handle; the operation keeps itself alive until it
// completes. cancel() (or dropping every handle's interest by calling cancel) closes the
// socket; `done` is then called with an error. `done` runs on the io_context's thread,
// exactly once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace borealis::agent {

struct HttpProbeResult {
  bool answered = false;  // an HTTP response was read (any status)
  int status = 0;
  std::string body;
  std::string error;  // when !answered: "connection refused", "timed out after 1 s", ...
};

class HttpProbe {
 public:
  using Done = std::function<void(HttpProbeResult)>;
  // `target` starts with '/'. `method` is "GET" or "POST" (with an empty body).
  static std::shared_ptr<HttpProbe> start(boost::asio::io_context& io, int64_t port,
                                          std::string method, std::string target,
                                          std::chrono::milliseconds timeout, Done done);
  virtual ~HttpProbe() = default;
  virtual void cancel() = 0;
};

// "http://127.0.0.1:31000/health"
std::string probe_url(int64_t port, const std::string& target);

}  // namespace borealis::agent
