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
import statistics
import sys
import time

from dev_cluster import DevCluster


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--instances", type=int, default=100)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()

    def spec(version):
        return {"cluster": "devcluster", "role": "www-data", "environment": "prod",
                "name": "roll", "instances": args.instances, "service": True,
                "update_config": {"batch_size": args.batch, "watch_secs": 0},
                "task": {"processes": [{"name": "sleep",
                                        "cmdline": f"exec sleep 3600 # {version}"}],
                         "resources": {"cpu": 0.01, "ram": 1 << 20, "disk": 1 << 20}}}

    with DevCluster(args.build) as dev:
        job = "/api/v1/jobs/www-data/prod/roll"
        dev.call("POST", "/api/v1/jobs", spec("v0"))
        while sum(t["status"] == "RUNNING"
                  for t in dev.call("GET", job + "/tasks?active=true")["tasks"]) < args.instances:
            time.sleep(0.05)
        walls, spans = [], []
        for run in range(args.runs):
            start = time.monotonic()
            uid = dev.call("POST", job + "/update", {"spec": spec(f"v{run + 1}")})["update"]["update_id"]
            while True:
                u = dev.call("GET", f"{job}/updates/{uid}")["update"]
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


if __name__ == "__main__":
    main()
