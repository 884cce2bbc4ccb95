"""A `borealis dev` cluster for benchmarks: started in a temporary state directory on a
free port, waited for until its agent registered, and removed with every process it
left behind (tests/e2e/leftovers.py)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from leftovers import kill_everything_under  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevCluster:
    """with DevCluster(build) as dev: dev.call("POST", "/api/v1/jobs", spec)"""

    def __init__(self, build):
        self.borealis = os.path.join(build, "bin", "borealis")

    def __enter__(self):
        self.state = tempfile.mkdtemp(prefix="borealis-bench-")
        os.chmod(self.state, 0o755)
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = open(os.path.join(self.state, "dev.log"), "w")
        self.proc = subprocess.Popen(
            [self.borealis, "dev", "--state-dir", self.state,
             "--http-port", self.url.rsplit(":", 1)[1], "--agent-http-port", "0",
             "--ports", "40000-40999", "--log-level", "warn"],
            stdout=self.log, stderr=self.log, start_new_session=True)
        try:
            self._wait_for_agent()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_for_agent(self):
        deadline = time.time() + 30
        while True:
            try:
                if self.call("GET", "/api/v1/cluster")["agents"] >= 1:
                    return
            except Exception:
                pass
            if time.time() > deadline:
                sys.exit("dev cluster did not come up; see " + self.log.name)
            time.sleep(0.05)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read().decode() or "null")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()
        kill_everything_under(self.state)
        shutil.rmtree(self.state, ignore_errors=True)
        return False
