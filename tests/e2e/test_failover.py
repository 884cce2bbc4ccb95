"""Three schedulers with leader election in ZooKeeper (docs/operations.md#high-availability):
kill -9 of the leader during a 200-instance deploy, a ZooKeeper restart during one, and a
paused leader that must be fenced. Agents follow the leader through ZooKeeper.

The store is a real PostgreSQL (Debian's 15, tests/e2e/postgres.py), one database per test,
as three schedulers on three hosts would share it; a PostgreSQL restart under a deploy is
one of the faults. (`HaCluster(zk)` without a URL shares a SQLite file instead, which works
on one machine only: its lock goes with a dead holder.)

Ports: ZooKeeper, schedulers and agents in 9100-9199, the agents' task ports in 9200-9299,
PostgreSQL in 9095-9099.
"""
import collections
import itertools
import os
import re
import threading
import time
from http.client import HTTPConnection

import pytest

from cluster import BOREALIS, TASK_USER_FLAGS, Cluster, Process, http, wait_for
from postgres import start_postgres
from zookeeper import _port_is_free, start_zookeeper

SESSION_TIMEOUT_MS = 2000
INSTANCES = 200


def free_port_in(lo, hi):
    for port in range(lo, hi + 1):
        if _port_is_free(port):
            return port
    raise RuntimeError(f"no free loopback port in {lo}-{hi}")


class HaCluster(Cluster):
    """Three `borealis scheduler --zk` on one store, agents following the leader."""

    def __init__(self, zk, store_url=None):
        super().__init__(name="ha", agent_timeout_secs=20, poll_timeout_ms=500)
        self.zk = zk
        self.store = store_url or f"sqlite://{self.dir}/scheduler/state.db"
        self.schedulers = []
        self.next_port = 9110
        with open(os.path.join(self.config_dir, "clusters.json"), "w") as f:
            f.write('[{"name": "ha", "zk": "%s"}]' % zk.connect_string)

    def take_port(self, hi=9199):
        port = free_port_in(self.next_port, hi)
        self.next_port = port + 1
        return port

    def start_schedulers(self, count=3):
        for i in range(count):
            port = self.take_port()
            args = [BOREALIS, "scheduler", "--cluster", self.cluster, "--store", self.store,
                    "--bind-address", "127.0.0.1", "--http-port", str(port),
                    "--zk", self.zk.connect_string,
                    "--zk-session-timeout-ms", str(SESSION_TIMEOUT_MS),
                    "--agent-timeout-secs", "20", "--poll-timeout-ms", "500",
                    "--log-level", "debug"] + TASK_USER_FLAGS
            p = Process(f"scheduler{i}", args, os.path.join(self.dir, f"scheduler{i}.log")).start()
            p.url = f"http://127.0.0.1:{port}"
            self.schedulers.append(p)
        for p in self.schedulers:
            wait_for(f"{p.name} /health", lambda p=p: http("GET", p.url + "/health")[0] == 200)

    def leaderhealth(self, p):
        try:
            return http("GET", p.url + "/leaderhealth", timeout=2)[0]
        except OSError:
            return None

    def wait_leader(self, among=None, timeout=20.0):
        """The one scheduler whose /leaderhealth is 200; self.url then points at it."""
        among = among or [p for p in self.schedulers if p.alive()]

        def leader():
            leaders = [p for p in among if self.leaderhealth(p) == 200]
            assert len(leaders) <= 1, f"two leaders: {[p.name for p in leaders]}"
            return leaders[0] if leaders else None
        p = wait_for("a leader's /leaderhealth 200", leader, timeout=timeout, interval=0.02)
        self.url = p.url
        return p

    def add_following_agent(self, hostname, task_ports):
        return self.add_agent(hostname, task_ports, cpu=4, ram=8 << 30, disk=16 << 30,
                              scheduler_args=["--zk", self.zk.connect_string,
                                              "--cluster", self.cluster],
                              http_port=self.take_port())

    def leader_sessions(self, hostname):
        """ZooKeeper sessions the agent opened to follow the leader (its log says each)."""
        return self.agents[hostname].log().count("for following the scheduler leader (session ")

    def stop(self):
        for p in self.schedulers:
            if p.alive():
                p.resume()
                p.stop()
        super().stop()

    def deploy(self, name):
        job = self.job(name, "sleep 600", instances=INSTANCES, cpu=0.01, ram=16 << 20,
                       disk=1 << 20)
        del job["health_check_config"]
        status, body = self.api("POST", "/api/v1/jobs", job)
        assert status == 201, body

    def all_tasks(self, name):
        status, body = self.api("GET", f"/api/v1/jobs/www-data/prod/{name}/tasks")
        assert status == 200, body
        return body["tasks"]


