"""Pieces for driving `borealis router` against a real ZooKeeper and the real HAProxy
(tests/e2e/test_router.py and bench/router_bench.py share them): small HTTP backends that
answer their own name, ServerSet members written as Aurora's announcer writes them (with
Debian's python3-kazoo), and the router process with its config.

Ports: ZooKeeper 30970-30999, backends 32000-32099, HAProxy frontends 32100-32199."""
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import http.client
import http.server

from kazoo.client import KazooClient

from zookeeper import _port_is_free as port_is_free, start_zookeeper

BIN_DIR = os.environ.get("BOREALIS_BIN_DIR",
                         os.path.join(os.path.dirname(__file__), "../../build/bin"))
BOREALIS = os.path.join(BIN_DIR, "borealis")


def free_port(first, last, taken=()):
    for port in range(first, last + 1):
        if port not in taken and port_is_free(port):
            return port
    raise RuntimeError(f"no free loopback port in {first}-{last}")


def zookeeper():
    return start_zookeeper(port=free_port(30970, 30999))


class Backend:
    """An HTTP server on 127.0.0.1 that answers every GET with its name."""

    used_ports = set()

    def __init__(self, name):
        self.name = name
        self.port = free_port(32000, 32099, Backend.used_ports)
        Backend.used_ports.add(self.port)
        body = name.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def member_json(backend, shard):
    """A member as Aurora's announcer writes it (src/api/serverset.h)."""
    endpoint = {"host": "127.0.0.1", "port": backend.port}
    return json.dumps({"serviceEndpoint": endpoint, "additionalEndpoints": {"http": endpoint},
                       "status": "ALIVE", "shard": shard}).encode()


class Announcer:
    """Members of one ServerSet: ephemeral sequential member_ nodes, one per backend."""

    def __init__(self, zk, path):
        self.path = path
        self.client = KazooClient(hosts=zk.connect_string, timeout=4.0)
        self.client.start(timeout=10)
        self.client.ensure_path(path)
        self.nodes = {}

    def announce(self, backend, shard=0):
        self.nodes[backend.name] = self.client.create(
            self.path + "/member_", member_json(backend, shard), ephemeral=True, sequence=True)

    def withdraw(self, backend):
        self.client.delete(self.nodes.pop(backend.name))

    def withdraw_all(self):
        """Every member at once (one transaction), as when the announcers' sessions die."""
        t = self.client.transaction()
        for node in self.nodes.values():
            t.delete(node)
        t.commit()
        self.nodes.clear()

    def close(self):
        self.client.stop()
        self.client.close()


def get(port, timeout=2.0, path="/"):
    """One request without keep-alive; the body, or raises."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        body = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]}")
        return body
    finally:
        conn.close()


class Router:
    """`borealis router` with one http service `web` on a ServerSet."""

    def __init__(self, zk, serverset, slots=4, min_reload_interval_ms=500, external=False):
        self.dir = tempfile.mkdtemp(prefix="borealis-router-")
        # External mode: the test's own HAProxy (master-worker, pid file), reloaded by USR2.
        self.external_pid = os.path.join(self.dir, "external.pid")
        reload = f"kill -USR2 $(cat {self.external_pid})"
        external_line = f"  external: {{reload_command: \"{reload}\"}}\n" if external else ""
        self.port = free_port(32100, 32199)
        self.stats_port = free_port(32100, 32199, {self.port})
        self.config = os.path.join(self.dir, "router.yaml")
        with open(self.config, "w") as f:
            f.write(f"services:\n  web:\n    serverset: {serverset}\n    port: {self.port}\n"
                    f"    endpoint: http\n    slots: {slots}\n"
                    f"haproxy:\n  config_path: {self.dir}/haproxy.cfg\n"
                    f"  min_reload_interval_ms: {min_reload_interval_ms}\n"
                    f"  stats: {{port: {self.stats_port}}}\n" + external_line)
        self.log_path = os.path.join(self.dir, "router.log")
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [BOREALIS, "router", "--zk", zk.connect_string, "--config", self.config],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def master(self, command):
        """A command on the owned HAProxy's master CLI (closed for a moment while the master
        re-executes itself for a reload)."""
        for _ in range(100):
            try:
                return self._master_once(command)
            except ConnectionRefusedError:
                time.sleep(0.02)
        return self._master_once(command)

    def _master_once(self, command):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(3)
            s.connect(os.path.join(self.dir, "haproxy-master.sock"))
            s.sendall(command.encode() + b"\n")
            s.shutdown(socket.SHUT_WR)
            out = b""
            while chunk := s.recv(65536):
                out += chunk
            return out.decode()

    def haproxy_reloads(self):
        """The master's own count of reloads (`show proc`)."""
        for line in self.master("show proc").splitlines():
            fields = line.split()
            if len(fields) > 2 and fields[1] == "master":
                return int(fields[2])
        raise RuntimeError("no master line in `show proc`")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wait_for(what, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as e:  # noqa: BLE001 - not there yet
            last = e
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what} (last error: {last!r})")


def names_seen(port, count):
    seen = set()
    for _ in range(count):
        seen.add(get(port))
    return seen


class ClientLoop:
    """Requests through HAProxy in a thread, without keep-alive, counting failures."""

    def __init__(self, port):
        self.port = port
        self.ok = 0
        self.failures = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                get(self.port)
                self.ok += 1
            except Exception as e:  # noqa: BLE001 - every failure counts
                self.failures.append(repr(e))

    def stop(self):
        self.stopping.set()
        self.thread.join()
