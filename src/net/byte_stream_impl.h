// Internal to src/net: a ByteStream over a Beast stream (beast::tcp_stream or its
// ssl_stream), used by the server's sessions and the client after an Upgrade.
#pragma once

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <memory>
#include <string>

#include "net/byte_stream.h"

namespace borealis::net::detail {

template <class Stream>
class BeastByteStream final : public ByteStream {
 public:
  // `stream` stays valid while `owner` lives; `leftover` are bytes already read past the
  // HTTP message, handed out before the stream's own.
  BeastByteStream(Stream& stream, std::shared_ptr<void> owner, std::string leftover)
      : stream_(stream), owner_(std::move(owner)), leftover_(std::move(leftover)) {
    boost::beast::get_lowest_layer(stream_).expires_never();
  }

  void async_read_some(boost::asio::mutable_buffer buffer, Handler done) override {
    if (!leftover_.empty()) {
      size_t n = boost::asio::buffer_copy(buffer, boost::asio::buffer(leftover_));
      leftover_.erase(0, n);
      boost::asio::post(stream_.get_executor(),
                        [done = std::move(done), n] { done(boost::system::error_code(), n); });
      return;
    }
    stream_.async_read_some(buffer, std::move(done));
  }

  void async_write(boost::asio::const_buffer buffer, Handler done) override {
    boost::asio::async_write(stream_, buffer, std::move(done));
  }

  void close() override {
    boost::system::error_code ec;
    auto& tcp = boost::beast::get_lowest_layer(stream_);
    tcp.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    tcp.close();
  }

  boost::asio::any_io_executor executor() override { return stream_.get_executor(); }

 private:
  Stream& stream_;
  std::shared_ptr<void> owner_;
  std::string leftover_;
};

}  // namespace borealis::net::detail
