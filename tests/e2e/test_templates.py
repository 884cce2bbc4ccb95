"""The template library's job patterns (docs/templates.md) run for real: the API server
behind its auth proxy becomes RUNNING through the health-check process on `health`, and
`http` lets only requests with a credential through to the server; the worker runs its
command with the taskargs as arguments, quoted so that the shell does not touch them.
Without `borealis manage` the configs give their Profile by hand."""
import base64
import json
import os
import time
import urllib.error
import urllib.request

from cluster import http, wait_for

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
