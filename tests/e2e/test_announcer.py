"""Issue 12's announcer: the agent (--zk) puts every RUNNING, healthy instance of a job with
`announce` in its ServerSet as an ephemeral sequential member_ node holding the
Finagle/Aurora JSON, which a third-party client (Debian's python3-kazoo) lists and parses.
A killed instance leaves before it stops and its replacement joins; a forced session expiry
and an agent restart both end with every member back; a zk_path outside --zk-path-allow
is not announced."""
import json
import os
import urllib.request

import pytest
from kazoo.client import KazooClient

from cluster import wait_for
from zookeeper import _port_is_free, start_zookeeper

# This test's loopback ports: ZooKeeper in 30900-30909, tasks in 30910-30949.
ZK_PORTS = range(30900, 30910)
TASK_PORTS = (30910, 30949)
SERVERSET = "/aurora/www-data/prod/web"

JOBS = """
server = Process(
  name = 'server',
  cmdline = 'exec /usr/bin/python3 {server} --port {{{{thermos.ports[http]}}}} --version v1')
base = Service(
  cluster = '{cluster}', role = 'www-data', environment = 'prod',
  health_check_config = HealthCheckConfig(initial_interval_secs = 0.2, interval_secs = 0.3))
resources = Resources(cpu = 0.05, ram = 32 * MB, disk = 16 * MB)
task = Task(processes = [server], resources = resources)

jobs = [
  base(name = 'web', instances = 3, task = task,
       announce = Announcer(primary_port = 'http', portmap = {{'health': 'http'}})),
  base(name = 'elsewhere', task = task,
       announce = Announcer(primary_port = 'http', zk_path = '/not/allowed/elsewhere')),
]
"""


@pytest.fixture
def zk():
    port = next((p for p in ZK_PORTS if _port_is_free(p)), None)
    assert port is not None, f"no free port for ZooKeeper in {ZK_PORTS}"
    server = start_zookeeper(port=port)
    yield server
    server.cleanup()


@pytest.fixture
def kazoo(zk):
    client = KazooClient(hosts=zk.connect_string, timeout=4.0)
    client.start(timeout=10)
    yield client
    client.stop()
    client.close()


def members(kazoo):
    """{node name: parsed member} of the ServerSet (empty when it does not exist yet)."""
    out = {}
    if kazoo.exists(SERVERSET) is None:
        return out
    for name in kazoo.get_children(SERVERSET):
        assert name.startswith("member_"), name
        data, stat = kazoo.get(f"{SERVERSET}/{name}")
        assert stat.ephemeralOwner != 0, name
        out[name] = json.loads(data)
    return out


def check_member(m, hostname):
    """A member in Aurora's shape whose endpoints answer; returns its shard."""
    assert m["status"] == "ALIVE", m
    port = m["serviceEndpoint"]["port"]
    assert m["serviceEndpoint"] == {"host": hostname, "port": port}, m
    # Every port of the task, the portmap's alias included.
    assert m["additionalEndpoints"] == {"http": {"host": hostname, "port": port},
                                        "health": {"host": hostname, "port": port}}, m
    assert TASK_PORTS[0] <= port <= TASK_PORTS[1], m
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
        assert r.read() == b"ok"
    return m["shard"]


def wait_members(kazoo, what, predicate):
    """Polls the ServerSet until predicate(members) holds; returns those members."""
    def check():
        ms = members(kazoo)
        return [ms] if predicate(ms) else None
    return wait_for(what, check, timeout=20, interval=0.05)[0]


def three_shards(ms):
    return sorted(m["shard"] for m in ms.values()) == [0, 1, 2]


def agent_session(agent):
    path = os.path.join(agent.work, "zk-session")
    assert os.stat(path).st_mode & 0o077 == 0
    with open(path) as f:
        session = json.load(f)
    return session["session_id"], bytes.fromhex(session["password"])


def expire_agent_session(zk, agent):
    """The classic way: join the agent's session with its id and password, then close it.
    The agent's client races the intruder for the session (and may take it back before the
    close): repeat until the agent writes a new session. Returns the old session's id."""
    old = agent_session(agent)
    for _ in range(10):
        intruder = KazooClient(hosts=zk.connect_string, timeout=4.0, client_id=old)
        try:
            intruder.start(timeout=3)
            intruder.stop()
        except Exception as e:  # lost the race for the session: try again
            print(f"joining the agent's session: {e!r}")
        finally:
            intruder.close()
        try:
            wait_for("a new agent session", lambda: agent_session(agent)[0] != old[0],
                     timeout=3, interval=0.05)
            return old[0]
        except AssertionError:
            continue
    raise AssertionError("the agent's ZooKeeper session did not expire after 10 attempts")


def test_announcer_keeps_the_serverset_in_step(zk, kazoo, cluster):
    c = cluster
    c.start_scheduler()
    agent = c.add_agent("agent-a", TASK_PORTS, extra_args=[
        "--zk", zk.connect_string, "--zk-path-allow", "/allowed"])
    path = os.path.join(c.dir, "web.aurora")
    with open(path, "w") as f:
        f.write(JOBS.format(server=c.task_program("version_server.py"), cluster=c.cluster))
    c.cli("job", "create", c.key("web"), path, "--wait-until", "RUNNING")
    c.running("web", 3)

    ms = wait_members(kazoo, "3 members", three_shards)
    assert sorted(check_member(m, "agent-a") for m in ms.values()) == [0, 1, 2]

    # A killed instance leaves before it is signalled; its replacement joins under a new node.
    [old_node] = [n for n, m in ms.items() if m["shard"] == 1]
    [old_task] = [t["task_id"] for t in c.tasks("web") if t["instance_id"] == 1]
    c.cli("job", "restart", c.key("web") + "/1", "--no-wait")
    wait_members(kazoo, "instance 1's member gone", lambda ms: old_node not in ms)
    ms = wait_members(kazoo, "instance 1 back", lambda ms: three_shards(ms) and old_node not in ms)
    for m in ms.values():
        check_member(m, "agent-a")
    log = agent.log()
    assert log.index(f"announcer: {old_task} left the serverset") < \
        log.index(f"task {old_task}: killing ("), log

    # A forced expiry: the agent's new session announces every member again.
    before = set(ms)
    expire_agent_session(zk, agent)
    ms = wait_members(kazoo, "members of a new session",
                      lambda ms: three_shards(ms) and not (set(ms) & before))
    for m in ms.values():
        check_member(m, "agent-a")

    # An agent restart: its session (and members) end with it; the re-attached tasks,
    # still RUNNING, are announced again.
    agent.stop()
    wait_members(kazoo, "no members while the agent is down", lambda ms: not ms)
    c.restart(agent)
    ms = wait_members(kazoo, "members after the agent's restart", three_shards)
    for m in ms.values():
        check_member(m, "agent-a")

    # A zk_path outside --zk-path-allow: the job runs, unannounced; its RUNNING event and the
    # agent's log say why.
    c.cli("job", "create", c.key("elsewhere"), path, "--wait-until", "RUNNING")
    assert kazoo.exists("/not/allowed/elsewhere") is None
    [task] = c.running("elsewhere", 1)
    assert "not announced: Announcer.zk_path '/not/allowed/elsewhere'" in task["message"], task
    assert "not announced: Announcer.zk_path '/not/allowed/elsewhere' is not under a path " \
           "the agent allows (--zk-path-allow /allowed)" in agent.log()
