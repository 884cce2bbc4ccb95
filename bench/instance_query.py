#!/usr/bin/env python3
"""Time of the worst instance query the scheduler accepts, through its real HTTP API.

    bench/instance_query.py [BUILD_DIR] [--instances 10] [--queries 50]

Starts `borealis dev` in a temporary state directory, creates a job of N instances
(`sleep 3600`), then sends GET .../tasks?instances=LIST with the worst list the parser
accepts (1000 copies of 0-999999, 9 KB) and with a typical one (0-1,4), each --queries
times, and prints the medians. Target (issue 9): the worst allowed answers in <= 10 ms.
One GET of 200 copies of 0-999999 once held the scheduler's only HTTP thread for 10.9 s.
"""
import argparse
import statistics
import time
import urllib.request

from dev_cluster import DevCluster


def timed_get(url):
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
        assert r.status == 200, r.status
    return time.monotonic() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--instances", type=int, default=10)
    p.add_argument("--queries", type=int, default=50)
    args = p.parse_args()
    with DevCluster(args.build) as dev:
        job = {"cluster": "devcluster", "role": "www-data", "environment": "prod",
               "name": "q", "instances": args.instances, "service": True,
               "task": {"processes": [{"name": "sleep", "cmdline": "exec sleep 3600"}],
                        "resources": {"cpu": 0.01, "ram": 1 << 20, "disk": 1 << 20}}}
        dev.call("POST", "/api/v1/jobs", job)
        base = dev.url + "/api/v1/jobs/www-data/prod/q/tasks?instances="
        lists = {"worst allowed (1000 x 0-999999)": ",".join(["0-999999"] * 1000),
                 "typical (0-1,4)": "0-1,4"}
        for what, text in lists.items():
            times = [timed_get(base + text) for _ in range(args.queries)]
            print(f"{what}: median {statistics.median(times) * 1000:.2f} ms, "
                  f"max {max(times) * 1000:.2f} ms over {args.queries} queries", flush=True)
        dev.call("POST", "/api/v1/jobs/www-data/prod/q/kill", {})


if __name__ == "__main__":
    main()
