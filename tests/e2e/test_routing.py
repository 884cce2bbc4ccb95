"""Issue 12 end to end: real scheduler and agents (--zk), a real ZooKeeper, `borealis router`
and its real HAProxy. A job of three HTTP instances (an Aurora-dialect `.aurora` with an
Announcer) is announced by the agents; the router keeps HAProxy in step; a client loop
through HAProxy sees 0 failed requests while an instance is killed (kill -9) and replaced,
and again while a rolling update replaces every instance. The CLI finds the scheduler
through ZooKeeper (a clusters.json with only `zk` and `scheduler_zk_path`), and a
third-party client (Debian's python3-kazoo) reads the members.

Ports: ZooKeeper 32450-32459, tasks 32400-32449 (HAProxy's from router_harness)."""
import json
import os
import shutil
import signal
import threading
import time

import pytest
from kazoo.client import KazooClient

from cluster import wait_for
from router_harness import Router, get
from zookeeper import _port_is_free, start_zookeeper

SERVERSET = "/aurora/www-data/prod/web"

JOB = """
server = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[http]}}}} '
            '--version {version} --timing {timing}/{{{{thermos.task_id}}}}')
web = Service(
  cluster = '{cluster}', role = 'www-data', environment = 'prod', name = 'web', instances = 3,
  task = Task(processes = [server], resources = Resources(cpu = 0.05, ram = 32 * MB, disk = 16 * MB)),
  announce = Announcer(primary_port = 'http', portmap = {{'health': 'http'}}),
  # Up to 3 s to start on a busy machine; a crash ends the task anyway.
  health_check_config = HealthCheckConfig(initial_interval_secs = 0.2, interval_secs = 0.3,
                                          max_consecutive_failures = 10),
  lifecycle = LifecycleConfig(http = HttpLifecycleConfig(
    graceful_shutdown_wait_secs = 1, shutdown_wait_secs = 1)),
  update_config = UpdateConfig(batch_size = 1, watch_secs = 1))
jobs = [web]
"""


def free_in(first, last):
    port = next((p for p in range(first, last + 1) if _port_is_free(p)), None)
    assert port is not None, f"no free port in {first}-{last}"
    return port


@pytest.fixture
def zk():
    server = start_zookeeper(port=free_in(32450, 32459))
    yield server
    server.cleanup()


def version_through(port):
    """GET /version through HAProxy without keep-alive; the body, or raises."""
    return get(port, timeout=5, path="/version")


class Traffic:
    """A bounded client loop through HAProxy in a thread: every failure is kept."""

    def __init__(self, port, max_seconds=300):
        self.port, self.ok, self.failures, self.versions = port, 0, [], {}
        self.deadline = time.monotonic() + max_seconds
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set() and time.monotonic() < self.deadline:
            try:
                v = version_through(self.port)
                self.ok += 1
                self.versions[v] = self.versions.get(v, 0) + 1
            except Exception as e:  # noqa: BLE001 - every failure counts
                self.failures.append(f"{time.time():.3f} {e!r}")

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)


def setup_cluster(c, zk):
    """A scheduler and two agents on one ZooKeeper; the CLI reaches the scheduler through it."""
    c.scheduler_args += ["--zk", zk.connect_string]
    c.start_scheduler()
    with open(os.path.join(c.config_dir, "clusters.json"), "w") as f:
        json.dump([{"name": c.cluster, "zk": zk.connect_string,
                    "scheduler_zk_path": f"/borealis/{c.cluster}/scheduler"}], f)
    for i, name in enumerate(("agent-a", "agent-b")):
        c.add_agent(name, (32400 + 25 * i, 32424 + 25 * i), extra_args=["--zk", zk.connect_string, "--announce-host", "127.0.0.1"])
    timing = os.path.join(c.dir, "timing")
    os.makedirs(timing)
    os.chmod(timing, 0o1777)  # tasks run as www-data
    return timing


