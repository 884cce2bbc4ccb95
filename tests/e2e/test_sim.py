"""borealis-sim against a real scheduler with authentication (docs/simulator.md): 20
simulated agents run 500 tasks, the scheduler is killed with -9 and restarted on the same
store, then the cluster is filled with the standard mix. The figures in its JSON must be
those of a run that happened."""
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile

from cluster import BOREALIS, TASK_USER_FLAGS
from sim_ha import SIM, free_ports


def write_admin_auth(directory):
    token = secrets.token_hex(32)
    auth = os.path.join(directory, "auth.yaml")
    with open(auth, "w") as f:
        f.write("users:\n  - name: admin\n"
                f"    token_sha256: {hashlib.sha256(token.encode()).hexdigest()}\n"
                "    admin: true\n")
    token_file = os.path.join(directory, "admin-token")
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(token + "\n")
    return auth, token_file


def test_sim_runs_every_task_recovers_and_packs():
    directory = tempfile.mkdtemp(prefix="borealis-sim-e2e-")
    auth, token_file = write_admin_auth(directory)
    port = free_ports(9300, 9499, 1)[0]
    scheduler = " ".join([
        BOREALIS, "scheduler", "--cluster", "simtest", "--store",
        f"sqlite://{directory}/state.db", "--bind-address", "127.0.0.1", "--http-port", str(port),
        "--auth-file", auth, "--poll-timeout-ms", "1000"] + TASK_USER_FLAGS)
    log = os.path.join(directory, "scheduler.log")
    try:
        check_sim_run(directory, port, scheduler, log, token_file)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def check_sim_run(directory, port, scheduler, log, token_file):
    run = subprocess.run(
        [SIM, "--scheduler", f"http://127.0.0.1:{port}", "--start-scheduler", scheduler,
         "--scheduler-log", log, "--token-file", token_file, "--agents", "20", "--tasks", "500",
         "--jobs", "5", "--agent-cpu", "16", "--agent-ram-mb", "16384", "--packing",
         "--packing-chunk", "40", "--timeout-secs", "60", "--output", "json"],
        capture_output=True, text=True, timeout=150)
    if run.returncode != 0:
        with open(log) as f:
            print(f.read()[-6000:])
    assert run.returncode == 0, run.stderr
    r = json.loads(run.stdout)

    assert (r["agents"], r["tasks"], r["jobs"]) == (20, 500, 5)
    assert 0 < r["all_running_s"] < 60
    assert r["submit_s"] <= r["all_running_s"]
    assert r["placements_per_s"] > 0
    # The probe asked while the tasks were placed, and the scheduler answered every time.
    assert r["api_requests"] > 0 and r["api_errors"] == 0
    assert 0 < r["api_p50_ms"] <= r["api_p99_ms"]
    assert r["scheduler_rss_bytes"] > r["scheduler_idle_rss_bytes"] > 0
    assert r["memory_per_task_bytes"] > 0
    # kill -9 and restart: the agents registered again and every task is RUNNING again
    # without one being launched anew.
    assert 0 < r["recovery_health_s"] <= r["recovery_s"] < 60
    assert r["relaunched_tasks"] == 0
    assert r["recovery_rss_bytes"] > 0
    # The standard mix filled the cluster past the 500 small tasks until one did not fit.
    assert r["packing_tasks"] > 500
    assert 0.3 < r["packing_efficiency"] <= 1.0
    assert r["packing_efficiency"] == max(r["packing_cpu_share"], r["packing_ram_share"])
