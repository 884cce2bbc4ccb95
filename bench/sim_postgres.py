#!/usr/bin/python3
"""The cluster simulator on PostgreSQL (docs/benchmarks.md "Simulator on PostgreSQL"): starts
Debian's PostgreSQL 15 (tests/e2e/postgres.py, as the `postgres` user, loopback, its default
durable settings: fsync on, synchronous_commit on), runs `borealis-sim --start-scheduler` with
a Release scheduler on `--store postgresql://...`, prints the simulator's JSON report with
the server's settings and what the run wrote (commits, rows, HOT updates), and stops
PostgreSQL, also when the run fails.

    cmake --build build --target borealis borealis-sim
    flock /tmp/e2e.lock /usr/bin/python3 bench/sim_postgres.py --agents 1000 --tasks 100000

Any argument it does not know goes to borealis-sim (e.g. --no-recovery, --timeout-secs 500).
Ports: PostgreSQL 9040-9079, the scheduler 9600-9699."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tests/e2e"))
from postgres import start_postgres  # noqa: E402
from zookeeper import _port_is_free as port_is_free  # noqa: E402

SETTINGS = ("fsync", "synchronous_commit", "shared_buffers", "wal_buffers", "max_wal_size")


def free_port(first, last):
    port = next((p for p in range(first, last + 1) if port_is_free(p)), None)
    if port is None:
        raise RuntimeError(f"no free loopback port in {first}-{last} for the scheduler")
    return port


def server_figures(pg):
    """The settings the figures were taken with, and what the run made PostgreSQL do."""
    settings = {s: pg.sql(f"SHOW {s}") for s in SETTINGS}
    db = pg.sql("SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM "
                "pg_stat_database WHERE datname = current_database()").split("|")
    tasks = pg.sql("SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd, n_live_tup, "
                   "pg_total_relation_size('tasks') FROM pg_stat_user_tables "
                   "WHERE relname = 'tasks'").split("|")
    return {
        "settings": settings,
        "commits": int(db[0]),
        "rows_inserted": int(db[1]),
        "rows_updated": int(db[2]),
        "rows_deleted": int(db[3]),
        "tasks_table": {"inserted": int(tasks[0]), "updated": int(tasks[1]),
                        "hot_updated": int(tasks[2]), "live": int(tasks[3]),
                        "bytes": int(tasks[4])} if len(tasks) == 5 else None,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build-dir", default="build", help="the Release build (default: build)")
    p.add_argument("--agents", type=int, default=1000)
    p.add_argument("--tasks", type=int, default=100000)
    p.add_argument("--log-dir", default=None, help="keep the scheduler's log here")
    args, sim_args = p.parse_known_args()
    bin_dir = os.path.abspath(os.path.join(args.build_dir, "bin"))
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="borealis-simpg-")
    os.makedirs(log_dir, exist_ok=True)
    pg = start_postgres(first_port=9040, last_port=9079)
    try:
        port = free_port(9600, 9699)
        scheduler = (f"{bin_dir}/borealis scheduler --cluster simpg --store {pg.url()} "
                     f"--bind-address 127.0.0.1 --http-port {port} --min-task-uid 33 "
                     f"--max-connections {max(2048, 2 * args.agents + 2000)}")
        cmd = [f"{bin_dir}/borealis-sim", "--scheduler", f"http://127.0.0.1:{port}",
               "--start-scheduler", scheduler, "--scheduler-log",
               os.path.join(log_dir, "scheduler.log"), "--agents", str(args.agents),
               "--tasks", str(args.tasks), "--output", "json"] + sim_args
        sim = subprocess.run(cmd, capture_output=True, text=True)
        if sim.returncode != 0:
            sys.stderr.write(sim.stderr)
            sys.stderr.write(f"borealis-sim failed ({sim.returncode}); scheduler log in {log_dir}\n")
            return 1
        report = json.loads(sim.stdout)
        report["postgres"] = server_figures(pg)
        report["load_average"] = os.getloadavg()[0]
        print(json.dumps(report, indent=1))
        return 0
    finally:
        pg.cleanup()


if __name__ == "__main__":
    sys.exit(main())
