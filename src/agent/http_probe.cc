#include "agent/http_probe.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "agent/complete_once.h"

namespace borealis::agent {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kMaxBody = 64 * 1024;

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

class Exchange final : public HttpProbe, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& io, int64_t port, std::string method, std::string target,
           std::chrono::milliseconds timeout, Done done)
      : stream_(io), port_(port), timeout_(timeout), done_(std::move(done)) {
    request_.method(method == "POST" ? http::verb::post : http::verb::get);
    request_.target(target);
    request_.version(11);
    request_.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    request_.set(http::field::user_agent, "borealis-agent");
    request_.set(http::field::connection, "close");
    if (method == "POST") request_.content_length(0);
    parser_.body_limit(kMaxBody);
  }

  void run() {
    if (port_ <= 0 || port_ > 65535) {
      // Never call `done` from inside start().
      asio::post(stream_.get_executor(), [self = shared_from_this()] {
        self->finish("port " + std::to_string(self->port_) + " is invalid");
      });
      return;
    }
    stream_.expires_after(timeout_);
    tcp::endpoint ep(asio::ip::address_v4::loopback(), static_cast<uint16_t>(port_));
    stream_.async_connect(ep, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish(self->describe(ec));
      http::async_write(self->stream_, self->request_, [self](beast::error_code ec, size_t) {
        if (ec) return self->finish(self->describe(ec));
        http::async_read(self->stream_, self->buffer_, self->parser_,
                         [self](beast::error_code ec, size_t) { self->on_read(ec); });
      });
    });
  }

  void cancel() override {
    cancelled_ = true;
    beast::error_code ec;
    stream_.socket().close(ec);
  }

 private:
  std::string describe(const beast::error_code& ec) const {
    if (cancelled_) return "cancelled";
    if (ec == beast::error::timeout) return "timed out after " + seconds_text(timeout_);
    return ec.message();
  }

  void on_read(const beast::error_code& ec) {
    if (ec) return finish(describe(ec));
    HttpProbeResult r;
    r.answered = true;
    r.status = static_cast<int>(parser_.get().result_int());
    r.body = std::move(parser_.get().body());
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    complete(std::move(r));
  }

  void finish(std::string error) {
    HttpProbeResult r;
    r.error = std::move(error);
    stream_.close();
    complete(std::move(r));
  }

  void complete(HttpProbeResult r) { complete_once(done_, std::move(r)); }

  beast::tcp_stream stream_;
  int64_t port_;
  std::chrono::milliseconds timeout_;
  Done done_;
  bool cancelled_ = false;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

std::shared_ptr<HttpProbe> HttpProbe::start(asio::io_context& io, int64_t port, std::string method,
                                            std::string target, std::chrono::milliseconds timeout,
                                            Done done) {
  auto e = std::make_shared<Exchange>(io, port, std::move(method), std::move(target), timeout,
                                      std::move(done));
  e->run();
  return e;
}

std::string probe_url(int64_t port, const std::string& target) {
  return "http://127.0.0.1:" + std::to_string(port) + target;
}

}  // namespace borealis::agent
