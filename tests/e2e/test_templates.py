"""The template library's job patterns (docs/templates.md) run for real: the API server
behind its auth proxy becomes RUNNING through the health-check process on `health`, and
`http` lets only requests with a credential through to the server; the worker runs its
command with the taskargs as arguments, quoted so that the shell does not touch them.
Without `borealis manage` the configs give their Profile by hand."""
import base64
import http.server as http_server
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from cluster import SOURCE_ROOT, free_port, http, wait_for

PORTS = (30600, 30649)
TOKEN = "s3cret-token"

APP = r'''
import http.server, sys
class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = {"/private/stats/": b"stats", "/hello": b"hello from the app"}.get(self.path)
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body or b"no such page")
port = int(sys.argv[sys.argv.index("--port") + 1])
http.server.HTTPServer(("127.0.0.1", port), App).serve_forever()
'''

PRINT_ARGS = "import json, sys; print('ARGS ' + json.dumps(sys.argv[1:]))\n"

# A taskarg the shell would expand, split or choke on if it were not quoted.
TRICKY = "two words 'quoted' $(id) `id` ; exit 3"

CONFIG = """
from borealis.templates import *
P = Profile(name = 'api', user = 'www-data', stage = 'prod', cluster = '{cluster}',
            buildname = 'api', cpu = 0.1, ram_mb = 64, disk_mb = 16, instances = 1,
            taskargs = {{'credentials_file': '{credentials}', 'health_url': '/private/stats/'}})
# A long grace (python3 starts three programs), checked often: RUNNING soon after.
fast = HealthCheckConfig(initial_interval_secs = 20, interval_secs = 0.2)
jobs = [
  python_api_server(profile = P, command = 'exec python3 {app}', health_check_config = fast),
  python_worker(profile = P(name = 'worker', taskargs = {{'workers': '3', 'tricky': {tricky!r}}}),
                command = 'exec python3 {print_args}'),
]
"""


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def get(port, path, token=None, basic=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if basic:
        req.add_header("Authorization", "Basic " + base64.b64encode(basic.encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_api_server_behind_auth_proxy_and_worker(cluster):
    c = cluster
    c.start_scheduler()
    agent = c.add_agent("host-t", PORTS)
    # Tasks run as www-data: everything they read lives in the cluster's mode-755 dir.
    config = write(os.path.join(c.dir, "templates.aurora"), CONFIG.format(
        cluster=c.cluster, app=write(os.path.join(c.dir, "app.py"), APP),
        print_args=write(os.path.join(c.dir, "print_args.py"), PRINT_ARGS),
        credentials=write(os.path.join(c.dir, "api.tokens"),
                          "# a bearer token, a Basic user:password\n%s\nops:pw\n" % TOKEN),
        tricky=TRICKY))

    # RUNNING means the agent's GET /health on `health` passed: the health-check process
    # probed the server's /private/stats/ on `private`.
    c.cli("job", "create", c.key("api"), config, "--wait-until", "RUNNING", timeout=180)
    [task] = c.running("api", 1)
    ports = task["ports"]
    # Announcer's default portmap adds the alias `aurora` for the primary port, http.
    assert set(ports) == {"http", "private", "health", "aurora"}, ports
    assert ports["aurora"] == ports["http"], ports
    assert task["primary_endpoint"] == f"host-t:{ports['http']}", task
    assert get(ports["health"], "/health") == (200, "ok\n")

    assert get(ports["http"], "/hello")[0] == 401
    assert get(ports["http"], "/hello", token="wrong")[0] == 401
    assert get(ports["http"], "/hello", token=TOKEN) == (200, "hello from the app")
    assert get(ports["http"], "/hello", basic="ops:pw") == (200, "hello from the app")
    assert get(ports["http"], "/hello", basic="ops:wrong")[0] == 401
    # An open path goes through without a credential (the app has no /health: its 404).
    assert get(ports["http"], "/health") == (404, "no such page")
    # The server itself listens on 127.0.0.1:<private>, reachable without the proxy only
    # from the host.
    assert get(ports["private"], "/hello") == (200, "hello from the app")

    # The app has no /quitquitquit: the health-check process leaves the agent's lifecycle
    # POSTs unanswered, so the kill goes on to SIGTERM at once instead of waiting 2 x 5 s;
    # the sidecars being ephemeral, the task ends with its server.
    started = time.monotonic()
    c.cli("job", "killall", c.key("api"))
    wait_for("api KILLED", lambda: [t for t in c.tasks("api", active=False)
                                    if t["status"] == "KILLED"])
    assert time.monotonic() - started < 8, "the kill waited for the lifecycle endpoints"

    c.cli("job", "create", c.key("worker"), config, "--wait-until", "FINISHED", timeout=180)
    [done] = c.tasks("worker", active=False)
    assert done["status"] == "FINISHED", done
    code, out = http("GET", agent.http_url + f"/api/v1/tasks/{done['task_id']}/logs/worker")
    assert code == 200, out
    line = next(l for l in out.splitlines() if l.startswith("ARGS "))
    assert json.loads(line[5:]) == ["--workers", "3", "--tricky", TRICKY], out


def sidecar_programs():
    """The library's sidecar programs, from the source the binary embeds."""
    path = os.path.join(SOURCE_ROOT, "src/config/aurora/python/borealis_aurora/sidecar_programs.py")
    spec = importlib.util.spec_from_file_location("sidecar_programs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Upstream(http_server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = b"secret data" if self.path == "/data" else b"nope"
        self.send_response(200 if self.path in ("/data", "/stats") else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


def start_program(tmp_path, name, source, *args):
    path = tmp_path / name
    path.write_text(source)
    proc = subprocess.Popen([sys.executable, str(path), *args], stderr=subprocess.PIPE)
    return proc


def listening(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def raw_request(port, text):
    """The proxy's answer to a request sent byte for byte; b'' when it closed unanswered."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(text)
        return s.makefile("rb").read()


def test_sidecar_programs_bounds_and_answers(tmp_path):
    programs = sidecar_programs()
    upstream = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    up_port = upstream.server_address[1]
    creds = tmp_path / "tokens"
    creds.write_text("tok-1\n")
    proxy_port, health_port = free_port(), free_port()
    procs = [
        start_program(tmp_path, "proxy.py", programs.AUTH_PROXY, "--port", str(proxy_port),
                      "--upstream-port", str(up_port), "--credentials-file", str(creds),
                      "--max-connections", "3"),
        start_program(tmp_path, "health.py", programs.HEALTH_CHECK, "--port", str(health_port),
                      "--target-port", str(up_port), "--url", "/stats",
                      "--listening", str(proxy_port)),
    ]
    try:
        wait_for("the sidecars listening", lambda: listening(proxy_port) and listening(health_port))
        assert get(proxy_port, "/data", token="tok-1") == (200, "secret data")
        assert get(proxy_port, "/data")[0] == 401
        # The file is read again when it changes: a rotated token replaces the old one.
        creds.write_text("tok-2\n")
        os.utime(creds, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        assert get(proxy_port, "/data", token="tok-2") == (200, "secret data")
        assert get(proxy_port, "/data", token="tok-1")[0] == 401

        auth = b"Authorization: Bearer tok-2\r\n"
        big = b"POST /data HTTP/1.0\r\n" + auth + b"Content-Length: %d\r\n\r\n" % (2 << 20)
        assert raw_request(proxy_port, big).startswith(b"HTTP/1.0 413 ")
        chunked = b"POST /data HTTP/1.0\r\n" + auth + b"Transfer-Encoding: chunked\r\n\r\n"
        assert raw_request(proxy_port, chunked).startswith(b"HTTP/1.0 411 ")

        # Connections over the limit are closed at once, unanswered.
        idle = [socket.create_connection(("127.0.0.1", proxy_port)) for _ in range(3)]
        try:
            assert raw_request(proxy_port, b"GET /data HTTP/1.0\r\n\r\n") == b""
        finally:
            for s in idle:
                s.close()
        wait_for("a free connection slot",
                 lambda: get(proxy_port, "/data", token="tok-2")[0] == 200)

        assert get(health_port, "/health") == (200, "ok\n")
        # The server has no /quitquitquit (404): the lifecycle POST stays unanswered.
        assert raw_request(health_port, b"POST /quitquitquit HTTP/1.0\r\n\r\n") == b""
        upstream.shutdown()
        upstream.server_close()
        code, text = get(health_port, "/health")
        assert code == 503 and f"GET 127.0.0.1:{up_port}/stats: " in text, text
        assert get(proxy_port, "/data", token="tok-2")[0] == 502
        procs[0].terminate()
        procs[0].wait()
        code, text = get(health_port, "/health")
        assert code == 503 and f"nothing listens on 127.0.0.1:{proxy_port}" in text, text
    finally:
        for p in procs:
            p.kill()
            p.wait()
