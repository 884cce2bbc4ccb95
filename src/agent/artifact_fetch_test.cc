#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <mutex>
#include <thread>

#include "agent/artifact_fetcher.h"
#include "agent/artifact_stager.h"
#include "agent/test_util.h"

namespace borealis::agent {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    out += hex;
  }
  return out;
}

// An artifact store on 127.0.0.1: answers every GET with `response` (raw HTTP), or never
// answers when `hang`; counts the GETs.
class StoreServer {
 public:
  explicit StoreServer(std::string response, bool hang = false)
      : response_(std::move(response)), hang_(hang) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~StoreServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int gets() const { return gets_; }

  static std::string ok(const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }

 private:
  bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_)
      if (::poll(&p, 1, 50) > 0) return true;
    return false;
  }
  void serve() {
    while (readable(fd_)) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::string in;
      char buf[4096];
      // Reads a request's header; anything else (a TLS hello) is answered at once.
      while (in.find("\r\n\r\n") == std::string::npos && (in.empty() || in.starts_with("GET")) &&
             readable(c)) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
      }
      if (in.starts_with("GET ")) ++gets_;
      if (hang_) {
        while (!stop_) readable(c);
      } else {
        (void)!::write(c, response_.data(), response_.size());
      }
      ::close(c);
    }
  }

  std::string response_;
  bool hang_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> gets_{0};
  std::thread thread_;
};

constexpr int64_t kBig = 1 << 20;

// A file of the directory store holding "payload", with `mode`.
std::string store_file(const TempDir& tmp, const std::string& name, unsigned mode) {
  std::string path = tmp.write(name, "payload");
  ::chmod(path.c_str(), mode);
  return path;
}

// Downloads the "payload" artifact at `uri` to `out`.
Result<int64_t> fetch_payload(const std::string& uri, const std::string& out) {
  return download_artifact({uri, sha256_hex("payload"), ""}, out, {kBig});
}

