"""`borealis router` with a real ZooKeeper and the real HAProxy (docs/router.md): members
written as Aurora's announcer writes them reach HAProxy through its runtime API without a
reload and without a failed request; outgrowing the slots reloads, still without one; an
emptied ServerSet keeps its last servers; a session expiry re-watches everything."""
import os
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from router_harness import (Announcer, Backend, ClientLoop, Router, names_seen, wait_for,
                            zookeeper)

SERVERSET = "/aurora/www-data/prod/hello"


@pytest.fixture
def env():
    zk = zookeeper()
    announcer = Announcer(zk, SERVERSET)
    router = Router(zk, SERVERSET, slots=4)
    backends = []
    yield zk, announcer, router, backends
    router.stop()
    print(router.log()[-6000:])  # pytest shows it when the test fails
    announcer.close()
    for b in backends:
        b.stop()
    zk.cleanup()
    shutil.rmtree(router.dir, ignore_errors=True)


def replace(announcer, backends, old, new_name):
    """As an update does: the new instance announces, then the old one withdraws before it
    stops (the announcer removes the member first)."""
    new = Backend(new_name)
    backends.append(new)
    announcer.announce(new)
    time.sleep(0.3)
    announcer.withdraw(old)
    time.sleep(0.3)
    old.stop()
    backends.remove(old)
    return new


def test_router_follows_the_serverset_without_failed_requests(env):
    zk, announcer, router, backends = env
    for name in ("a", "b", "c"):
        backends.append(Backend(name))
        announcer.announce(backends[-1])

    # (a) requests through the HAProxy frontend reach all three.
    wait_for("all 3 backends behind HAProxy",
             lambda: names_seen(router.port, 12) == {"a", "b", "c"})
    assert router.haproxy_reloads() == 0
    # HAProxy's own Prometheus exporter, for the metrics issue.
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{router.stats_port}/metrics",
                                     timeout=5).read().decode()
    assert 'haproxy_backend_active_servers{proxy="web"} 3' in metrics

    # (b) one removed before it stops, one added, then a rolling update: 0 failures.
    loop = ClientLoop(router.port)
    a = backends[0]
    announcer.withdraw(a)
    time.sleep(0.3)
    a.stop()
    backends.remove(a)
    d = Backend("d")
    backends.append(d)
    announcer.announce(d)
    time.sleep(0.3)
    for old in list(backends):
        replace(announcer, backends, old, old.name + "2")
    loop.stop()
    assert loop.failures == [], loop.failures[:5]
    assert loop.ok > 100
    assert names_seen(router.port, 12) == {"b2", "c2", "d2"}
    # (c) all of that went through the runtime API: HAProxy was never reloaded.
    assert router.haproxy_reloads() == 0
    assert "haproxy reloaded" not in router.log()

    # (d) five servers do not fit in four slots: one reload, still no failed request.
    loop = ClientLoop(router.port)
    for name in ("e", "f"):
        backends.append(Backend(name))
        announcer.announce(backends[-1])
    wait_for("5 backends after the reload",
             lambda: names_seen(router.port, 20) == {"b2", "c2", "d2", "e", "f"})
    loop.stop()
    assert loop.failures == [], loop.failures[:5]
    assert router.haproxy_reloads() == 1
    assert "growing the backend from 4 to 8" in router.log()

    # (e) an emptied ServerSet keeps the last known servers.
    announcer.withdraw_all()
    wait_for("the router to notice the empty ServerSet",
             lambda: "keeping its last 5 known servers" in router.log())
    assert names_seen(router.port, 20) == {"b2", "c2", "d2", "e", "f"}

    # An owned HAProxy that dies is started again, from the file: the same servers.
    master_pid = int(router.master("show proc").splitlines()[1].split()[0])
    os.kill(master_pid, signal.SIGKILL)
    wait_for("haproxy started again with the kept servers",
             lambda: names_seen(router.port, 20) == {"b2", "c2", "d2", "e", "f"})
    assert "haproxy is not running: starting it again" in router.log()

    # (f) a session expiry: the router stops (SIGSTOP) for longer than ZooKeeper's longest
    # session timeout (20 ticks of 200 ms), so ZooKeeper expires its session; once it runs
    # again it gets a new session and must read and watch the ServerSet again.
    router.proc.send_signal(signal.SIGSTOP)
    time.sleep(5)
    router.proc.send_signal(signal.SIGCONT)
    wait_for("the router's new session after the expiry",
             lambda: "new session: reading and watching" in router.log().split(": expired")[-1]
             and ": expired" in router.log())
    for name in ("g", "h"):
        backends.append(Backend(name))
        announcer.announce(backends[-1])
    wait_for("the members announced after the expiry",
             lambda: names_seen(router.port, 12) == {"g", "h"})


def test_router_drives_an_external_haproxy():
    """External mode: someone else runs HAProxy on the router's file; the router applies
    changes through its runtime API and reloads it with reload_command."""
    zk = zookeeper()
    announcer = Announcer(zk, SERVERSET)
    router = Router(zk, SERVERSET, slots=1, external=True)
    backends = [Backend("x")]
    haproxy = None
    try:
        config = os.path.join(router.dir, "haproxy.cfg")
        wait_for("the router's haproxy.cfg", lambda: os.path.exists(config))
        haproxy = subprocess.Popen(["/usr/sbin/haproxy", "-W", "-f", config, "-p",
                                    router.external_pid], stdin=subprocess.DEVNULL)
        wait_for("the external haproxy", lambda: os.path.exists(router.external_pid))
        announcer.announce(backends[0])
        wait_for("x behind the external haproxy", lambda: names_seen(router.port, 4) == {"x"})
        backends.append(Backend("y"))  # two servers in one slot: reload_command
        announcer.announce(backends[1])
        wait_for("x and y after the reload",
                 lambda: names_seen(router.port, 8) == {"x", "y"})
        assert "haproxy reloaded (reload #" in router.log()
    finally:
        router.stop()
        print(router.log()[-4000:])
        if haproxy:
            haproxy.terminate()
            haproxy.wait(timeout=10)
        announcer.close()
        for b in backends:
            b.stop()
        zk.cleanup()
        shutil.rmtree(router.dir, ignore_errors=True)
