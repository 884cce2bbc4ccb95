"""Issue 10's port checks, with configs in Aurora's dialect: an Announcer portmap alias
binds {{thermos.ports[alias]}} to the number of the port it names and is the announced
primary endpoint; a fixed port ('admin': N) is held once per host and leaves the agent's
dynamic range while held."""
import json
import os
import urllib.request

from cluster import wait_for

ALIAS_JOB = """
server = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[alias]}}}} --version v1')

# The default portmap, {{'aurora': '{{{{primary_port}}}}'}}, with primary_port 'http'.
default_server = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[aurora]}}}} --version v2')

base = Service(
  cluster = '{cluster}', role = 'www-data', environment = 'prod',
  health_check_config = HealthCheckConfig(initial_interval_secs = 0.2, interval_secs = 0.3))
resources = Resources(cpu = 0.05, ram = 32 * MB, disk = 16 * MB)

jobs = [
  base(name = 'aliased', task = Task(processes = [server], resources = resources),
       announce = Announcer(primary_port = 'alias', portmap = {{'alias': 'http'}})),
  base(name = 'defaulted', task = Task(processes = [default_server], resources = resources),
       announce = Announcer()),
]
"""

# Aurora lets only jobs on dedicated hosts fix a port; so does Borealis.
FIXED_JOBS = """
fixed = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[admin]}}}} --version fixed')
dynamic = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[http]}}}} --version dynamic')
resources = Resources(cpu = 0.05, ram = 32 * MB, disk = 16 * MB)
base = Service(cluster = '{cluster}', role = 'www-data', environment = 'prod',
               constraints = {{'dedicated': 'www-data/ports'}},
               health_check_config = HealthCheckConfig(initial_interval_secs = 0.2,
                                                       interval_secs = 0.3))

jobs = [
  base(name = 'fixed', instances = 2, task = Task(processes = [fixed], resources = resources),
       announce = Announcer(primary_port = 'admin', portmap = {{'admin': {fixed_port}}})),
  base(name = 'dynamic', task = Task(processes = [dynamic], resources = resources)),
]
"""


def write_config(c, name, text):
    path = os.path.join(c.dir, name + ".aurora")
    with open(path, "w") as f:
        f.write(text.format(server=c.task_program("version_server.py"), cluster=c.cluster,
                            fixed_port=FIXED_PORT))
    return path


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return r.read().decode()


def status_json(c, name):
    return json.loads(c.cli("job", "status", c.key(name), "--output", "json").stdout)["tasks"]


def test_alias_binds_the_named_port_and_is_the_primary_endpoint(cluster):
    c = cluster
    c.start_scheduler()
    c.add_agent("agent-a", (29000, 29049))
    path = write_config(c, "aliased", ALIAS_JOB)
    # RUNNING means healthy: the default check asked GET /health on the `http` port.
    c.cli("job", "create", c.key("aliased"), path, "--wait-until", "RUNNING")
    [task] = [t for t in status_json(c, "aliased") if t["status"] == "RUNNING"]
    ports = task["ports"]
    assert ports["alias"] == ports["http"], ports
    assert 29000 <= ports["http"] <= 29049, ports
    # The process was started on {{thermos.ports[alias]}} and listens on http's number.
    assert get(ports["http"], "/version") == "v1"
    endpoint = f"agent-a:{ports['http']}"
    assert task["primary_endpoint"] == endpoint, task
    assert endpoint in c.cli("job", "status", c.key("aliased")).stdout
    # The agent's API shows the same map and endpoint.
    [on_agent] = [t for t in c.agent_tasks("agent-a") if t["task_id"] == task["task_id"]]
    assert on_agent["ports"] == ports and on_agent["primary_endpoint"] == endpoint, on_agent

    # Aurora's default portmap makes `aurora` the primary port's (http's) number.
    c.cli("job", "create", c.key("defaulted"), path, "--wait-until", "RUNNING")
    [task] = [t for t in status_json(c, "defaulted") if t["status"] == "RUNNING"]
    ports = task["ports"]
    assert ports["aurora"] == ports["http"], ports
    assert get(ports["http"], "/version") == "v2"
    assert task["primary_endpoint"] == f"agent-a:{ports['http']}", task


FIXED_PORT = 29100


def test_fixed_port_is_held_once_per_host_and_leaves_the_dynamic_range(cluster):
    c = cluster
    c.start_scheduler()
    # The fixed port is the first of the agent's two dynamic ports.
    c.add_agent("agent-d", (FIXED_PORT, FIXED_PORT + 1),
                extra_args=("--attributes", "dedicated=www-data/ports"))
    path = write_config(c, "ports", FIXED_JOBS)
    c.cli("job", "create", c.key("fixed"), path)

    def one_running_one_waiting():
        ts = {t["status"]: t for t in c.tasks("fixed")}
        waiting = ts.get("PENDING", {}).get("message", "")
        return ts if "RUNNING" in ts and "already hold fixed port 29100" in waiting else None
    ts = wait_for("one instance RUNNING, one waiting for port 29100", one_running_one_waiting)
    assert ts["RUNNING"]["ports"] == {"admin": FIXED_PORT}, ts["RUNNING"]
    assert ts["RUNNING"]["primary_endpoint"] == f"agent-d:{FIXED_PORT}"
    assert get(FIXED_PORT, "/version") == "fixed"

    # A dynamic port on the same host is never the held fixed one.
    c.cli("job", "create", c.key("dynamic"), path, "--wait-until", "RUNNING")
    [dyn] = c.tasks("dynamic")
    assert dyn["ports"] == {"http": FIXED_PORT + 1}, dyn
    assert get(FIXED_PORT + 1, "/version") == "dynamic"
    assert get(FIXED_PORT, "/version") == "fixed"
