#!/usr/bin/python3
"""How long from a ServerSet member node being created to the first request answered by
that backend through HAProxy, with `borealis router` between them (docs/benchmarks.md).

    BOREALIS_BIN_DIR=build-asan/bin flock /tmp/e2e.lock /usr/bin/python3 bench/router_bench.py [CHANGES]

Each change: a new backend announces (an ephemeral sequential member_ node, as Aurora's
announcer writes it), a client asks HAProxy without keep-alive until that backend answers,
then the previous backend withdraws. Prints p50/p99/max over CHANGES (default 50)."""
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/e2e"))
from router_harness import Announcer, Backend, Router, get, wait_for, zookeeper  # noqa: E402

SERVERSET = "/aurora/bench/prod/web"


def main():
    changes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    zk = zookeeper()
    announcer = Announcer(zk, SERVERSET)
    router = Router(zk, SERVERSET, slots=4)
    current = Backend("b0")
    try:
        announcer.announce(current)
        wait_for("the first backend", lambda: get(router.port) == "b0")
        samples = []
        for i in range(1, changes + 1):
            new = Backend(f"b{i}")
            began = time.monotonic()
            announcer.announce(new)
            while True:
                try:
                    if get(router.port) == new.name:
                        break
                except Exception:  # noqa: BLE001 - counted by the e2e test, not here
                    pass
            samples.append((time.monotonic() - began) * 1000)
            announcer.withdraw(current)
            time.sleep(0.05)
            current.stop()
            Backend.used_ports.discard(current.port)
            current = new
        samples.sort()
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        print(f"router: member created -> first request through HAProxy, {changes} changes: "
              f"p50 {statistics.median(samples):.1f} ms, p99 {p99:.1f} ms, "
              f"max {samples[-1]:.1f} ms; HAProxy reloads: {router.haproxy_reloads()}")
    finally:
        router.stop()
        announcer.close()
        current.stop()
        zk.cleanup()
        shutil.rmtree(router.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
