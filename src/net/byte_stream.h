// A connection after an HTTP Upgrade (101 Switching Protocols): plain bytes both ways, over
// TCP or TLS alike. The server hands one to a route's HttpResponse::on_upgrade; the client
// gets one from HttpClient::upgrade().
//
// Threading: call it on the executor() thread only; at most one read and one write pending
// at a time. Handlers run on that thread. The stream lives while it or a pending operation
// is referenced; close() ends pending operations with an error.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <functional>

namespace borealis::net {

class ByteStream {
 public:
  using Handler = std::function<void(boost::system::error_code, size_t)>;
  virtual ~ByteStream() = default;

  // Some bytes into `buffer` (those that came with the HTTP answer first).
  virtual void async_read_some(boost::asio::mutable_buffer buffer, Handler done) = 0;
  // All of `buffer` (which must stay valid until `done`).
  virtual void async_write(boost::asio::const_buffer buffer, Handler done) = 0;
  // Closes the connection (a TLS close_notify is not waited for).
  virtual void close() = 0;
  virtual boost::asio::any_io_executor executor() = 0;
};

}  // namespace borealis::net
