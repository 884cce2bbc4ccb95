#!/usr/bin/python3
"""How long from an instance turning healthy to its first request through HAProxy, over the
whole real path (docs/benchmarks.md): the agent's health check passes, the agent reports
RUNNING and its announcer creates the ServerSet member in ZooKeeper, `borealis router` sees
it and tells HAProxy through its runtime API, and a client's request through HAProxy reaches
the new instance.

    BOREALIS_BIN_DIR=build/bin flock /tmp/e2e.lock /usr/bin/python3 bench/routing_bench.py [CHANGES]

A real scheduler, two agents (--zk), ZooKeeper, the router and HAProxy, and a job of three
instances of tests/e2e/bin/version_server.py with an Announcer and an HTTP health check
every 0.3 s. A client loop asks HAProxy without keep-alive, back to back. Each change
restarts one instance (`job restart KEY/I`, cycling through the instances); its new server
writes, with its own clock, the moment it first answered /health with 200 ("turned
healthy": the agent decides after that answer) and the moment of its first /version
request (only the client loop asks /version). Prints p50/p99/max over CHANGES (default 50)
and the failed requests of the loop."""
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/e2e"))
from cluster import Cluster, wait_for  # noqa: E402
from router_harness import Router  # noqa: E402
from test_routing import SERVERSET, Traffic, free_in, setup_cluster, version_through, \
    write_job  # noqa: E402
from zookeeper import start_zookeeper  # noqa: E402


def read_timing(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                what, t = line.split()
                out[what] = float(t)
    except FileNotFoundError:
        pass
    return out


def main():
    changes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    zk = start_zookeeper(port=free_in(32450, 32459))
    c = Cluster(name="bench")
    router = None
    try:
        timing = setup_cluster(c, zk)
        c.cli("job", "create", c.key("web"), write_job(c, timing, "v1"), "--wait-until",
              "RUNNING")
        router = Router(zk, SERVERSET, slots=4)
        wait_for("HAProxy serving", lambda: version_through(router.port) == "v1", interval=0.05)
        traffic = Traffic(router.port, max_seconds=3600)
        samples = []
        for i in range(changes):
            instance = i % 3
            [old] = [t for t in c.tasks("web") if t["instance_id"] == instance and
                     t["status"] == "RUNNING"]
            # A restart is an update: it returns when the instance is back and healthy.
            c.cli("job", "restart", f"{c.key('web')}/{instance}")

            def new_task():
                for t in c.tasks("web"):
                    if t["instance_id"] == instance and t["task_id"] != old["task_id"]:
                        return t
                return None
            task = wait_for("the new task", new_task, timeout=60, interval=0.05)
            path = os.path.join(timing, task["task_id"])
            times = wait_for("its first request through HAProxy",
                             lambda: (lambda t: t if "first-request" in t else None)(
                                 read_timing(path)), timeout=60, interval=0.02)
            samples.append((times["first-request"] - times["healthy"]) * 1000)
            print(f"change {i + 1}: instance {instance} healthy -> first request "
                  f"{samples[-1]:.1f} ms", flush=True)
        traffic.stop()
        samples.sort()
        p99 = samples[min(len(samples) - 1, int(round(0.99 * len(samples))) - 1)]
        print(f"{changes} changes: p50 {statistics.median(samples):.1f} ms, p99 {p99:.1f} ms, "
              f"max {samples[-1]:.1f} ms; client loop {traffic.ok} ok, "
              f"{len(traffic.failures)} failed; HAProxy reloads {router.haproxy_reloads()}")
    finally:
        if router is not None:
            router.stop()
            shutil.rmtree(router.dir, ignore_errors=True)
        c.cleanup()
        zk.cleanup()


if __name__ == "__main__":
    main()