class AgentWatch:
    """Samples every agent's running tasks while a test runs: an instance running twice
    at one moment, on one agent or two, is recorded."""

    def __init__(self, c, name):
        self.c, self.pattern = c, re.compile(rf"^www-data-prod-{name}-(\d+)-")
        self.doubles, self.samples = [], 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopping.is_set():
            running = collections.defaultdict(list)
            for hostname in list(self.c.agents):
                try:
                    tasks = self.c.agent_tasks(hostname)
                except Exception:  # an agent busy or restarting: next sample
                    continue
                for t in tasks:
                    m = self.pattern.match(t["task_id"])
                    if m and t["state"] in ("STARTING", "RUNNING"):
                        running[int(m.group(1))].append(t["task_id"])
            self.doubles += [(i, ids) for i, ids in running.items() if len(ids) > 1]
            self.samples += 1
            self.stopping.wait(0.2)

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=10)


def deploy_under_way(c, name):
    """Two agents following the leader, a deploy of INSTANCES, 20 of them RUNNING; the
    AgentWatch sampling it."""
    c.add_following_agent("ha-a", (9200, 9249))
    c.add_following_agent("ha-b", (9250, 9299))
    c.deploy(name)
    watch = AgentWatch(c, name)
    wait_for("the deploy under way",
             lambda: sum(t["status"] == "RUNNING" for t in c.tasks(name)) >= 20,
             timeout=60, interval=0.2)
    return watch


def assert_deployed_once(c, name, watch):
    """200 RUNNING, one active task per instance (the API and the agents agree)."""
    def done():
        active = [t for t in c.tasks(name) if t["status"] == "RUNNING"]
        return active if len(active) == INSTANCES else None
    wait_for(f"{INSTANCES} RUNNING instances of {name}", done, timeout=60, interval=0.5)
    by_instance = collections.Counter(t["instance_id"] for t in c.tasks(name))
    assert sorted(by_instance) == list(range(INSTANCES))
    assert max(by_instance.values()) == 1, [i for i, n in by_instance.items() if n > 1]
    watch.stop()
    assert watch.samples > 0
    assert watch.doubles == [], f"an instance ran twice: {watch.doubles[:5]}"
    running_on_agents = collections.Counter()
    for hostname in c.agents:
        for t in c.agent_tasks(hostname):
            m = watch.pattern.match(t["task_id"])
            if m and t["state"] == "RUNNING":
                running_on_agents[int(m.group(1))] += 1
    assert sorted(running_on_agents) == list(range(INSTANCES))
    assert max(running_on_agents.values()) == 1


@pytest.fixture(scope="module")
def postgres():
    server = start_postgres(first_port=9095, last_port=9099)
    yield server
    server.cleanup()


_databases = itertools.count()


@pytest.fixture
def store_url(postgres):
    return postgres.create_database(f"failover{next(_databases)}")


@pytest.fixture
def zk():
    server = start_zookeeper(port=free_port_in(9100, 9109))
    yield server
    server.cleanup()


@pytest.fixture
def ha(zk, store_url):
    c = HaCluster(zk, store_url)
    try:
        c.start_schedulers(3)
        c.wait_leader()
        yield c
    finally:
        c.cleanup()


def test_standbys_answer_for_the_leader(ha):
    leader = ha.wait_leader()
    standbys = [p for p in ha.schedulers if p is not leader]
    wait_for("the standbys know the leader",
             lambda: all(ha.leaderhealth(p) == 503 for p in standbys))
    for p in standbys:
        assert http("GET", p.url + "/health")[0] == 200
        status, metrics = http("GET", p.url + "/metrics")
        assert status == 200 and "borealis_" in metrics
        # A 307 to the same path and query on the leader; agents' requests too.
        conn = HTTPConnection("127.0.0.1", int(p.url.split(":")[-1]), timeout=5)
        conn.request("GET", "/api/v1/jobs?role=www-data")
        r = conn.getresponse()
        r.read()
        assert r.status == 307
        assert r.getheader("Location") == leader.url + "/api/v1/jobs?role=www-data"
        conn.request("POST", "/agent/v1/poll", body='{"agent_id": "x"}')
        r2 = conn.getresponse()
        r2.read()
        assert r2.status == 307
        conn.close()
    # The CLI finds the leader through ZooKeeper, and follows a standby's 307.
    job = ha.job("cli", "sleep 600", instances=1, cpu=0.01, ram=16 << 20, disk=1 << 20)
    assert ha.api("POST", "/api/v1/jobs", job)[0] == 201
    for entry in ('"zk": "%s"' % ha.zk.connect_string, '"scheduler_uri": "%s"' % standbys[0].url):
        with open(os.path.join(ha.config_dir, "clusters.json"), "w") as f:
            f.write('[{"name": "ha", %s}]' % entry)
        out = ha.cli("job", "list", "ha").stdout
        assert "www-data/prod/cli" in out, (entry, out)


