#!/usr/bin/env python3
"""Time of a rolling update of N instances (batch B, watch_secs 0) on a dev cluster.

    bench/rolling_update.py [BUILD_DIR] [--instances 100] [--batch 10] [--runs 5]

Starts `borealis dev` in a temporary state directory and a job of N instances
(`exec sleep 3600`, no health check). Each run starts an update to a new version (the
cmdline changes, so every instance is replaced) through the API and polls the update
every 10 ms until it ends. Reports per run the client's wall time (start call to the poll
that saw ROLLED_FORWARD) and the scheduler's span (update created to its last event),
then the medians.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from sandbox_cleanup import kill_everything_under


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode() or "null")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--instances", type=int, default=100)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    borealis = os.path.join(args.build, "bin", "borealis")
    state = tempfile.mkdtemp(prefix="borealis-bench-")
    os.chmod(state, 0o755)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(os.path.join(state, "dev.log"), "w")
    dev = subprocess.Popen([borealis, "dev", "--state-dir", state, "--http-port", str(port),
                            "--agent-http-port", "0", "--ports", "40000-40999",
                            "--log-level", "warn"], stdout=log, stderr=log,
                           start_new_session=True)

    def spec(version):
        return {"cluster": "devcluster", "role": "www-data", "environment": "prod",
                "name": "roll", "instances": args.instances, "service": True,
                "update_config": {"batch_size": args.batch, "watch_secs": 0},
                "task": {"processes": [{"name": "sleep",
                                        "cmdline": f"exec sleep 3600 # {version}"}],
                         "resources": {"cpu": 0.01, "ram": 1 << 20, "disk": 1 << 20}}}
    try:
        deadline = time.time() + 30
        while True:
            try:
                if call("GET", url + "/api/v1/cluster")["agents"] >= 1:
                    break
            except Exception:
                pass
            if time.time() > deadline:
                sys.exit("dev cluster did not come up; see " + log.name)
            time.sleep(0.05)
        call("POST", url + "/api/v1/jobs", spec("v0"))
        tasks_url = f"{url}/api/v1/jobs/www-data/prod/roll/tasks?active=true"
        while sum(t["status"] == "RUNNING" for t in call("GET", tasks_url)["tasks"]) < args.instances:
            time.sleep(0.05)
        walls, spans = [], []
        for run in range(args.runs):
            start = time.monotonic()
            u = call("POST", url + "/api/v1/jobs/www-data/prod/roll/update",
                     {"spec": spec(f"v{run + 1}")})["update"]
            uid = u["update_id"]
            while True:
                u = call("GET", f"{url}/api/v1/jobs/www-data/prod/roll/updates/{uid}")["update"]
                if not u["active"]:
                    break
                if time.monotonic() - start > 300:
                    sys.exit(f"run {run}: update still {u['status']} after 300 s")
                time.sleep(0.01)
            wall = time.monotonic() - start
            if u["status"] != "ROLLED_FORWARD":
                sys.exit(f"run {run}: update ended {u['status']}: {u.get('last_event')}")
            span = (u["events"][-1]["ts_ms"] - u["created_ms"]) / 1000
            walls.append(wall)
            spans.append(span)
            print(f"run {run}: client {wall:.3f} s, scheduler span {span:.3f} s", flush=True)
        print(f"median of {args.runs}: client {statistics.median(walls):.3f} s, "
              f"scheduler span {statistics.median(spans):.3f} s "
              f"({args.instances} instances, batch {args.batch}, watch_secs 0)")
    finally:
        os.killpg(dev.pid, signal.SIGTERM)
        dev.wait(timeout=30)
        kill_everything_under(state)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
