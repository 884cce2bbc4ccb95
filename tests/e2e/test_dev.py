"""`borealis dev` as a user runs it: two dev clusters side by side on one machine, each
with its own state directory and API port, both come up and run a job (issue 16: the
second one's agent used to collide on a fixed port)."""
import json
import os
import re
import socket
import subprocess
import tempfile

from cluster import BOREALIS, free_port, http, wait_for
from leftovers import kill_everything_under, remove_agent_cgroups

BANNER = re.compile(r"^devcluster: scheduler (\S+) agent (\S+) state (.+)$", re.M)


def start_dev(root, name):
    state = os.path.join(root, name)
    os.makedirs(state)
    port = free_port()
    log = open(os.path.join(root, name + ".log"), "wb")
    proc = subprocess.Popen([BOREALIS, "dev", "--state-dir", state, "--http-port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()

    def banner():
        assert proc.poll() is None, open(os.path.join(root, name + ".log")).read()
        return BANNER.search(open(os.path.join(root, name + ".log")).read())
    m = wait_for(f"{name} to print its endpoints", banner)
    assert m.group(1) == f"http://127.0.0.1:{port}"
    return proc, port, m.group(2), state


def test_two_dev_clusters_side_by_side_both_run_jobs():
    root = tempfile.mkdtemp(prefix="borealis-e2e-dev-")
    os.chmod(root, 0o755)
    procs = []
    try:
        clusters = []
        for name in ("one", "two"):
            proc, port, agent_url, state = start_dev(root, name)
            procs.append(proc)
            clusters.append((name, port, agent_url, state))
        assert clusters[0][2] != clusters[1][2], "the agents share a port"
        for name, port, agent_url, state in clusters:
            assert http("GET", agent_url + "/api/v1/tasks")[0] == 200
            cfg = os.path.join(state, "cli")
            os.makedirs(cfg)
            with open(os.path.join(cfg, "clusters.json"), "w") as f:
                json.dump([{"name": "devcluster", "scheduler_uri": f"http://127.0.0.1:{port}"}], f)
            job = {"cluster": "devcluster", "role": "www-data", "environment": "devel",
                   "name": "sleeper", "instances": 1, "service": True,
                   "task": {"processes": [{"name": "sleeper", "cmdline": "sleep 600"}],
                            "resources": {"cpu": 0.1, "ram": 16 << 20, "disk": 16 << 20}}}
            path = os.path.join(root, name + "-job.json")
            with open(path, "w") as f:
                json.dump(job, f)
            r = subprocess.run([BOREALIS, "job", "create", "devcluster/www-data/devel/sleeper",
                                path, "--wait-until", "RUNNING"], capture_output=True, text=True,
                               timeout=60, env=dict(os.environ, BOREALIS_CONFIG_DIR=cfg))
            assert r.returncode == 0, r.stdout + r.stderr
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
        kill_everything_under(root)
        for name in ("one", "two"):
            remove_agent_cgroups(socket.gethostname(), os.path.join(root, name, "agent"))
        subprocess.run(["rm", "-rf", root], check=False)
