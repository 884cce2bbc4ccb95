"""Issue 13, logs part, against a real cluster: `borealis job logs -f` over three instances
prints a line each instance writes within 1 s, prefixed with its instance, and keeps
following an instance whose task is replaced; `job logs KEY/INSTANCES` without -f prints the
last lines and ends. The agent's files API lists a sandbox, reads by offset and length,
follows a file with `wait_ms`, and refuses every way out of the sandbox: `..`, a symlink to
/etc that the task made itself, and absolute paths."""
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from cluster import BackgroundCli, Cluster, wait_for

PORTS = (32600, 32699)

# Each instance says it is ready, then prints "round R from I" whenever the file ROUND holds
# a new R. It also links /etc into its own sandbox.
CONFIG = """
app = Process(name = 'app', cmdline = '''
ln -s /etc etc_link
echo "ready {{{{mesos.instance}}}}"
echo "err {{{{mesos.instance}}}}" >&2
seen=""
while true; do
  r=$(cat {round} 2>/dev/null)
  if [ -n "$r" ] && [ "$r" != "$seen" ]; then echo "round $r from {{{{mesos.instance}}}}"; seen=$r; fi
  sleep 0.05
done''')

jobs = [Service(
  cluster = 'e2e', role = 'www-data', environment = 'prod', name = 'logs3',
  instances = 3,
  update_config = UpdateConfig(batch_size = 3, watch_secs = 1),
  health_check_config = HealthCheckConfig(
    health_checker = HealthCheckerConfig(shell = ShellHealthChecker(shell_command = 'true')),
    initial_interval_secs = 0.1, interval_secs = 0.1),
  task = Task(name = 'logs3', processes = [app],
              resources = Resources(cpu = 0.1, ram = 16*MB, disk = 16*MB)))]
"""


def test_job_logs_and_the_files_api():
    c = Cluster()
    try:
        run(c)
    finally:
        c.cleanup()


def run(c):
    c.start_scheduler()
    c.add_agent("host-a", PORTS)
    key = c.key("logs3")
    round_file = os.path.join(c.dir, "round")
    path = os.path.join(c.dir, "logs3.aurora")
    with open(path, "w") as f:
        f.write(CONFIG.format(round=round_file))
    c.cli("job", "create", key, path, "--wait-until", "RUNNING", timeout=180)
    c.running("logs3", 3)
    for i in range(3):
        wait_for(f"instance {i} is ready", lambda i=i: "ready" in logs_of(c, i))
    check_logs_no_follow(c, key)
    check_files_api(c, round_file)
    check_task_run(c, key)
    check_logs_follow(c, key, round_file)


def logs_of(c, instance):
    [task] = [t for t in c.tasks("logs3") if t["instance_id"] == instance]
    return agent_get(c, f"/api/v1/tasks/{task['task_id']}/logs/app")[1]


def agent_get(c, path):
    """(status, body, headers) of an agent API GET."""
    req = urllib.request.Request(c.agents["host-a"].http_url + path)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def check_logs_no_follow(c, key):
    r = c.cli("job", "logs", key + "/0-1", "--tail", "1")
    assert r.stdout.splitlines() == ["[0] ready 0", "[1] ready 1"], r.stdout
    r = c.cli("job", "logs", key + "/2", "--stderr")
    assert r.stdout == "[2] err 2\n", r.stdout
    r = c.cli("job", "logs", key, "--process", "nope", check=False)
    assert r.returncode == 1 and "has no process 'nope'; its processes: app" in r.stderr, r