TEST(ArtifactFetchTest, ReadsAWorldReadableFile) {
  TempDir tmp("artifact-fetch");
  std::string store = store_file(tmp, "store/app.tar.gz", 0644);
  mode_t umask = ::umask(077);  // a strict agent umask must not hide the file from tasks
  auto size = fetch_payload("file://" + store, tmp / "out");
  ::umask(umask);
  ASSERT_TRUE(size.ok()) << size.status().message();
  EXPECT_EQ(*size, 7);
  struct stat st {};
  ASSERT_EQ(::stat((tmp / "out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0555u);
}

TEST(ArtifactFetchTest, RefusesAFileOthersCannotReadAndSymlinks) {
  TempDir tmp("artifact-fetch");
  std::string secret = store_file(tmp, "secret", 0600);
  auto size = fetch_payload("file://" + secret, tmp / "o1");
  EXPECT_EQ(size.status().message(),
            "cannot fetch file://" + secret + ": the file is not readable by everyone (mode o+r)");
  EXPECT_FALSE(fs::exists(tmp / "o1"));
  fs::create_symlink(store_file(tmp, "open", 0644), tmp / "link");
  size = fetch_payload("file://" + tmp / "link", tmp / "o2");
  EXPECT_FALSE(size.ok());
  EXPECT_FALSE(fs::exists(tmp / "o2"));
}

TEST(ArtifactFetchTest, AWrongDigestSaysBoth) {
  TempDir tmp("artifact-fetch");
  std::string store = store_file(tmp, "a.pex", 0644);
  std::string wrong(64, '0');
  auto size = download_artifact({"file://" + store, wrong, ""}, tmp / "out", {kBig});
  EXPECT_EQ(size.status().message(),
            "sha256 mismatch: expected " + wrong + ", got " + sha256_hex("payload"));
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

TEST(ArtifactFetchTest, DownloadsOverHttp) {
  TempDir tmp("artifact-fetch");
  std::string body(300 * 1024, 'z');  // more than one read
  StoreServer server(StoreServer::ok(body));
  auto size =
      download_artifact({server.url("/b/1/a.pex"), sha256_hex(body), ""}, tmp / "out", {kBig});
  ASSERT_TRUE(size.ok()) << size.status().message();
  EXPECT_EQ(*size, static_cast<int64_t>(body.size()));
  EXPECT_EQ(fs::file_size(tmp / "out"), body.size());
}

TEST(ArtifactFetchTest, HttpErrorsNameTheUriAndStatus) {
  TempDir tmp("artifact-fetch");
  StoreServer missing("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  auto size = download_artifact({missing.url("/a"), std::string(64, 'a'), ""}, tmp / "o", {kBig});
  EXPECT_EQ(size.status().message(), "cannot fetch " + missing.url("/a") + ": 404 Not Found");
  StoreServer moved(
      "HTTP/1.1 302 Found\r\nLocation: http://elsewhere/a\r\nContent-Length: 0\r\n\r\n");
  size = download_artifact({moved.url("/a"), std::string(64, 'a'), ""}, tmp / "o", {kBig});
  EXPECT_EQ(size.status().message(),
            "cannot fetch " + moved.url("/a") +
                ": 302 Found (redirects are not followed; Location: http://elsewhere/a)");
  EXPECT_FALSE(fs::exists(tmp / "o"));
}

TEST(ArtifactFetchTest, HttpsVerifiesTheServer) {
  TempDir tmp("artifact-fetch");
  StoreServer plain(StoreServer::ok("payload"));
  std::string uri = "https" + plain.url("/a").substr(4);
  auto size = download_artifact({uri, sha256_hex("payload"), ""}, tmp / "o",
                                {kBig, std::chrono::seconds(10)});
  std::string prefix = "cannot fetch " + uri + ": TLS handshake failed: ";
  EXPECT_EQ(size.status().message().substr(0, prefix.size()), prefix);
  EXPECT_FALSE(fs::exists(tmp / "o"));
}

TEST(ArtifactFetchTest, HttpBodyOverTheBoundIsRefused) {
  TempDir tmp("artifact-fetch");
  StoreServer server(StoreServer::ok(std::string(5000, 'z')));
  auto size = download_artifact({server.url("/a"), std::string(64, 'a'), ""}, tmp / "o", {4096});
  EXPECT_EQ(size.status().message(),
            "cannot fetch " + server.url("/a") +
                ": it is 5000 bytes, larger than the whole artifact cache (4096 bytes, "
                "--artifact-cache-size)");
  EXPECT_FALSE(fs::exists(tmp / "o"));
}

TEST(ArtifactFetchTest, ASilentServerTimesOut) {
  TempDir tmp("artifact-fetch");
  StoreServer server("", /*hang=*/true);
  auto size = download_artifact({server.url("/a"), std::string(64, 'a'), ""}, tmp / "o",
                                {kBig, std::chrono::seconds(1)});
  EXPECT_EQ(size.status().message(), "cannot fetch " + server.url("/a") + ": timed out after 1 s");
}

// Runs the loop until `done` holds.
void run_until(boost::asio::io_context& io, const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    // Without pending handlers the context stops; the stager's workers post later.
    if (io.stopped()) io.restart();
    if (io.run_one_for(std::chrono::milliseconds(50)) == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  io.restart();
}

TEST(ArtifactStagerTest, ConcurrentLaunchesFetchOnceAndGetReadOnlyFiles) {
  TempDir tmp("artifact-stage");
  std::string body = "#!/bin/sh\necho hi\n";
  StoreServer server(StoreServer::ok(body));
  boost::asio::io_context io;
  auto cache = ArtifactCache::open(tmp / "cache", kBig);
  ASSERT_TRUE(cache.ok());
  ArtifactStager stager(io, std::move(cache).value(), std::chrono::seconds(10));
  jobspec::Artifact artifact{server.url("/b/1/run.sh"), sha256_hex(body), ""};
  std::vector<Status> results;
  std::vector<std::string> notes;
  for (const char* task : {"t1", "t2"}) {
    fs::create_directories(tmp / task);
    stager.stage(
        tmp / task, {artifact}, [&](const std::string& n) { notes.push_back(n); },
        [&](Status st) { results.push_back(st); });
  }
  run_until(io, [&] { return results.size() == 2; });
  ASSERT_EQ(results.size(), 2u);
  for (const auto& st : results) EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(server.gets(), 1);
  EXPECT_EQ(notes,
            (std::vector<std::string>{"fetching artifact run.sh", "fetching artifact run.sh"}));
  for (const char* task : {"t1", "t2"}) {
    struct stat st {};
    ASSERT_EQ(::stat((tmp / task + "/sandbox/run.sh").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0555u);
    EXPECT_EQ(st.st_uid, ::geteuid());
    EXPECT_EQ(st.st_nlink, 3u);  // the cache entry and two sandboxes
  }
  // A third launch is a hit.
  results.clear();
  fs::create_directories(tmp / "t3");
  stager.stage(tmp / "t3", {artifact}, nullptr, [&](Status st) { results.push_back(st); });
  run_until(io, [&] { return results.size() == 1; });
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(server.gets(), 1);
  EXPECT_EQ(stager.cache().stats().hits, 1);
}

TEST(ArtifactStagerTest, AFailureNamesTheArtifact) {
  TempDir tmp("artifact-stage");
  StoreServer server(StoreServer::ok("payload"));
  boost::asio::io_context io;
  auto cache = ArtifactCache::open(tmp / "cache", kBig);
  ASSERT_TRUE(cache.ok());
  ArtifactStager stager(io, std::move(cache).value(), std::chrono::seconds(10));
  std::string wrong(64, 'b');
  std::optional<Status> result;
  fs::create_directories(tmp / "t1");
  stager.stage(tmp / "t1", {{server.url("/x/eightball.pex"), wrong, ""}}, nullptr,
               [&](Status st) { result = st; });
  run_until(io, [&] { return result.has_value(); });
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->message(), "artifact 'eightball.pex': sha256 mismatch: expected " + wrong +
                                   ", got " + sha256_hex("payload"));
  EXPECT_FALSE(fs::exists(tmp / "t1/sandbox/eightball.pex"));
  EXPECT_EQ(stager.cache().stats().entries, 0);
}

}  // namespace
}  // namespace borealis::agent
