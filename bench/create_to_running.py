#!/usr/bin/env python3
"""Time from `job create` of N one-process instances to all RUNNING on a dev cluster.

    bench/create_to_running.py [BUILD_DIR] [--instances 100] [--runs 5]

Starts `borealis dev` in a temporary state directory, then per run: submits a job of N
instances (`sleep 3600`) through the API, polls until every instance is RUNNING, and
kills it. Reports per run the wall time seen by the client (submit to the poll that saw
all RUNNING, polled every 5 ms) and the scheduler's own span (first PENDING event to the
last RUNNING event), then the medians.
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
        walls, spans = [], []
        for run in range(args.runs):
            name = f"bench{run}"
            job = {"cluster": "devcluster", "role": "www-data", "environment": "prod",
                   "name": name, "instances": args.instances, "service": True,
                   "task": {"processes": [{"name": "sleep", "cmdline": "exec sleep 3600"}],
                            "resources": {"cpu": 0.01, "ram": 1 << 20, "disk": 1 << 20}}}
            start = time.monotonic()
            call("POST", url + "/api/v1/jobs", job)
            tasks_url = f"{url}/api/v1/jobs/www-data/prod/{name}/tasks?active=true"
            while True:
                tasks = call("GET", tasks_url)["tasks"]
                if sum(t["status"] == "RUNNING" for t in tasks) == args.instances:
                    break
                if time.monotonic() - start > 120:
                    sys.exit(f"run {run}: not all RUNNING after 120 s")
                time.sleep(0.005)
            wall = time.monotonic() - start
            first = min(e["ts_ms"] for t in tasks for e in t["events"] if e["status"] == "PENDING")
            last = max(e["ts_ms"] for t in tasks for e in t["events"] if e["status"] == "RUNNING")
            walls.append(wall)
            spans.append((last - first) / 1000)
            print(f"run {run}: client {wall:.3f} s, scheduler span {(last - first) / 1000:.3f} s",
                  flush=True)
            call("POST", f"{url}/api/v1/jobs/www-data/prod/{name}/kill", {})
            while any(t["status"] != "KILLED" for t in call("GET", tasks_url.replace("?active=true", ""))["tasks"]):
                time.sleep(0.05)
        print(f"median of {args.runs}: client {statistics.median(walls):.3f} s, "
              f"scheduler span {statistics.median(spans):.3f} s ({args.instances} instances)")
    finally:
        os.killpg(dev.pid, signal.SIGTERM)
        dev.wait(timeout=30)
        kill_everything_under(state)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
