"""A real PostgreSQL for end-to-end tests: Debian's PostgreSQL 15 (/usr/lib/postgresql/15/bin)
in a temporary directory, run as the `postgres` system user (PostgreSQL refuses root), on
127.0.0.1:PORT with trust authentication and its unix socket in that directory (the Python
side of src/scheduler/store/testing/postgres_server.h, same settings).

    pg = start_postgres()                 # returns once a client connects; database `borealis`
    ... "--store", pg.url() ...           # postgresql://postgres@127.0.0.1:PORT/borealis
    pg.sql("SELECT count(*) FROM tasks")  # through psql; returns its output
    pg.restart()                          # like `pg_ctl restart -m fast`
    pg.cleanup()                          # stops it (like `-m immediate`), removes everything

Ports: the first free one in [first_port, last_port]; the defaults 9000-9099 are the store
tests' range, other tests pass their own.
"""
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

from zookeeper import _die_with_parent as die_with_parent, _port_is_free as port_is_free

BIN = "/usr/lib/postgresql/15/bin"


def _as_postgres(user):
    def become():
        if os.geteuid() == 0:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
        # After setuid, which clears it: a crashed test run leaves no server behind.
        die_with_parent()
    return become


class Postgres:
    def __init__(self, first_port=9000, last_port=9099, database="borealis", start_timeout=30.0):
        if not os.path.exists(f"{BIN}/postgres"):
            raise RuntimeError(f"PostgreSQL for tests: {BIN}/postgres is missing "
                               "(apt-get install postgresql)")
        self.user = pwd.getpwnam("postgres")
        self.port = next((p for p in range(first_port, last_port + 1) if port_is_free(p)), None)
        if self.port is None:
            raise RuntimeError(f"no free loopback port in {first_port}-{last_port} for PostgreSQL")
        self.database = database
        self.start_timeout = start_timeout
        self.dir = tempfile.mkdtemp(prefix="borealis-pg-")
        os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.proc = None
        began = time.monotonic()
        # --no-sync: a test cluster need not survive a power loss while it is made (the
        # server keeps fsync on).
        self._run(f"{BIN}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        self.start_again()
        self.create_database(database)
        self.start_seconds = time.monotonic() - began

    @property
    def data(self):
        return os.path.join(self.dir, "data")

    def url(self, database=None):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database or self.database}"

    def _run(self, *args):
        out = subprocess.run(args, preexec_fn=_as_postgres(self.user), capture_output=True,
                             text=True, stdin=subprocess.DEVNULL)
        if out.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({out.returncode}): {out.stdout}{out.stderr}")
        return out.stdout

    def sql(self, query, database=None):
        """Runs `query` with psql (unaligned, tuples only) and returns its output, stripped."""
        return self._run(f"{BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", database or self.database, "-v", "ON_ERROR_STOP=1", "-Atc",
                         query).strip()

    def create_database(self, name):
        self.sql(f"CREATE DATABASE {name}", database="postgres")
        return self.url(name)

    def answers(self):
        return subprocess.run([f"{BIN}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", "postgres", "-d", "postgres", "-t", "2"]).returncode == 0

    def start_again(self):
        """Starts the server (again, with its data) and returns once it accepts connections."""
        if self.proc is not None:
            return
        log = open(os.path.join(self.dir, "postgres.log"), "ab")
        self.proc = subprocess.Popen(
            [f"{BIN}/postgres", "-D", self.data, "-p", str(self.port), "-c",
             "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.dir}", "-c",
             "logging_collector=off"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_as_postgres(self.user))
        log.close()
        deadline = time.monotonic() + self.start_timeout
        while not self.answers():
            if self.proc.poll() is not None:
                self.proc = None
                raise RuntimeError(f"PostgreSQL on port {self.port} exited at start: {self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"PostgreSQL on port {self.port} accepted no connection: "
                                   f"{self.log()}")
            time.sleep(0.02)

    def stop(self, mode="immediate"):
        """Stops the server and keeps its data: "fast" (SIGINT, `pg_ctl stop -m fast`: a clean
        shutdown) or "immediate" (SIGQUIT, `-m immediate`: recovery at the next start)."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGINT if mode == "fast" else signal.SIGQUIT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self):
        """`pg_ctl restart -m fast`: clients are disconnected, the data stays."""
        self.stop("fast")
        self.start_again()

    def log(self, tail=3000):
        path = os.path.join(self.dir, "postgres.log")
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()[-tail:]

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_postgres(**kwargs):
    return Postgres(**kwargs)
