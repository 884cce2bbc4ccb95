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
import statistics
import sys
import time

from dev_cluster import DevCluster


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--instances", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    with DevCluster(args.build) as dev:
        walls, spans = [], []
        for run in range(args.runs):
            name = f"bench{run}"
            job = {"cluster": "devcluster", "role": "www-data", "environment": "prod",
                   "name": name, "instances": args.instances, "service": True,
                   "task": {"processes": [{"name": "sleep", "cmdline": "exec sleep 3600"}],
                            "resources": {"cpu": 0.01, "ram": 1 << 20, "disk": 1 << 20}}}
            start = time.monotonic()
            dev.call("POST", "/api/v1/jobs", job)
            tasks_path = f"/api/v1/jobs/www-data/prod/{name}/tasks"
            while True:
                tasks = dev.call("GET", tasks_path + "?active=true")["tasks"]
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
            dev.call("POST", f"/api/v1/jobs/www-data/prod/{name}/kill", {})
            while any(t["status"] != "KILLED" for t in dev.call("GET", tasks_path)["tasks"]):
                time.sleep(0.05)
        print(f"median of {args.runs}: client {statistics.median(walls):.3f} s, "
              f"scheduler span {statistics.median(spans):.3f} s ({args.instances} instances)")


if __name__ == "__main__":
    main()
