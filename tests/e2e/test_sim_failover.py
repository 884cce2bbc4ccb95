"""borealis-sim in HA mode (docs/simulator.md#ha-mode): three schedulers on a real ZooKeeper
share one SQLite store (one machine, as bench/failover_bench.py); 20 simulated agents that
know only the three URLs run 500 tasks; the simulator kills the leader with -9 and waits
until another leads, every agent registered with it and every task is RUNNING again. No
task may be launched anew, and no instance may run twice on the agents.

Ports: ZooKeeper and the schedulers in 9300-9399."""
import os
import shutil
import tempfile

from sim_ha import free_ports, run_sim_failover
from zookeeper import start_zookeeper


def test_sim_fails_over_to_another_scheduler_without_relaunching():
    directory = tempfile.mkdtemp(prefix="borealis-sim-ha-e2e-")
    zk_port, *ports = free_ports(9300, 9399, 4)
    zk = start_zookeeper(port=zk_port)
    try:
        run, r, logs = run_sim_failover(
            directory, ports, f"sqlite://{directory}/state.db", zk.connect_string,
            agents=20, tasks=500, timeout_secs=40, sim_args=["--jobs", "5"],
            scheduler_args=["--poll-timeout-ms", "1000"], timeout=120)
        if run.returncode != 0:
            for path in logs:
                if os.path.exists(path):
                    with open(path) as f:
                        print(path, f.read()[-4000:])
        assert run.returncode == 0, run.stderr
    finally:
        zk.cleanup()
        shutil.rmtree(directory, ignore_errors=True)

    assert (r["schedulers"], r["agents"], r["tasks"]) == (3, 20, 500)
    assert 0 < r["all_running_s"] < 40
    # The probe asked the leader (through a standby's 307 if it started there), never failing.
    assert r["api_requests"] > 0 and r["api_errors"] == 0
    # No restart in HA mode: the failover replaces the recovery phase.
    assert "recovery_s" not in r
    # The dead leader's session expires (2 s asked), another is elected and loads the store;
    # then the agents, following the standbys' 307, register with it.
    assert 0.5 < r["failover_elected_s"] <= r["failover_registered_s"] <= r["failover_s"] < 40
    assert r["failover_relaunched_tasks"] == 0
    assert r["failover_double_active"] == 0
    assert r["failover_rss_bytes"] > 0
    assert r["agent_failed_requests"] >= 20  # every agent lost its leader
