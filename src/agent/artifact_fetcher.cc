#include "agent/artifact_fetcher.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>

#include "agent/file_util.h"
#include "common/beneath.h"
#include "jobspec/artifacts.h"
#include "net/tls_context.h"

namespace borealis::agent {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

constexpr size_t kPieceBytes = 256 * 1024;

// The temporary file and the running digest; the file is deleted unless kept.
class Sink {
 public:
  Sink(std::string path, int64_t max_bytes) : path_(std::move(path)), max_bytes_(max_bytes) {}
  ~Sink() {
    if (ctx_) EVP_MD_CTX_free(ctx_);
    if (!kept_) ::unlink(path_.c_str());
  }

  Status open() {
    ctx_ = EVP_MD_CTX_new();
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1)
      return internal_error("cannot start a SHA-256 digest");
    // Read-only for everyone once written: the same inode becomes the sandbox's file.
    fd_ = Fd(
        ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kArtifactMode));
    if (!fd_.valid()) return io_error("cannot create " + path_ + ": " + errno_text(errno));
    // Whatever the agent's umask: tasks of every user read and execute it.
    if (::fchmod(fd_.get(), kArtifactMode) != 0)
      return io_error("cannot chmod " + path_ + ": " + errno_text(errno));
    return Status();
  }

  Status write(const char* data, size_t n) {
    if (size_ + static_cast<int64_t>(n) > max_bytes_)
      return resource_exhausted("it is larger than the whole artifact cache (" +
                                std::to_string(max_bytes_) + " bytes, --artifact-cache-size)");
    EVP_DigestUpdate(ctx_, data, n);
    while (n > 0) {
      ssize_t w = ::write(fd_.get(), data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return io_error("cannot write " + path_ + ": " + errno_text(errno));
      data += w;
      n -= static_cast<size_t>(w);
      size_ += w;
    }
    return Status();
  }

  // Checks the digest; keeps the file when it matches.
  Result<int64_t> finish(const std::string& expected) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx_, digest, &len);
    std::string got;
    static const char kHex[] = "0123456789abcdef";
    for (unsigned i = 0; i < len; ++i) {
      got += kHex[digest[i] >> 4];
      got += kHex[digest[i] & 15];
    }
    if (got != expected)
      return failed_precondition("sha256 mismatch: expected " + expected + ", got " + got);
    if (::fsync(fd_.get()) != 0) return io_error("cannot sync " + path_ + ": " + errno_text(errno));
    kept_ = true;
    return size_;
  }

 private:
  std::string path_;
  int64_t max_bytes_;
  Fd fd_;
  EVP_MD_CTX* ctx_ = nullptr;
  int64_t size_ = 0;
  bool kept_ = false;
};

constexpr auto kCancelCheck = std::chrono::milliseconds(200);

struct Deadline {
  Clock::time_point at;
  std::chrono::seconds timeout;
  const std::atomic<bool>* cancelled;

  Status expired() const {
    if (cancelled && cancelled->load()) return unavailable("cancelled: the agent is stopping");
    if (Clock::now() >= at)
      return unavailable("timed out after " + std::to_string(timeout.count()) + " s");
    return Status();
  }
};

// Runs the io_context until the operation sets `done`; past the deadline (or when
// cancelled) `cancel` aborts it and the reason is returned.
template <typename Cancel>
Status wait_for(asio::io_context& io, const bool& done, const Deadline& deadline, Cancel cancel) {
  io.restart();
  while (!done) {
    if (Status late = deadline.expired(); !late.ok()) {
      cancel();
      io.restart();
      io.run();
      return late;
    }
    io.run_one_for(kCancelCheck);
  }
  return Status();
}

