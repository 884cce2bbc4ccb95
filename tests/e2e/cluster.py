"""A real Borealis cluster on this machine for end-to-end tests.

Starts `borealis scheduler` and `borealis agent` processes (each agent with its own work
directory, hostname and port range), talks to them over HTTP and through the `borealis`
CLI, and cleans everything up, including tasks' processes. Nothing here fakes a part.
"""
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from leftovers import kill_everything_under, remove_agent_cgroups

BIN_DIR = os.environ.get("BOREALIS_BIN_DIR", os.path.join(os.path.dirname(__file__), "../../build/bin"))
BOREALIS = os.path.join(BIN_DIR, "borealis")
# The checkout these tests run from. Tasks run as their role's user, who may not be able to
# read it (a mode-700 `mktemp -d`, root's home): nothing a task runs may live here.
SOURCE_ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Helper programs that tasks execute; each cluster copies them out of the checkout.
TASK_PROGRAMS = os.path.join(os.path.dirname(os.path.realpath(__file__)), "bin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=30.0, interval=0.1):
    """Polls predicate() until it returns a truthy value; fails naming `what`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # the thing may still be starting
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def http(method, url, body=None, timeout=10, token=None, context=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class BackgroundCli:
    """`borealis ARGS...` of cluster `c` running in the background (`job logs -f`): its
    stdout and stderr lines collected as they come; `arrived` holds when each stdout line
    first came (time.monotonic())."""
    def __init__(self, c, *args):
        env = dict(os.environ, BOREALIS_CONFIG_DIR=c.config_dir)
        self.proc = subprocess.Popen([BOREALIS, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.out, self.err, self.arrived = [], [], {}
        self.readers = [threading.Thread(target=self.read, args=(s, l), daemon=True)
                        for s, l in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self.readers:
            t.start()

    def read(self, stream, lines):
        for line in stream:
            line = line.rstrip("\n")
            if lines is self.out:
                self.arrived.setdefault(line, time.monotonic())
            lines.append(line)

    def wait_line(self, line, lines=None, timeout=60):
        lines = self.out if lines is None else lines
        wait_for(f"{self.proc.args[1:]} prints {line!r}", lambda: line in lines, timeout=timeout)

    def stop(self):
        """SIGTERM, then its exit code."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=20)
        for t in self.readers:
            t.join(timeout=5)
        return code


class Process:
    """A daemon we started, in its own process group, with its output in a log file."""

    def __init__(self, name, args, log_path, env=None):
        self.name, self.args, self.log_path = name, args, log_path
        self.env = env
        self.proc = None

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=self.env)
        log.close()
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if not self.alive():
            return
        os.kill(self.proc.pid, sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill9()

    def pause(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


# The tasks' role, www-data, is a system account (uid 33): the scheduler and the agents
# allow uids from 33 up; root stays refused (docs/operations.md, "Which users tasks run as").
TASK_USER_FLAGS = ["--min-task-uid", "33"]


class Cluster:
    """With `users` ({name: {"roles": [...], "admin": bool, "agents": [...]}}), the
    cluster runs with an auth file: each user gets a token (self.tokens[name]), each agent
    added gets a token bound to its hostname, and api()/cli() act as the user "admin".
    With `tls`, the scheduler serves mutual TLS with a PKI made for the cluster (make_pki):
    agents, the CLI and api() present client certificates signed by its CA."""
    def __init__(self, name="e2e", agent_timeout_secs=15, poll_timeout_ms=500,
                 flapping_delay_ms=300, users=None, tls=False):
        self.dir = tempfile.mkdtemp(prefix="borealis-e2e-")
        # Tasks run as their role's user (www-data) when the agent is root: let them in.
        os.chmod(self.dir, 0o755)
        self.task_bin = copy_task_programs(os.path.join(self.dir, "task-bin"))
        self.cluster = name
        self.port = free_port()
        self.pki = make_pki(os.path.join(self.dir, "pki")) if tls else None
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.ssl = None
        if self.pki:
            self.ssl = ssl.create_default_context(cafile=self.pki["ca"])
            self.ssl.load_cert_chain(self.pki["client_cert"], self.pki["client_key"])
        self.store = f"sqlite://{self.dir}/scheduler/state.db"
        self.scheduler_args = [
            BOREALIS, "scheduler", "--cluster", name, "--store", self.store,
            "--bind-address", "127.0.0.1", "--http-port", str(self.port),
            "--agent-timeout-secs", str(agent_timeout_secs),
            "--poll-timeout-ms", str(poll_timeout_ms),
            "--initial-flapping-delay-ms", str(flapping_delay_ms),
            "--log-level", "debug"] + TASK_USER_FLAGS
        self.tokens = {}
        self.auth_file = None
        if users is not None:
            self.auth_file = os.path.join(self.dir, "auth.yaml")
            self.auth_users = dict(users)
            self.auth_users.setdefault("admin", {"admin": True})
            self.write_auth_file()
            self.scheduler_args += ["--auth-file", self.auth_file]
        if self.pki:
            self.scheduler_args += ["--tls-cert", self.pki["server_cert"], "--tls-key",
                                    self.pki["server_key"], "--tls-ca", self.pki["ca"]]
        self.scheduler = None
        self.agents = {}
        # The CLI finds this cluster through a clusters.json of its own.
        self.config_dir = os.path.join(self.dir, "cli")
        os.makedirs(self.config_dir)
        with open(os.path.join(self.config_dir, "clusters.json"), "w") as f:
            entry = {"name": name, "scheduler_uri": self.url}
            if self.pki:
                entry.update(scheduler_ca=self.pki["ca"], client_cert=self.pki["client_cert"],
                             client_key=self.pki["client_key"])
            json.dump([entry], f)

    # --- auth ---
    def write_auth_file(self):
        """Writes the auth file for self.auth_users, minting a token for each new user."""
        lines = ["users:"]
        for name, grants in self.auth_users.items():
            token = self.tokens.setdefault(name, secrets.token_hex(32))
            lines.append(f"  - name: {name}")
            lines.append(f"    token_sha256: {hashlib.sha256(token.encode()).hexdigest()}")
            for key in ("roles", "prod_roles", "agents"):
                if grants.get(key):
                    lines.append(f"    {key}: [{', '.join(grants[key])}]")
            lines.append(f"    admin: {'true' if grants.get('admin') else 'false'}")
        with open(self.auth_file, "w") as f:
            f.write("\n".join(lines) + "\n")

    def token_file(self, user):
        path = os.path.join(self.dir, f"token-{user}")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(self.tokens[user] + "\n")
        return path

    # --- processes ---
    def start_scheduler(self):
        self.scheduler = Process("scheduler", self.scheduler_args,
                                 os.path.join(self.dir, "scheduler.log")).start()
        wait_for("scheduler /health",
                 lambda: http("GET", self.url + "/health", context=self.ssl)[0] == 200)
        return self.scheduler

    def add_agent(self, hostname, ports, cpu=4, ram=8 << 30, disk=16 << 30, extra_args=(),
                  scheduler_args=None, http_port=None):
        """`ports` (LO, HI) must lie below the kernel's ephemeral ports (32768 up): an HTTP
        client's connection that happens to hold a task's port makes the task fail.
        `extra_args` are more agent flags; `scheduler_args` replace `--scheduler URL` (an
        agent following the leader through ZooKeeper)."""
        assert ports[1] < 32768, f"task ports {ports} overlap the ephemeral range"
        work = os.path.join(self.dir, hostname)
        http_port = http_port or free_port()
        args = [BOREALIS, "agent", *(scheduler_args or ["--scheduler", self.url]), "--work-dir", work,
                "--http-bind", "127.0.0.1", "--http-port", str(http_port),
                "--ports", f"{ports[0]}-{ports[1]}",
                "--resources", f"cpu={cpu},ram={ram},disk={disk}", "--hostname", hostname,
                "--log-level", "debug"] + TASK_USER_FLAGS + list(extra_args)
        if self.auth_file:
            # The agent's own token may act only as this host; the scheduler must know it
            # before the agent registers (it reads the auth file at start).
            user = "agent-" + hostname
            if user not in self.auth_users:
                raise AssertionError(f"an auth cluster needs user {user} (agents: [{hostname}]) "
                                     f"in `users`, given before start_scheduler()")
            args += ["--auth-file", self.auth_file, "--token-file", self.token_file(user)]
        if self.pki:
            args += ["--scheduler-ca", self.pki["ca"], "--client-cert", self.pki["client_cert"],
                     "--client-key", self.pki["client_key"]]
        agent = Process(hostname, args, os.path.join(self.dir, hostname + ".log")).start()
        agent.http_url = f"http://127.0.0.1:{http_port}"
        agent.work = work
        self.agents[hostname] = agent
        wait_for(f"agent {hostname} registered", lambda: self.agent_status(hostname) == "ACTIVE")
        return agent

    def restart(self, process):
        process.start()
        return process

    def stop(self):
        for a in self.agents.values():
            if a.alive():
                a.resume()
            a.stop()
        if self.scheduler:
            self.scheduler.stop()
        # Tasks outlive agents by design: kill every runner and task process in our dir.
        kill_everything_under(self.dir)
        for a in self.agents.values():
            remove_agent_cgroups(a.name, a.work)

    def cleanup(self):
        self.stop()
        if not os.environ.get("BOREALIS_E2E_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- API and CLI ---
    def api(self, method, path, body=None, user="admin"):
        if body is not None:
            refuse_paths_into_checkout(body)
        status, text = http(method, self.url + path, body, token=self.tokens.get(user),
                            context=self.ssl)
        return status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)

    def agent_status(self, hostname):
        _, body = self.api("GET", "/api/v1/agents")
        for a in body["agents"]:
            if a["hostname"] == hostname:
                return a["status"]
        return None

    def cli(self, *args, check=True, timeout=120):
        env = dict(os.environ, BOREALIS_CONFIG_DIR=self.config_dir)
        if "admin" in self.tokens:
            env["BOREALIS_TOKEN"] = self.tokens["admin"]
        r = subprocess.run([BOREALIS, *args], capture_output=True, text=True, env=env,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"borealis {' '.join(args)} exited {r.returncode}:\n"
                                 f"{r.stdout}\n{r.stderr}")
        return r

    def key(self, name, role="www-data", env="prod"):
        return f"{self.cluster}/{role}/{env}/{name}"

    def tasks(self, name, role="www-data", env="prod", active=True):
        q = "?active=true" if active else ""
        status, body = self.api("GET", f"/api/v1/jobs/{role}/{env}/{name}/tasks{q}")
        assert status == 200, body
        return body["tasks"]

    def running(self, name, count, **kw):
        """Waits until `count` instances are RUNNING; returns those tasks."""
        def check():
            ts = [t for t in self.tasks(name, **kw) if t["status"] == "RUNNING"]
            return ts if len(ts) == count else None
        return wait_for(f"{count} RUNNING tasks of {name}", check)

    def agent_tasks(self, hostname):
        status, text = http("GET", self.agents[hostname].http_url + "/api/v1/tasks",
                            token=self.tokens.get("admin"))
        assert status == 200, text
        return json.loads(text)["tasks"]

    def task_program(self, name):
        """The path a task uses to run tests/e2e/bin/NAME: a copy its user can read."""
        return os.path.join(self.task_bin, name)

    def write_job(self, name, body):
        refuse_paths_into_checkout(body)
        path = os.path.join(self.dir, name + ".json")
        with open(path, "w") as f:
            json.dump(body, f)
        return path

    def job(self, name, cmdline, instances=1, service=True, cpu=0.1, ram=16 << 20, disk=16 << 20,
            **extra):
        j = {"cluster": self.cluster, "role": "www-data", "environment": "prod", "name": name,
             "instances": instances, "service": service,
             "task": {"processes": [{"name": name, "cmdline": cmdline}],
                      "resources": {"cpu": cpu, "ram": ram, "disk": disk}},
             # An `http` port is health-checked at GET /health by default; these
             # sleepers serve nothing, so they pass a shell check instead.
             "health_check_config": {"health_checker": {"shell": {"shell_command": "true"}},
                                     "initial_interval_secs": 0.1, "interval_secs": 0.1}}
        j.update(extra)
        return j


def make_pki(dest):
    """A CA, a certificate for a server at 127.0.0.1 and a client certificate signed by it,
    made with the openssl command; returns their paths."""
    os.makedirs(dest, mode=0o700)
    p = {k: os.path.join(dest, k + ".pem") for k in
         ("ca", "ca_key", "server_cert", "server_key", "client_cert", "client_key")}

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-days", "2", "-subj", "/CN=e2e-ca", "-keyout", p["ca_key"],
            "-out", p["ca"])
    for who, cn, ext in (("server", "scheduler", "subjectAltName=IP:127.0.0.1\n"
                                                 "extendedKeyUsage=serverAuth\n"),
                         ("client", "e2e-client", "extendedKeyUsage=clientAuth\n")):
        csr, extfile = os.path.join(dest, who + ".csr"), os.path.join(dest, who + ".ext")
        with open(extfile, "w") as f:
            f.write(ext)
        openssl("req", *ec, "-subj", f"/CN={cn}", "-keyout", p[who + "_key"], "-out", csr)
        openssl("x509", "-req", "-days", "2", "-in", csr, "-CA", p["ca"], "-CAkey", p["ca_key"],
                "-CAcreateserial", "-extfile", extfile, "-out", p[who + "_cert"])
    return p


def copy_task_programs(dest):
    """Copies tests/e2e/bin to DEST, world-readable and executable, so that a task user who
    cannot read the checkout can still run them. DEST's parents must be searchable."""
    shutil.copytree(TASK_PROGRAMS, dest)
    os.chmod(dest, 0o755)
    for name in os.listdir(dest):
        os.chmod(os.path.join(dest, name), 0o755)
    return dest


def refuse_paths_into_checkout(job):
    """Fails a test whose job would make a task run or read something in the checkout: it
    passes where the checkout is world-readable and fails where it is not (issue 16)."""
    text = json.dumps(job)
    for root in {SOURCE_ROOT, os.path.realpath(BIN_DIR)}:
        if root + "/" in text or text.endswith(root) or root + '"' in text:
            raise AssertionError(f"a task must not use files under {root} (the checkout or "
                                 f"build may be unreadable to the task's user); use "
                                 f"Cluster.task_program(): {text[:300]}")


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"