def check_files_api(c, round_file):
    [task] = [t for t in c.tasks("logs3") if t["instance_id"] == 0]
    base = f"/api/v1/tasks/{task['task_id']}/files?"

    status, body, _ = agent_get(c, base + "path=sandbox")
    assert status == 200, body
    entries = {e["name"]: e for e in json.loads(body)["entries"]}
    assert entries["etc_link"]["type"] == "symlink", entries
    for e in entries.values():
        assert {"name", "type", "size", "mtime_ms"} <= set(e), e

    status, body, headers = agent_get(c, base + "path=.logs/app/0/stdout&offset=2&length=3")
    assert (status, body) == (200, "ady"), (status, body)
    assert headers["X-Borealis-Offset"] == "2", headers
    size = int(headers["X-Borealis-File-Size"])

    # Follow: a read at the end waits (wait_ms) and answers with the line written meanwhile.
    threading.Timer(0.5, lambda: write(round_file, "files")).start()
    started = time.monotonic()
    status, body, headers = agent_get(
        c, base + f"path=.logs/app/0/stdout&offset={size}&wait_ms=10000")
    took = time.monotonic() - started
    assert (status, body) == (200, "round files from 0\n"), (status, body)
    assert 0.3 < took < 5, took
    assert headers["X-Borealis-Offset"] == str(size), headers

    escapes = ["..", "../", "../..", "../../agent_id", "sandbox/../../..",
               "sandbox/../../../agent_id", "sandbox/etc_link", "sandbox/etc_link/",
               "sandbox/etc_link/passwd", "sandbox/etc_link/hostname", "/etc/passwd", "/",
               "//etc/passwd", "/" + c.dir]
    for bad in escapes:
        status, body, _ = agent_get(c, base + urllib.parse.urlencode({"path": bad}))
        assert status == 403, (bad, status, body)
        assert "PERMISSION_DENIED" in body, (bad, body)
        assert "root:" not in body, (bad, body)
    status, body, _ = agent_get(c, base + "path=sandbox/etc_link/passwd")
    assert "is a symlink" in body, body


def check_task_run(c, key):
    """`task run` runs in each instance's work dir as the task's user (www-data, not the
    root agent) and prefixes every line with its instance, also with --threads."""
    work_dirs = {t["task_id"]: t["sandbox"] + "/sandbox" for t in c.agent_tasks("host-a")}
    tasks = {t["instance_id"]: t["task_id"] for t in c.tasks("logs3")}
    r = c.cli("task", "run", key, "--", "id -un; pwd; echo to stderr >&2")
    want = []
    for i in range(3):
        want += [f"[{i}] www-data", f"[{i}] {work_dirs[tasks[i]]}", f"[{i}] to stderr"]
    assert r.stdout.splitlines() == want, r.stdout
    # --threads: all at once, each instance's lines together, in the order they ended.
    r = c.cli("task", "run", key, "--threads", "3", "--", "id -un; pwd")
    lines = r.stdout.splitlines()
    assert sorted(lines) == sorted(w for w in want if "stderr" not in w), r.stdout
    for i in range(0, 6, 2):
        assert lines[i][:4] == lines[i + 1][:4], r.stdout  # one instance's two lines in a row
    c.cli("task", "run", key + "/1", "--", "touch", "marker")
    bad = c.cli("task", "run", key + "/1-2", "--timeout", "1", "--", "[ -e marker ] || sleep 5",
                check=False)
    assert bad.returncode == 1, bad
    assert "instance 2: `[ -e marker ] || sleep 5` timed out after" in bad.stderr, bad.stderr
    assert "instance 1" not in bad.stderr, bad.stderr


def write(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def check_logs_follow(c, key, round_file):
    logs = BackgroundCli(c, "job", "logs", key, "-f", "--tail", "1")
    try:
        for i in range(3):
            wait_for(f"[{i}] shown", lambda i=i: f"[{i}] round files from {i}" in logs.out
                     or f"[{i}] ready {i}" in logs.out)
        for r in ("1", "2"):
            time.sleep(3)  # all quiet: the follower is at its slowest
            write(round_file, r)
            written = time.monotonic()
            want = [f"[{i}] round {r} from {i}" for i in range(3)]
            wait_for(f"round {r} from every instance",
                     lambda: all(w in logs.out for w in want), timeout=10)
            delays = [logs.arrived[w] - written for w in want]
            assert max(delays) < 1.0, (r, delays)

        old = [t["task_id"] for t in c.tasks("logs3") if t["instance_id"] == 1][0]
        c.cli("job", "restart", key + "/1", timeout=180)
        new = [t["task_id"] for t in c.tasks("logs3") if t["instance_id"] == 1][0]
        assert new != old
        wait_for("the new task of instance 1 is followed",
                 lambda: any(new in l for l in logs.err), timeout=60)
        wait_for("the new task's output from its start",
                 lambda: logs.out.count("[1] ready 1") == 1
                 and logs.out.count("[1] round 2 from 1") == 2, timeout=60)
    finally:
        code = logs.stop()
    assert code == 0, (code, logs.err)
