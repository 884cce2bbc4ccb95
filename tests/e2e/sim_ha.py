"""borealis-sim in HA mode (docs/simulator.md#ha-mode): the simulator starts several
`borealis scheduler --zk` on one store and one ZooKeeper, follows their leader, kills it with
-9 once every task runs and times the failover. Shared by tests/e2e/test_sim_failover.py and
bench/sim_failover.py."""
import json
import os
import shlex
import socket
import subprocess

from cluster import BIN_DIR, BOREALIS, TASK_USER_FLAGS

SIM = os.path.join(BIN_DIR, "borealis-sim")
SESSION_TIMEOUT_MS = 2000  # as tests/e2e/test_failover.py


def free_ports(lo, hi, count):
    """`count` free loopback ports of [lo, hi]."""
    ports = []
    for port in range(lo, hi + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"fewer than {count} free loopback ports in {lo}-{hi}")


def scheduler_command(port, store, zk_connect, cluster, max_connections, extra=()):
    """One candidate: what tests/e2e/test_failover.py's HaCluster gives each of its three
    (an election and an announcement under /borealis/CLUSTER, advertised as 127.0.0.1, the
    bind address)."""
    args = [BOREALIS, "scheduler", "--cluster", cluster, "--store", store,
            "--bind-address", "127.0.0.1", "--http-port", str(port), "--zk", zk_connect,
            "--zk-session-timeout-ms", str(SESSION_TIMEOUT_MS),
            "--max-connections", str(max_connections), "--log-level", "info",
            *TASK_USER_FLAGS, *extra]
    return " ".join(shlex.quote(a) for a in args)


def run_sim_failover(directory, ports, store, zk_connect, agents, tasks, timeout_secs,
                     sim_args=(), scheduler_args=(), cluster="simha", timeout=None):
    """Runs borealis-sim --failover against len(ports) schedulers it starts; returns
    (completed process, the report or None, the schedulers' log paths)."""
    log = os.path.join(directory, "scheduler.log")
    args = [SIM, "--agents", str(agents), "--tasks", str(tasks), "--failover",
            "--scheduler-log", log, "--timeout-secs", str(timeout_secs), "--output", "json",
            *sim_args]
    for port in ports:
        args += ["--scheduler", f"http://127.0.0.1:{port}", "--start-scheduler",
                 scheduler_command(port, store, zk_connect, cluster, 2 * agents + 1000,
                                   scheduler_args)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    report = json.loads(run.stdout) if run.returncode == 0 else None
    return run, report, [f"{log}.{i}" for i in range(len(ports))]