def write_job(c, timing, version):
    path = os.path.join(c.dir, f"web-{version}.aurora")
    with open(path, "w") as f:
        f.write(JOB.format(server=c.task_program("version_server.py"), cluster=c.cluster,
                           version=version, timing=timing))
    return path


def members(kazoo):
    out = []
    for name in kazoo.get_children(SERVERSET):
        data, _ = kazoo.get(f"{SERVERSET}/{name}")
        out.append(json.loads(data))
    return out


def server_pid(port):
    """The pid of the task process listening on `port` (its command line names the port)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"version_server.py" in b" ".join(args) and b"--port" in args and \
                args[args.index(b"--port") + 1] == str(port).encode():
            return int(pid)
    raise AssertionError(f"no version_server on port {port}")


def test_no_failed_request_through_haproxy_across_a_kill_and_a_rolling_update(zk, cluster):
    c = cluster
    timing = setup_cluster(c, zk)
    c.cli("job", "create", c.key("web"), write_job(c, timing, "v1"), "--wait-until", "RUNNING")
    c.running("web", 3)

    kazoo = KazooClient(hosts=zk.connect_string, timeout=4.0)
    kazoo.start(timeout=10)
    router = Router(zk, SERVERSET, slots=4)
    try:
        # The third-party client sees the three members in Aurora's shape.
        wait_for("3 members", lambda: sorted(m["shard"] for m in members(kazoo)) == [0, 1, 2],
                 timeout=20, interval=0.05)
        ports = {t["ports"]["http"] for t in c.tasks("web")}
        assert {m["serviceEndpoint"]["port"] for m in members(kazoo)} == ports
        wait_for("HAProxy serving", lambda: version_through(router.port) == "v1", interval=0.05)

        traffic = Traffic(router.port)
        # kill -9 of instance 1's server: the scheduler replaces the failed task.
        [victim] = [t for t in c.tasks("web") if t["instance_id"] == 1]
        os.kill(server_pid(victim["ports"]["http"]), signal.SIGKILL)

        def replaced():
            tasks = [t for t in c.tasks("web") if t["status"] == "RUNNING"]
            return len(tasks) == 3 and victim["task_id"] not in {t["task_id"] for t in tasks}
        wait_for("instance 1 replaced", replaced, timeout=30)
        new_ports = {t["ports"]["http"] for t in c.tasks("web") if t["status"] == "RUNNING"}
        wait_for("the replacement in the ServerSet",
                 lambda: {m["serviceEndpoint"]["port"] for m in members(kazoo)} == new_ports,
                 timeout=20, interval=0.05)
        killed_ok = traffic.ok

        # A rolling update, one instance at a time, while the loop goes on.
        c.cli("update", "start", c.key("web"), write_job(c, timing, "v2"), "--wait",
              timeout=120)
        wait_for("only v2 behind HAProxy",
                 lambda: all(version_through(router.port) == "v2" for _ in range(6)),
                 timeout=20, interval=0.05)
        traffic.stop()
        print(f"requests: {traffic.ok} ok ({killed_ok} by the replacement), versions "
              f"{traffic.versions}, failures {len(traffic.failures)}")
        assert traffic.failures == [], traffic.failures[:20]
        assert traffic.ok > 200 and traffic.versions.get("v1") and traffic.versions.get("v2")
        assert sorted(m["shard"] for m in members(kazoo)) == [0, 1, 2]
        # Membership changes went through HAProxy's runtime API: no reload.
        assert router.haproxy_reloads() == 0, router.log()[-3000:]
    finally:
        router.stop()
        print(router.log()[-4000:])
        if os.environ.get("KEEP_ROUTER_LOG"):
            shutil.copy(router.log_path, os.environ["KEEP_ROUTER_LOG"])
        shutil.rmtree(router.dir, ignore_errors=True)
        kazoo.stop()
        kazoo.close()