// The file must be one any user could read: the root agent must not hand a task a file
// its own user could not open. No symlink anywhere in the path (common/beneath.h).
Status read_file_uri(const std::string& path, Sink& sink, const Deadline& deadline) {
  BOREALIS_ASSIGN_OR_RETURN(Fd root, open_directory("/"));
  BOREALIS_ASSIGN_OR_RETURN(Fd file, open_beneath(root, "", path.substr(1), OpenIntent::kReadFile));
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return io_error("cannot stat: " + errno_text(errno));
  if (!(st.st_mode & S_IROTH))
    return permission_denied("the file is not readable by everyone (mode o+r)");
  std::string buffer(kPieceBytes, '\0');
  while (true) {
    BOREALIS_RETURN_IF_ERROR(deadline.expired());
    ssize_t n = ::read(file.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read: " + errno_text(errno));
    if (n == 0) return Status();
    BOREALIS_RETURN_IF_ERROR(sink.write(buffer.data(), static_cast<size_t>(n)));
  }
}

// One GET over a connected `stream` (plain or TLS), the body streamed into `sink`.
template <typename Stream>
Status get_body(asio::io_context& io, Stream& stream, const jobspec::ArtifactUri& uri, Sink& sink,
                int64_t max_bytes, const Deadline& deadline) {
  boost::system::error_code ec;
  bool done = false;
  auto step = [&](auto start) -> Status {
    done = false;
    start([&](boost::system::error_code e, size_t) {
      ec = e;
      done = true;
    });
    return wait_for(io, done, deadline, [&] { beast::get_lowest_layer(stream).socket().close(); });
  };

  http::request<http::empty_body> request(http::verb::get, uri.target, 11);
  request.set(http::field::host, uri.host);
  request.set(http::field::user_agent, "borealis-agent");
  BOREALIS_RETURN_IF_ERROR(
      step([&](auto handler) { http::async_write(stream, request, handler); }));
  if (ec) return unavailable("cannot send the request: " + ec.message());

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  // Checked once the header is read, so the message can say the size.
  parser.body_limit(boost::none);
  BOREALIS_RETURN_IF_ERROR(
      step([&](auto handler) { http::async_read_header(stream, buffer, parser, handler); }));
  if (ec) return unavailable("cannot read the response: " + ec.message());
  const auto& head = parser.get();
  unsigned status = head.result_int();
  if (status >= 300 && status < 400)
    return unavailable(std::to_string(status) + " " + std::string(head.reason()) +
                       " (redirects are not followed; Location: " +
                       std::string(head[http::field::location]).substr(0, 512) + ")");
  if (status != 200) return unavailable(std::to_string(status) + " " + std::string(head.reason()));
  if (auto length = parser.content_length(); length && *length > static_cast<uint64_t>(max_bytes))
    return resource_exhausted("it is " + std::to_string(*length) +
                              " bytes, larger than the whole artifact cache (" +
                              std::to_string(max_bytes) + " bytes, --artifact-cache-size)");
  parser.body_limit(static_cast<uint64_t>(max_bytes));

  std::string piece(kPieceBytes, '\0');
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    BOREALIS_RETURN_IF_ERROR(
        step([&](auto handler) { http::async_read(stream, buffer, parser, handler); }));
    if (ec == http::error::body_limit)
      return resource_exhausted("it is larger than the whole artifact cache (" +
                                std::to_string(max_bytes) + " bytes, --artifact-cache-size)");
    if (ec && ec != http::error::need_buffer)
      return unavailable("cannot read the body: " + ec.message());
    size_t got = piece.size() - parser.get().body().size;
    BOREALIS_RETURN_IF_ERROR(sink.write(piece.data(), got));
  }
  return Status();
}

Status read_http_uri(const jobspec::ArtifactUri& uri, Sink& sink, int64_t max_bytes,
                     const Deadline& deadline) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream tcp(io);
  boost::system::error_code ec;
  bool done = false;

  asio::ip::tcp::resolver::results_type endpoints;
  resolver.async_resolve(uri.host, uri.port, [&](auto e, auto results) {
    ec = e;
    endpoints = results;
    done = true;
  });
  BOREALIS_RETURN_IF_ERROR(wait_for(io, done, deadline, [&] { resolver.cancel(); }));
  if (ec) return unavailable("cannot resolve " + uri.host + ": " + ec.message());
  done = false;
  tcp.async_connect(endpoints, [&](auto e, auto) {
    ec = e;
    done = true;
  });
  BOREALIS_RETURN_IF_ERROR(wait_for(io, done, deadline, [&] { tcp.socket().close(); }));
  if (ec) return unavailable("cannot connect: " + ec.message());
  if (uri.scheme == "http") return get_body(io, tcp, uri, sink, max_bytes, deadline);

  // https: the system's CAs verify the server's chain and host name (net/tls_context.h).
  auto tls = net::make_client_tls_context({});
  if (!tls.ok()) return tls.status();
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), **tls);
  boost::system::error_code parse_error;
  asio::ip::make_address(uri.host, parse_error);
  if (parse_error && !SSL_set_tlsext_host_name(stream.native_handle(), uri.host.c_str()))
    return unavailable("cannot set the TLS server name " + uri.host);
  stream.set_verify_callback(asio::ssl::host_name_verification(uri.host));
  done = false;
  stream.async_handshake(asio::ssl::stream_base::client, [&](auto e) {
    ec = e;
    done = true;
  });
  BOREALIS_RETURN_IF_ERROR(
      wait_for(io, done, deadline, [&] { beast::get_lowest_layer(stream).socket().close(); }));
  if (ec) return unavailable("TLS handshake failed: " + ec.message());
  return get_body(io, stream, uri, sink, max_bytes, deadline);
}

}  // namespace

Result<int64_t> download_artifact(const jobspec::Artifact& artifact, const std::string& temp_path,
                                  const FetchLimits& limits) {
  Deadline deadline{Clock::now() + limits.timeout, limits.timeout, limits.cancelled};
  auto uri = jobspec::parse_artifact_uri(artifact.uri);
  if (!uri.ok()) return uri.status();
  Sink sink(temp_path, limits.max_bytes);
  BOREALIS_RETURN_IF_ERROR(sink.open());
  Status fetched;
  if (uri->scheme == "file")
    fetched = read_file_uri(uri->target, sink, deadline);
  else
    fetched = read_http_uri(*uri, sink, limits.max_bytes, deadline);
  if (!fetched.ok())
    return Status(fetched.code(), "cannot fetch " + artifact.uri + ": " + fetched.message());
  return sink.finish(artifact.sha256);
}

}  // namespace borealis::agent
