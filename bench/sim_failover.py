#!/usr/bin/python3
"""Failover with 100k tasks (docs/benchmarks.md#failover-with-100k-tasks): borealis-sim in HA
mode (docs/simulator.md#ha-mode) against three `borealis scheduler --zk` sharing a real
PostgreSQL store, on a real ZooKeeper (tickTime 200 ms, as bench/failover_bench.py). The
simulated agents run every task, the simulator kills the leader with -9 and times the
failover. Each run prints the simulator's JSON, then the new leader's takeover read from the
schedulers' logs (offsets from the kill), then the medians.

    flock /tmp/e2e.lock /usr/bin/python3 bench/sim_failover.py [--runs 3] [--agents 1000]
        [--tasks 100000] [--bin-dir build/bin] [--keep DIR]

Ports: PostgreSQL 9080-9094, ZooKeeper and the schedulers 9300-9399. Every server it starts
is stopped on the way out, failure included."""
import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../tests/e2e"))

# The new leader's takeover, in the order it logs it (src/scheduler/server).
STEPS = [("elected", "elected scheduler leader"),
         ("epoch claimed", "claimed leadership epoch"),
         ("core restored", "restored "),
         ("leading", "leading cluster"),
         ("announced", "announced this scheduler in ZooKeeper as")]
LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")
# Its recovery line: how long the store read and the core's restore took.
RECOVERY = re.compile(r"recovery: read \d+ task rows in (\d+) ms, restored them in (\d+) ms")
FIGURES = ["failover_elected_s", "failover_first_registered_s", "failover_registered_s",
           "failover_s", "failover_relaunched_tasks", "failover_double_active", "all_running_s"]


def log_time(line):
    m = LINE.match(line)
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
    return t.replace(tzinfo=datetime.timezone.utc).timestamp()


def takeover(logs, killed_at):
    """{step: seconds after the kill, or the two durations "... took"} from the log of the
    scheduler that was elected after `killed_at` (unix seconds)."""
    for path in logs:
        if not os.path.exists(path):
            continue
        steps = {}
        with open(path, errors="replace") as f:
            for line in f:
                t = log_time(line)
                if t is None or t < killed_at - 0.001:
                    continue
                for name, text in STEPS:
                    if name not in steps and text in line:
                        steps[name] = t - killed_at
                m = RECOVERY.search(line)
                if m and "store read took" not in steps:
                    steps["store read took"] = int(m.group(1)) / 1000
                    steps["core restore took"] = int(m.group(2)) / 1000
        if "elected" in steps:
            return steps
    return {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100000)
    parser.add_argument("--bin-dir", default=os.path.join(HERE, "../build/bin"))
    parser.add_argument("--keep", help="copy each run's scheduler logs here")
    args = parser.parse_args()
    os.environ["BOREALIS_BIN_DIR"] = os.path.abspath(args.bin_dir)
    # After BOREALIS_BIN_DIR: cluster.py reads it when imported.
    from postgres import start_postgres
    from sim_ha import free_ports, run_sim_failover
    from zookeeper import start_zookeeper

    directory = tempfile.mkdtemp(prefix="borealis-sim-failover-")
    servers = []
    reports, takeovers = [], []
    try:
        pg = start_postgres(first_port=9080, last_port=9094)
        servers.append(pg)
        zk_port, *ports = free_ports(9300, 9399, 4)
        zk = start_zookeeper(port=zk_port, tick_ms=200)
        servers.append(zk)
        for run_index in range(args.runs):
            run_dir = os.path.join(directory, f"run{run_index}")
            os.makedirs(run_dir)
            store = pg.create_database(f"simfailover{run_index}")
            # A cluster name per run: its own election and announcement in ZooKeeper.
            run, report, logs = run_sim_failover(
                run_dir, ports, store, zk.connect_string, args.agents, args.tasks,
                timeout_secs=300, cluster=f"simfailover{run_index}")
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                for path in logs:
                    if os.path.exists(path):
                        shutil.copy(path, os.path.join(
                            args.keep, f"run{run_index}-{os.path.basename(path)}"))
            if run.returncode != 0:
                sys.exit(f"run {run_index}: borealis-sim failed ({run.returncode}): "
                         f"{run.stderr[-3000:]}")
            steps = takeover(logs, report["failover_kill_unix_ms"] / 1000)
            reports.append(report)
            takeovers.append(steps)
            print(json.dumps(report), flush=True)
            print(f"run {run_index}: " + ", ".join(f"{name} {s:.2f}s" for name, s in
                                                   steps.items()) +
                  f"; /leaderhealth 200 {report['failover_elected_s']:.2f}s, first agent "
                  f"registered {report['failover_first_registered_s']:.2f}s, every agent "
                  f"registered {report['failover_registered_s']:.2f}s, all RUNNING "
                  f"{report['failover_s']:.2f}s", flush=True)
    finally:
        for server in reversed(servers):
            server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)
    print(f"{args.runs} runs, {args.agents} agents, {args.tasks} tasks, load average "
          f"{os.getloadavg()[0]:.1f}; medians:")
    for figure in FIGURES:
        print(f"  {figure}: {statistics.median(r[figure] for r in reports):.2f}")
    for name in [name for name, _ in STEPS] + ["store read took", "core restore took"]:
        xs = [t[name] for t in takeovers if name in t]
        if xs:
            print(f"  {name}: {statistics.median(xs):.2f}s" +
                  ("" if name.endswith("took") else " after the kill"))


if __name__ == "__main__":
    main()
