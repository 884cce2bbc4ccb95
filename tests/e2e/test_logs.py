"""Issue 10's logging checks, with a job written in Aurora's dialect: a process writes
.thermos_profile and the next one (ordered after it) sees its variable; a chatty process
with a rotating Logger keeps its output within log_size x (backups + 1) while writing
megabytes; destination='none' writes nothing and 'console' goes to the runner's own log.
Everything is read through the agent's API, as a user would."""
import json
import os
import urllib.parse

from cluster import Cluster, http, wait_for

KB = 1024
LOG_SIZE = 64 * KB
BACKUPS = 2

CONFIG = """
profile = Process(name = 'profile', cmdline = "echo 'export FOO=bar' > .thermos_profile")
reader = Process(name = 'reader', cmdline = 'echo "FOO is $FOO"')
chatty = Process(
  name = 'chatty',
  # About 4.6 MB, then a last line that must be in the current file.
  cmdline = "yes 'a chatty line of output' | head -n 200000; echo 'THE LAST LINE'",
  logger = Logger(mode = 'rotate', rotate = RotatePolicy(log_size = 64*KB, backups = 2)))
silent = Process(name = 'silent', cmdline = 'echo not kept; echo nor this >&2',
                 logger = Logger(destination = 'none'))
loud = Process(name = 'loud', cmdline = 'echo to the console of {{thermos.task_id}}',
               logger = Logger(destination = 'console'))

jobs = [Job(
  cluster = 'e2e', role = 'www-data', environment = 'prod', name = 'logs',
  task = Task(
    name = 'logs',
    processes = [profile, reader, chatty, silent, loud],
    constraints = order(profile, reader),
    resources = Resources(cpu = 0.1, ram = 32*MB, disk = 64*MB)))]
"""


def agent_get(c, path):
    code, body = http("GET", c.agents["host-a"].http_url + path)
    assert code == 200, f"GET {path}: {code} {body}"
    return body


def listing(c, task_id, rel):
    q = urllib.parse.urlencode({"path": rel})
    body = json.loads(agent_get(c, f"/api/v1/tasks/{task_id}/files?{q}"))
    return {e["name"]: e for e in body["entries"]}


def test_thermos_profile_rotation_none_and_console():
    c = Cluster()
    try:
        run(c)
    finally:
        c.cleanup()


def run(c):
    c.start_scheduler()
    c.add_agent("host-a", (29600, 29799))
    path = os.path.join(c.dir, "logs.aurora")
    with open(path, "w") as f:
        f.write(CONFIG)
    c.cli("job", "create", c.key("logs"), path, "--wait-until", "FINISHED", timeout=180)
    [task] = c.tasks("logs", active=False)
    assert task["status"] == "FINISHED", task
    tid = task["task_id"]

    # .thermos_profile: written by one process, sourced by the shell of the next.
    assert agent_get(c, f"/api/v1/tasks/{tid}/logs/reader") == "FOO is bar\n"

    # Rotation: stdout, stdout.1, stdout.2, each at most log_size; the newest line in stdout.
    files = listing(c, tid, ".logs/chatty/0")
    kept = {n: e["size"] for n, e in files.items() if n.startswith("stdout")}
    assert set(kept) == {"stdout", "stdout.1", "stdout.2"}, files
    assert all(size <= LOG_SIZE for size in kept.values()), kept
    assert kept["stdout.1"] == kept["stdout.2"] == LOG_SIZE, kept
    assert sum(kept.values()) <= LOG_SIZE * (BACKUPS + 1), kept
    current = agent_get(c, f"/api/v1/tasks/{tid}/logs/chatty")
    assert current.endswith("a chatty line of output\nTHE LAST LINE\n"), current[-200:]
    older = agent_get(c, f"/api/v1/tasks/{tid}/logs/chatty?stream=stdout.1")
    assert older.count("a chatty line of output") > 1000
    assert "THE LAST LINE" not in older

    # destination='none': nothing under .logs, and the logs API says so.
    assert "silent" not in listing(c, tid, ".logs")
    code, _ = http("GET", c.agents["host-a"].http_url + f"/api/v1/tasks/{tid}/logs/silent")
    assert code == 404

    # destination='console': the runner's own stdout, .runner/runner.log.
    runner_log = agent_get(c, f"/api/v1/tasks/{tid}/files?path=.runner/runner.log")
    assert f"to the console of {tid}\n" in runner_log
    assert "loud" not in listing(c, tid, ".logs")
