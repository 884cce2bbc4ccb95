#!/usr/bin/env python3
"""The cost of per-task cgroups (docs/cgroups.md) on a real cluster on this machine.

    bench/cgroups_cost.py [BUILD_DIR] [--instances 100] [--runs 5] [--idle-secs 60]
                          [--cpu-limit quota|weight]

Starts a scheduler and two agents (the e2e harness, tests/e2e/cluster.py): `cg` with
`--cgroups auto --usage-interval 10` and `plain` with `--cgroups off`. Then:

1. create -> RUNNING: per run, alternating between the hosts, submits a job of N instances
   (`exec sleep 3600`) pinned to one host, polls every 5 ms until all are RUNNING, and
   kills it. Reports the client's wall time per run and the medians per host.
2. usage collection: runs N instances on each host, then reads each agent's CPU time
   (utime + stime from /proc) over --idle-secs. The difference between the hosts is what
   sampling N cgroups every 10 s (and measuring N sandboxes every 60 s) costs.
Run as root on a machine where cgroups are writable.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))


def agent_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def job(c, name, host, instances):
    # One health check (it makes RUNNING), then none for an hour: the idle phase measures
    # the agent's own work. 32 MiB fits an ASan-built runner (about 11 MiB with `sleep`).
    # The runner starts inside the task's CPU quota: a tiny `cpu` (0.001 is 1% of a core)
    # would measure throttling of its start, not the cost of cgroups.
    return c.job(name, "exec sleep 3600", instances=instances, cpu=0.1, ram=32 << 20,
                 disk=8 << 20, constraints={"host": host},
                 health_check_config={"health_checker": {"shell": {"shell_command": "true"}},
                                      "initial_interval_secs": 0.1, "interval_secs": 3600})


def create_to_running(c, name, host, instances):
    start = time.monotonic()
    status, body = c.api("POST", "/api/v1/jobs", job(c, name, host, instances))
    assert status in (200, 201), body
    while True:
        tasks = c.tasks(name)
        if sum(t["status"] == "RUNNING" for t in tasks) == instances:
            return time.monotonic() - start
        if time.monotonic() - start > 300:
            sys.exit(f"{name}: not all RUNNING after 300 s")
        time.sleep(0.005)


def kill(c, name):
    c.api("POST", f"/api/v1/jobs/www-data/prod/{name}/kill", {})
    while c.tasks(name):
        time.sleep(0.05)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--instances", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--idle-secs", type=int, default=60)
    p.add_argument("--cpu-limit", default="weight", choices=["quota", "weight"],
                   help="the cg agent's --cpu-limit")
    args = p.parse_args()
    os.environ["BOREALIS_BIN_DIR"] = os.path.join(os.path.abspath(args.build), "bin")
    import cluster as harness  # after BOREALIS_BIN_DIR is set
    harness.BOREALIS = os.path.join(os.environ["BOREALIS_BIN_DIR"], "borealis")

    c = harness.Cluster(name="bench")
    try:
        c.start_scheduler()
        big = 1 << 40
        agents = {
            "cg": c.add_agent("cg", (29400, 29499), cpu=64, ram=big, disk=big,
                              extra_args=["--cgroups", "auto", "--usage-interval", "10",
                                          "--cpu-limit", args.cpu_limit]),
            "plain": c.add_agent("plain", (29500, 29599), cpu=64, ram=big, disk=big,
                                 extra_args=["--cgroups", "off"]),
        }
        walls = {"cg": [], "plain": []}
        for run in range(args.runs):
            for host in (("cg", "plain") if run % 2 == 0 else ("plain", "cg")):
                name = f"{host}{run}"
                wall = create_to_running(c, name, host, args.instances)
                walls[host].append(wall)
                print(f"run {run} {host}: {wall:.3f} s", flush=True)
                kill(c, name)
        for host, w in walls.items():
            print(f"median create->RUNNING ({host}, {args.instances} tasks, {args.runs} runs): "
                  f"{statistics.median(w):.3f} s", flush=True)

        for host in agents:
            create_to_running(c, f"idle-{host}", host, args.instances)
        before = {h: agent_cpu_seconds(a.pid) for h, a in agents.items()}
        time.sleep(args.idle_secs)
        after = {h: agent_cpu_seconds(a.pid) for h, a in agents.items()}
        for h in agents:
            used = after[h] - before[h]
            print(f"agent CPU over {args.idle_secs} s with {args.instances} tasks ({h}): "
                  f"{used:.2f} s ({100 * used / args.idle_secs:.2f}% of a core)", flush=True)
        for host in agents:
            kill(c, f"idle-{host}")
    finally:
        c.cleanup()


if __name__ == "__main__":
    main()
