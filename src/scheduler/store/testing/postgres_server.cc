#include "scheduler/store/testing/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/files.h"

namespace borealis::scheduler::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";

// Nobody listens on 127.0.0.1:port (reusable address: a server stopped a moment ago does
// not count).
bool port_is_free(uint16_t port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  acceptor.open(boost::asio::ip::tcp::v4(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind({boost::asio::ip::address_v4::loopback(), port}, ec);
  return !ec;
}

struct PostgresUser {
  uid_t uid;
  gid_t gid;
};

Result<PostgresUser> postgres_user() {
  const passwd* pw = ::getpwnam("postgres");
  if (!pw)
    return failed_precondition(
        "PostgreSQL test server: no `postgres` user (apt-get install postgresql)");
  return PostgresUser{pw->pw_uid, pw->pw_gid};
}

// Forks a child that becomes `user` (when running as root) and runs argv with its output
// appended to `log`. Everything is prepared before fork: the child only makes system calls.
Result<pid_t> spawn_as(const PostgresUser& user, std::vector<std::string> args,
                       const std::string& log) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return io_error("PostgreSQL test server: cannot open " + log + ": " + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return io_error(std::string("PostgreSQL test server: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0))
      ::_exit(126);
    // After setuid: changing credentials clears the parent-death signal.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

bool exited(pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) == pid; }

bool exits_within(pid_t pid, std::chrono::milliseconds timeout) {
  for (auto deadline = Clock::now() + timeout; Clock::now() < deadline;) {
    if (exited(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exited(pid);
}

}  // namespace

bool postgres_answers(const std::string& conninfo, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    if (ok) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

PostgresServer::PostgresServer(PostgresServerOptions options, uint16_t port)
    : options_(std::move(options)), port_(port) {}

Result<std::unique_ptr<PostgresServer>> PostgresServer::start(PostgresServerOptions options) {
  uint16_t port = 0;
  for (uint32_t p = options.first_port; p <= options.last_port && port == 0; ++p)
    if (port_is_free(static_cast<uint16_t>(p))) port = static_cast<uint16_t>(p);
  if (port == 0)
    return unavailable("no free loopback port in " + std::to_string(options.first_port) + "-" +
                       std::to_string(options.last_port) + " for PostgreSQL");
  std::unique_ptr<PostgresServer> server(new PostgresServer(std::move(options), port));
  BOREALIS_RETURN_IF_ERROR(server->init_cluster());
  BOREALIS_RETURN_IF_ERROR(server->launch());
  auto url = server->create_database(server->options_.database);
  if (!url.ok()) return url.status();
  return server;
}

PostgresServer::~PostgresServer() { stop(StopMode::kImmediate); }

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" +
         (database.empty() ? options_.database : database);
}

Status PostgresServer::init_cluster() {
  const std::string initdb = std::string(kBinDir) + "/initdb";
  if (!std::filesystem::exists(initdb))
    return failed_precondition("PostgreSQL test server: " + initdb +
                               " is missing (apt-get install postgresql)");
  if (dir_.path().empty()) return io_error("cannot make a directory for PostgreSQL");
  BOREALIS_ASSIGN_OR_RETURN(PostgresUser user, postgres_user());
  if (::geteuid() == 0 && ::chown(dir_.path().c_str(), user.uid, user.gid) != 0)
    return io_error("chown " + dir_.path() + " to postgres: " + std::strerror(errno));
  // Trust for loopback and the socket; --no-sync: a test cluster need not survive a power
  // loss while it is being made (the server itself keeps fsync on).
  BOREALIS_ASSIGN_OR_RETURN(
      pid_t pid, spawn_as(user,
                          {initdb, "-D", dir_ / "data", "-U", "postgres", "-A", "trust", "-E",
                           "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                          dir_ / "initdb.log"));
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    auto log = read_file(dir_ / "initdb.log", "initdb's log");
    return io_error("initdb in " + dir_.path() + " failed (status " + std::to_string(status) +
                    "): " + (log.ok() ? *log : std::string(log.status().message())));
  }
  return Status::ok_status();
}

Status PostgresServer::launch() {
  BOREALIS_ASSIGN_OR_RETURN(PostgresUser user, postgres_user());
  auto begin = Clock::now();
  BOREALIS_ASSIGN_OR_RETURN(
      pid_, spawn_as(user,
                     {std::string(kBinDir) + "/postgres", "-D", dir_ / "data", "-p",
                      std::to_string(port_), "-c", "listen_addresses=127.0.0.1", "-c",
                      "unix_socket_directories=" + dir_.path(), "-c", "logging_collector=off"},
                     dir_ / "postgres.log"));
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port_) +
                               " dbname=postgres user=postgres connect_timeout=2";
  auto deadline = begin + options_.start_timeout;
  while (true) {
    if (exited(pid_)) {
      pid_ = -1;
      return unavailable("PostgreSQL on port " + std::to_string(port_) +
                         " exited at start: " + log_tail());
    }
    if (postgres_answers(conninfo, std::chrono::milliseconds(0))) return Status::ok_status();
    if (Clock::now() > deadline) {
      stop(StopMode::kImmediate);
      return unavailable("PostgreSQL on port " + std::to_string(port_) +
                         " accepted no connection within " +
                         std::to_string(options_.start_timeout.count()) + " ms: " + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Result<std::string> PostgresServer::create_database(const std::string& name) {
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return invalid_argument("database name '" + name + "': letters, digits and _ only");
  PGconn* conn = PQconnectdb(
      ("host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=postgres").c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty())
    return io_error("creating database " + name + " on 127.0.0.1:" + std::to_string(port_) + ": " +
                    error);
  return url(name);
}

void PostgresServer::stop(StopMode mode) {
  if (pid_ <= 0) return;
  ::kill(pid_, mode == StopMode::kFast ? SIGINT : SIGQUIT);
  // A fast shutdown writes a checkpoint; both end in well under 10 s on an idle machine.
  if (!exits_within(pid_, std::chrono::seconds(10))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

Status PostgresServer::start_again() {
  if (pid_ > 0) return Status::ok_status();
  return launch();
}

Status PostgresServer::restart() {
  stop(StopMode::kFast);
  return start_again();
}

std::string PostgresServer::log_tail() const {
  auto log = read_file(dir_ / "postgres.log", "PostgreSQL's log");
  if (!log.ok()) return std::string(log.status().message());
  constexpr size_t kTail = 2000;
  return log->size() > kTail ? log->substr(log->size() - kTail) : *log;
}

}  // namespace borealis::scheduler::testing
