// PostgresServer: Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin) started for a test in a
// temporary directory, as the `postgres` system user (PostgreSQL refuses root), listening
// only on 127.0.0.1:PORT with its unix socket in that directory, trust authentication.
// start() returns once a client connects and the database `borealis` exists. The postmaster
// is this process's child and dies with it (PR_SET_PDEATHSIG), so a crashed test leaves no
// server behind; the destructor stops it like `pg_ctl stop -m immediate` and removes the
// directory. initdb takes about a second: share one server per test binary and give each
// test its own database (create_database()).
//
//   auto pg = PostgresServer::start();        // ports 9000-9099 unless told otherwise
//   auto url = (*pg)->create_database("t1");  // "postgresql://postgres@127.0.0.1:9000/t1"
//   (*pg)->restart();                         // like `pg_ctl restart -m fast`
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler::testing {

struct PostgresServerOptions {
  // The first free port in [first_port, last_port] (loopback). Each engineer's tests have
  // their own range; these defaults are the store tests'.
  uint16_t first_port = 9000;
  uint16_t last_port = 9099;
  std::string database = "borealis";  // created at start
  std::chrono::milliseconds start_timeout{30000};
};

class PostgresServer {
 public:
  static Result<std::unique_ptr<PostgresServer>> start(PostgresServerOptions options = {});
  ~PostgresServer();  // stops the server (immediate) and removes its directory

  uint16_t port() const { return port_; }
  bool running() const { return pid_ > 0; }
  // "postgresql://postgres@127.0.0.1:PORT/DATABASE", options().database by default.
  std::string url(const std::string& database = "") const;
  // Creates a database (a fresh one per test) and returns its URL.
  Result<std::string> create_database(const std::string& name);

  // Stops the server and keeps its data: fast (SIGINT, like `pg_ctl stop -m fast`: clients
  // are disconnected, a clean shutdown) or immediate (SIGQUIT, `-m immediate`: crash-like,
  // recovery from WAL at the next start).
  enum class StopMode { kFast, kImmediate };
  void stop(StopMode mode = StopMode::kImmediate);
  // Starts it again on the same port with the same data; returns once a client connects.
  Status start_again();
  // stop(kFast) + start_again(): `pg_ctl restart -m fast`.
  Status restart();
  // The server's log, for a failing test's message.
  std::string log_tail() const;

 private:
  PostgresServer(PostgresServerOptions options, uint16_t port);
  Status init_cluster();
  Status launch();

  PostgresServerOptions options_;
  uint16_t port_;
  borealis::testing::TempDir dir_{"borealis-pg"};
  pid_t pid_ = -1;
};

// True when PostgreSQL at `conninfo` accepts a connection within `timeout`.
bool postgres_answers(const std::string& conninfo, std::chrono::milliseconds timeout);

}  // namespace borealis::scheduler::testing
