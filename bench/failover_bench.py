#!/usr/bin/python3
"""Scheduler failover time (docs/benchmarks.md): three `borealis scheduler --zk` on one
store, two agents following the leader through ZooKeeper, a job of 20 running instances.
Each round kills the leader with SIGKILL and measures, from the kill:

- elected: until another scheduler's GET /leaderhealth answers 200 (polled every 10 ms);
- agents: until both agents' logs say they registered with that new leader.

It also counts the connection requests ZooKeeper received during the rounds (`mntr`'s
zk_connection_request_count: every new session, and every reconnect of one) and the
sessions each agent opened to follow the leader (its log says each).

The killed scheduler is started again (a standby) before the next round.

    BOREALIS_BIN_DIR=build-asan/bin flock /tmp/e2e.lock /usr/bin/python3 bench/failover_bench.py [ROUNDS]

Ports 9100-9299, as tests/e2e/test_failover.py (whose cluster it uses)."""
import os
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/e2e"))
from cluster import wait_for  # noqa: E402
from test_failover import SESSION_TIMEOUT_MS, HaCluster, free_port_in  # noqa: E402
from zookeeper import start_zookeeper  # noqa: E402


def connection_requests(zk):
    with socket.create_connection(("127.0.0.1", zk.port), timeout=5) as s:
        s.sendall(b"mntr")
        out = b""
        while len(out) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    for line in out.decode(errors="replace").splitlines():
        key, _, value = line.partition("\t")
        if key == "zk_connection_request_count":
            return int(value)
    raise RuntimeError("ZooKeeper's mntr has no zk_connection_request_count")


def registrations(agent, url):
    return agent.log().count(f"scheduler {url}: registered as agent")


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    zk = start_zookeeper(port=free_port_in(9100, 9109))
    c = HaCluster(zk)
    elected, agents = [], []
    try:
        c.start_schedulers(3)
        c.wait_leader()
        c.add_following_agent("ha-a", (9200, 9249))
        c.add_following_agent("ha-b", (9250, 9299))
        job = c.job("bench", "sleep 600", instances=20, cpu=0.01, ram=16 << 20, disk=1 << 20)
        del job["health_check_config"]
        assert c.api("POST", "/api/v1/jobs", job)[0] == 201
        c.running("bench", 20)
        requests_before = connection_requests(zk)
        for _ in range(rounds):
            old = c.wait_leader()
            before = {p.name: {a: registrations(c.agents[a], p.url) for a in c.agents}
                      for p in c.schedulers}
            old.kill9()
            killed = time.monotonic()
            new = c.wait_leader(timeout=30)
            elected.append(time.monotonic() - killed)
            wait_for("both agents registered with the new leader",
                     lambda: all(registrations(c.agents[a], new.url) > before[new.name][a]
                                 for a in c.agents), timeout=60, interval=0.01)
            agents.append(time.monotonic() - killed)
            print(f"round {len(elected)}: elected {elected[-1]:.2f}s, "
                  f"agents re-registered {agents[-1]:.2f}s", flush=True)
            c.running("bench", 20)
            old.start()
            wait_for("the killed scheduler back as a standby",
                     lambda: c.leaderhealth(old) == 503, timeout=30)
        requests = connection_requests(zk) - requests_before
        sessions = [c.agents[a].log().count("for following the scheduler leader (session ")
                    for a in c.agents]
    finally:
        c.cleanup()
        zk.cleanup()
    print(f"--zk-session-timeout-ms {SESSION_TIMEOUT_MS}, ZooKeeper tickTime 200 ms, "
          f"{rounds} rounds")
    for name, xs in (("elected", elected), ("agents re-registered", agents)):
        print(f"{name}: median {statistics.median(xs):.2f}s, min {min(xs):.2f}s, "
              f"max {max(xs):.2f}s")
    print(f"ZooKeeper connection requests during the rounds: {requests} "
          f"({requests / rounds:.1f} a round); sessions each agent opened to follow the "
          f"leader (0: an agent that opens one per lookup): {sessions}")


if __name__ == "__main__":
    main()
