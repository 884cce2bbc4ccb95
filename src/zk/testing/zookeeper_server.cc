#include "zk/testing/zookeeper_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace borealis::zk::testing {
namespace {

using Clock = std::chrono::steady_clock;

// zookeeper.jar's manifest names its dependencies; a logger binding is all it lacks.
constexpr const char* kClassPath = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar";
constexpr const char* kJava = "/usr/bin/java";

bool tcp_port_state(uint16_t port, bool want_connect) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  bool ok = want_connect ? ::connect(fd, sa, sizeof(addr)) == 0 : ::bind(fd, sa, sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

Result<uint16_t> free_port() {
  for (uint16_t port = kFirstPort; port <= kLastPort; ++port) {
    if (tcp_port_state(port, /*want_connect=*/false)) return port;
  }
  return unavailable("no free loopback port in " + std::to_string(kFirstPort) + "-" +
                     std::to_string(kLastPort) + " for ZooKeeper");
}

bool exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

void discard_client_log(const char*) {}

bool zookeeper_answers(const std::string& connect_string, std::chrono::milliseconds timeout) {
  // A short session: the client gives up on a handshake after a share of it, and a server
  // that binds its port before it serves would otherwise cost seconds per attempt.
  zhandle_t* zh = zookeeper_init2(connect_string.c_str(), nullptr, 600, nullptr, nullptr, 0,
                                  &discard_client_log);
  if (!zh) return false;
  auto deadline = Clock::now() + timeout;
  bool connected = false;
  while (!(connected = zoo_state(zh) == ZOO_CONNECTED_STATE) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  zookeeper_close(zh);
  return connected;
}

bool join_and_close_session(const std::string& connect_string, int64_t id,
                            const std::string& password) {
  clientid_t client{};
  client.client_id = id;
  std::copy_n(password.begin(), std::min(password.size(), sizeof client.passwd), client.passwd);
  zhandle_t* zh = zookeeper_init2(connect_string.c_str(), nullptr, 2000, &client, nullptr, 0,
                                  &discard_client_log);
  if (!zh) return false;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (zoo_state(zh) != ZOO_CONNECTED_STATE && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool joined = zoo_state(zh) == ZOO_CONNECTED_STATE;
  zookeeper_close(zh);
  return joined;
}

ZookeeperServer::ZookeeperServer(ZookeeperServerOptions options, uint16_t port)
    : options_(options), port_(port) {}

Result<std::unique_ptr<ZookeeperServer>> ZookeeperServer::start(ZookeeperServerOptions options) {
  uint16_t port = options.port;
  if (port == 0) {
    BOREALIS_ASSIGN_OR_RETURN(port, free_port());
  }
  std::unique_ptr<ZookeeperServer> server(new ZookeeperServer(options, port));
  if (server->dir_.path().empty()) return io_error("cannot make a directory for ZooKeeper");
  server->dir_.write("zoo.cfg", "tickTime=" + std::to_string(options.tick_ms) + "\n" +
                                    "dataDir=" + server->dir_.path() + "/data\n" +
                                    "clientPort=" + std::to_string(port) + "\n" +
                                    "clientPortAddress=127.0.0.1\n"
                                    "admin.enableServer=false\n"
                                    "4lw.commands.whitelist=*\n"
                                    "preAllocSize=1024\n");
  BOREALIS_RETURN_IF_ERROR(server->launch());
  return server;
}

ZookeeperServer::~ZookeeperServer() { stop(); }

std::string ZookeeperServer::connect_string() const { return "127.0.0.1:" + std::to_string(port_); }

Status ZookeeperServer::launch() {
  for (const char* file :
       {kJava, "/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"}) {
    if (!std::filesystem::exists(file)) {
      return failed_precondition(std::string("ZooKeeper test server: ") + file +
                                 " is missing (apt-get install zookeeper libslf4j-java)");
    }
  }
  const std::string cfg = dir_ / "zoo.cfg";
  const std::string log = dir_ / "zookeeper.log";
  // Startup in about half a second: class data sharing, the C1 compiler only, a small
  // serial heap, no fsync, warnings only.
  std::vector<std::string> args = {kJava,
                                   "-Xshare:auto",
                                   "-XX:TieredStopAtLevel=1",
                                   "-XX:+UseSerialGC",
                                   "-XX:-UsePerfData",
                                   "-Xms16m",
                                   "-Xmx128m",
                                   "-Dzookeeper.forceSync=no",
                                   "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                                   "-cp",
                                   kClassPath,
                                   "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                                   cfg};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  auto begin = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) return io_error(std::string("fork for ZooKeeper: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  auto deadline = begin + options_.start_timeout;
  // The port first (cheap), then a real client session.
  while (!tcp_port_state(port_, /*want_connect=*/true)) {
    if (exited(pid_)) {
      pid_ = -1;
      return unavailable("ZooKeeper on port " + std::to_string(port_) +
                         " exited at start: " + log_tail());
    }
    if (Clock::now() > deadline) {
      stop();
      return unavailable("ZooKeeper on port " + std::to_string(port_) + " did not listen within " +
                         std::to_string(options_.start_timeout.count()) + " ms: " + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (!zookeeper_answers(connect_string(), left)) {
    stop();
    return unavailable("ZooKeeper on port " + std::to_string(port_) +
                       " listens but no client session connected: " + log_tail());
  }
  start_time_ = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - begin);
  return Status::ok_status();
}

void ZookeeperServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!exited(pid_)) {
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

Status ZookeeperServer::restart() {
  stop();
  return launch();
}

std::string ZookeeperServer::log_tail() const {
  std::ifstream in(dir_ / "zookeeper.log");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  constexpr size_t kTail = 2000;
  return all.size() > kTail ? all.substr(all.size() - kTail) : all;
}

}  // namespace borealis::zk::testing