def test_kill9_of_the_leader_during_a_deploy(ha):
    watch = deploy_under_way(ha, "fo")
    old = ha.wait_leader()
    old.kill9()
    killed_at = time.monotonic()
    new = ha.wait_leader(timeout=10)
    elected_s = time.monotonic() - killed_at
    assert new is not old
    wait_for("both agents registered with the new leader",
             lambda: all(ha.agent_status(h) == "ACTIVE" for h in ha.agents), timeout=30,
             interval=0.05)
    agents_s = time.monotonic() - killed_at
    print(f"failover: new leader's /leaderhealth 200 after {elected_s:.2f}s, "
          f"agents re-registered after {agents_s:.2f}s")
    assert elected_s < 3.0, f"a new leader took {elected_s:.2f}s"
    # Each agent saw the new leader through the watch of its one session, not new sessions.
    assert [ha.leader_sessions(h) for h in ha.agents] == [1, 1]
    assert_deployed_once(ha, "fo", watch)
    status, jobs = ha.api("GET", "/api/v1/jobs")
    assert status == 200 and [j["name"] for j in jobs["jobs"]] == ["fo"]
    # The killed scheduler comes back as a standby.
    old.start()
    wait_for("the old leader back as a standby", lambda: ha.leaderhealth(old) == 503)


def test_zookeeper_restart_during_a_deploy(ha):
    watch = deploy_under_way(ha, "zr")
    ha.zk.restart()
    ha.wait_leader(timeout=20)
    wait_for("both agents active", lambda: all(ha.agent_status(h) == "ACTIVE" for h in ha.agents),
             timeout=30)
    assert_deployed_once(ha, "zr", watch)
    status, jobs = ha.api("GET", "/api/v1/jobs")
    assert status == 200 and [j["name"] for j in jobs["jobs"]] == ["zr"]


def test_postgresql_restart_during_a_deploy(ha, postgres):
    watch = deploy_under_way(ha, "pr")
    # The leader's writes reconnect and retry within --store-retry-secs: no failover needed.
    leader = ha.wait_leader()
    postgres.restart()
    assert_deployed_once(ha, "pr", watch)
    assert ha.wait_leader() is leader
    status, jobs = ha.api("GET", "/api/v1/jobs")
    assert status == 200 and [j["name"] for j in jobs["jobs"]] == ["pr"]


def test_a_paused_leader_is_fenced_and_steps_down(ha):
    ha.add_following_agent("ha-a", (9200, 9249))
    job = ha.job("pz", "sleep 600", instances=2, cpu=0.01, ram=16 << 20, disk=1 << 20)
    del job["health_check_config"]
    assert ha.api("POST", "/api/v1/jobs", job)[0] == 201
    ha.running("pz", 2)
    old = ha.wait_leader()
    old_url = old.url
    others = [p for p in ha.schedulers if p is not old]
    old.pause()
    try:
        # Past its session: ZooKeeper elects another (which waits for the store while the
        # paused one holds SQLite's lock; a PostgreSQL leader takes over at once).
        wait_for("another scheduler elected",
                 lambda: any("elected scheduler leader" in p.log() for p in others),
                 timeout=SESSION_TIMEOUT_MS / 1000 * 4)
    finally:
        old.resume()
    # Woken, the old leader acknowledges no change: the kill is refused or redirected.
    try:
        status, _ = http("POST", old_url + "/api/v1/jobs/www-data/prod/pz/kill", {}, timeout=15)
    except OSError:
        status = None  # it re-executed mid-request
    assert status is None or not 200 <= status < 300, status
    wait_for("the old leader stepped down",
             lambda: "re-executing this scheduler as a fresh candidate" in old.log(), timeout=15)
    new = ha.wait_leader(among=others, timeout=20)
    assert new is not old
    wait_for("the old leader back as a standby", lambda: ha.leaderhealth(old) == 503, timeout=20)
    # Nothing the paused leader did after the new one's claim is in the store.
    ha.running("pz", 2)
