// One keep-alive HTTP/1.1 connection on a Boost.Asio io_context, for the simulated agents:
// thousands of them share one thread, each holding its own connections as a real agent
// does. It reconnects on the next request after any error.
//
// Threading: every call and every callback runs on the io_context's thread. One request
// at a time: the caller waits for the callback before it sends the next.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace borealis::sim {

struct Endpoint {
  std::string host;  // a numeric address or a name
  std::string port;
};

// Reads "http://host:port" (no path); https and other forms are refused, naming the URL.
Result<Endpoint> parse_http_url(const std::string& url);

// The scheduler a Location header names ("http://HOST:PORT/any/path?query"): a standby's
// 307 points at the leader. Anything else, or over 2 KiB, is refused naming it.
Result<Endpoint> location_endpoint(const std::string& location);

struct AsyncResponse {
  int status = 0;
  std::string body;
  std::string location;  // the Location header, "" when absent
};

using ResponseCallback = std::function<void(Result<AsyncResponse>)>;

class AsyncHttpConnection {
 public:
  // `authorization`: the full header value ("Bearer ...") or "" for none.
  AsyncHttpConnection(boost::asio::io_context& io, Endpoint endpoint, std::string authorization);
  ~AsyncHttpConnection();
  AsyncHttpConnection(const AsyncHttpConnection&) = delete;
  AsyncHttpConnection& operator=(const AsyncHttpConnection&) = delete;

  // POSTs `body` (JSON) to `target`; `done` gets the answer, or kUnavailable naming the
  // step that failed. Answers over 64 MiB are an error.
  void post(const std::string& target, std::string body, std::chrono::milliseconds timeout,
            ResponseCallback done);
  // Talks to `endpoint` from the next request on (closing the connection when it differs).
  // Not while a request is in flight.
  void set_endpoint(const Endpoint& endpoint);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace borealis::sim
