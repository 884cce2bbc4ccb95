"""Task artifacts (docs/artifacts.md): the agent fetches each file once per host, checks
its sha256 and puts it read-only in the sandbox before the processes start."""
import hashlib
import http.server
import io
import json
import os
import stat
import tarfile
import threading

import pytest

from cluster import http as http_request, wait_for

PORTS = (30200, 30399)
RUN_SH = b"#!/bin/sh\necho hello from the artifact\n"


class CountingStore:
    """An artifact store over HTTP on loopback that counts the GETs of each path. A GET
    under /hang/ gets no answer until stop()."""
    def __init__(self, root):
        self.gets = {}
        self.release = threading.Event()
        store = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kw):
                super().__init__(*args, directory=root, **kw)

            def do_GET(self):
                store.gets[self.path] = store.gets.get(self.path, 0) + 1
                if self.path.startswith("/hang/"):
                    store.release.wait()
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def make_store(c):
    """<store>/app/<githash>/app.tar.gz holding app/run.sh, world-readable (file:// needs
    o+r); returns the store dir and the archive's sha256."""
    root = os.path.join(c.dir, "store")
    build = os.path.join(root, "app", "0" * 40)
    os.makedirs(build)
    for d in (root, os.path.dirname(build), build):
        os.chmod(d, 0o755)
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        info = tarfile.TarInfo("app/run.sh")
        info.size = len(RUN_SH)
        info.mode = 0o755
        tar.addfile(info, io.BytesIO(RUN_SH))
    archive = os.path.join(build, "app.tar.gz")
    with open(archive, "wb") as f:
        f.write(data.getvalue())
    os.chmod(archive, 0o644)
    return root, hashlib.sha256(data.getvalue()).hexdigest()


@pytest.fixture
def store(cluster):
    root, sha = make_store(cluster)
    s = CountingStore(root)
    s.root, s.sha = root, sha
    yield s
    s.stop()


# Extracts the archive as the task's user, runs what is inside, and tries to write the
# artifact itself; then stays up (a service).
EXTRACT_AND_RUN = ("tar -xzf app.tar.gz && ./app/run.sh > out.txt && "
                   "{ echo x >> app.tar.gz 2>/dev/null && echo WRITABLE || echo READONLY; } "
                   ">> out.txt && exec sleep 600")


def sandbox_file(c, agent, task, name):
    return os.path.join(agent.work, "sandboxes", task["task_id"], "sandbox", name)


def test_http_artifact_is_fetched_once_per_host_and_is_read_only(cluster, store):
    c = cluster
    c.start_scheduler()
    agent = c.add_agent("host", PORTS)
    path = "/app/" + "0" * 40 + "/app.tar.gz"
    job = c.job("app", EXTRACT_AND_RUN, instances=2)
    job["task"]["artifacts"] = [{"uri": store.url(path), "sha256": store.sha}]
    c.cli("job", "create", c.key("app"), c.write_job("app", job), "--wait-until", "RUNNING")
    tasks = c.running("app", 2)

    for t in tasks:
        out = sandbox_file(c, agent, t, "out.txt")
        lines = wait_for("the task's output", lambda: (
            open(out).read().split("\n") if os.path.exists(out) and "ONLY" in open(out).read()
            else None))
        assert lines[:2] == ["hello from the artifact", "READONLY"], lines
        st = os.stat(sandbox_file(c, agent, t, "app.tar.gz"))
        assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (0, 0o555)
    # Two tasks on one host: one download, the other a hit (or waiting for the same one).
    assert store.gets == {path: 1}
    status, text = http_request("GET", agent.http_url + "/api/v1/tasks")
    assert status == 200, text
    counters = json.loads(text)["artifact_cache"]
    assert counters["hits"] + counters["misses"] == 2, counters
    assert (counters["entries"], counters["evictions"]) == (1, 0), counters


def test_wrong_sha256_fails_the_task_and_file_uri_works(cluster, store):
    c = cluster
    c.start_scheduler()
    c.add_agent("host", PORTS)
    path = "/app/" + "0" * 40 + "/app.tar.gz"
    wrong = "f" * 64
    bad = c.job("bad", "true", service=False)
    bad["task"]["artifacts"] = [{"uri": store.url(path), "sha256": wrong}]
    c.cli("job", "create", c.key("bad"), c.write_job("bad", bad))

    local = c.job("local", "tar -xzf tool && ./app/run.sh", service=False)
    local["task"]["artifacts"] = [{"uri": "file://" + store.root + path, "sha256": store.sha,
                                   "name": "tool"}]
    c.cli("job", "create", c.key("local"), c.write_job("local", local))

    def ended(name, status):
        ts = [t for t in c.tasks(name, active=False) if t["status"] == status]
        return ts or None
    [failed] = wait_for("the bad task FAILED", lambda: ended("bad", "FAILED"))[:1]
    assert failed["message"] == (f"artifact 'app.tar.gz': sha256 mismatch: expected {wrong}, "
                                 f"got {store.sha}"), failed
    status = c.cli("job", "status", c.key("bad")).stdout
    assert "sha256 mismatch" in status, status
    wait_for("the file:// task FINISHED", lambda: ended("local", "FINISHED"))


def test_a_task_fetching_its_artifact_is_starting_and_a_kill_ends_it_without_a_runner(
        cluster, store):
    c = cluster
    c.start_scheduler()
    agent = c.add_agent("host", PORTS)
    job = c.job("slow", "touch ran; exec sleep 600")
    job["task"]["artifacts"] = [{"uri": store.url("/hang/big.bin"), "sha256": "a" * 64}]
    c.cli("job", "create", c.key("slow"), c.write_job("slow", job))

    def fetching():
        ts = [t for t in c.tasks("slow") if t["status"] == "STARTING"]
        return ts if ts and ts[0]["message"] == "fetching artifact big.bin" else None
    [task] = wait_for("the task STARTING while it fetches", fetching)
    assert store.gets == {"/hang/big.bin": 1}
    c.cli("job", "killall", c.key("slow"))

    def killed():
        ts = [t for t in c.agent_tasks("host") if t["task_id"] == task["task_id"]]
        return ts[0] if ts and ts[0]["state"] == "KILLED" else None
    ended = wait_for("the task KILLED", killed)
    assert ended["message"].startswith("killed before its runner started"), ended
    task_dir = os.path.join(agent.work, "sandboxes", task["task_id"])
    assert not os.path.exists(os.path.join(task_dir, ".runner", "checkpoint"))
    assert not os.path.exists(os.path.join(task_dir, "sandbox", "ran"))
