"""Teardown reaches every process of a task (issue 10, part teardown).

A job written in Aurora's dialect runs a classic daemon (tests/e2e/bin/daemonize.py): it
double-forks and calls setsid, so it leaves its process group and session, changes to /,
and forks a child of its own. The agent runs without cgroups, so the runner finds the
task's processes as its descendants (it is a child subreaper) and the agent, a subreaper
too, kills what a runner killed with kill -9 left behind.

- job killed: the daemon's SIGTERM handler leaves its mark, and no process of the task is
  left;
- a daemon ignoring SIGTERM is SIGKILLed after the runner's grace (5 s);
- kill -9 of the runner: no process of the task is left.
"""
import json
import os
import signal
import time

import pytest

from cluster import Cluster, pid_alive, wait_for

CONFIG = """
PROGRAM = '%(program)s'

def daemon_job(name, flags):
  daemon = Process(name = 'daemon',
                   cmdline = '/usr/bin/python3 ' + PROGRAM + ' --dir . ' + flags + ' && exec sleep 600')
  return Service(cluster = 'e2e', role = 'www-data', environment = 'prod', name = name,
                 task = Task(processes = [daemon],
                             resources = Resources(cpu = 0.1, ram = 32*MB, disk = 16*MB)))

jobs = [daemon_job('graceful', ''), daemon_job('stubborn', '--ignore-term'),
        daemon_job('orphaned', '')]
"""


def task_processes(work_dir):
    """Live processes of the task whose work dir is `work_dir`: every process of a task
    starts with HOME set to it (a daemon that changed to / keeps its environment), or
    works under it."""
    needle = b"\0HOME=" + work_dir.encode() + b"\0"
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = b"\0" + f.read()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        ours = needle in env or cwd == work_dir or cwd.startswith(work_dir + "/")
        if ours and pid_alive(int(pid)):
            found.append(int(pid))
    return found


class DaemonTask:
    """A RUNNING instance of one of CONFIG's jobs, once its daemon runs."""

    def __init__(self, c, config, name):
        self.c, self.name = c, name
        c.cli("job", "create", c.key(name), config, "--wait-until", "RUNNING", timeout=60)
        self.task_id = c.running(name, 1)[0]["task_id"]
        task_dir = os.path.join(c.agents["host-a"].work, "sandboxes", self.task_id)
        self.work_dir = os.path.join(task_dir, "sandbox")
        pids = wait_for(f"{name}'s daemon", lambda: self.read("daemon.pids"))
        self.daemon, self.daemon_child = (int(p) for p in pids.split())
        with open(os.path.join(task_dir, ".runner", "checkpoint")) as f:
            self.runner = json.loads(f.readline())["pid"]
        # The daemon left the runner's session (and so the process groups in it).
        assert os.getsid(self.daemon) != os.getsid(self.runner) == self.runner
        assert len(task_processes(self.work_dir)) >= 3, task_processes(self.work_dir)

    def read(self, name):
        try:
            with open(os.path.join(self.work_dir, name)) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def status(self):
        for t in self.c.tasks(self.name, active=False):
            if t["task_id"] == self.task_id:
                return t["status"]
        return None

    def kill_job(self):
        self.c.cli("job", "killall", self.c.key(self.name))
        wait_for(f"{self.name} KILLED", lambda: self.status() == "KILLED", timeout=60)

    def assert_nothing_left(self):
        left = task_processes(self.work_dir)
        assert not left, f"{self.name}: processes of the task still alive: {left}"
        assert not pid_alive(self.daemon) and not pid_alive(self.daemon_child)


# "off": the runner walks /proc for its descendants and the agent (a child subreaper) kills
# a dead runner's orphans; "auto": both use the task's cgroup.
@pytest.mark.parametrize("cgroups", ["off", "auto"])
def test_teardown_reaches_every_process_of_a_task(cgroups):
    c = Cluster()
    try:
        run(c, cgroups)
    finally:
        c.cleanup()


def run(c, cgroups):
    c.start_scheduler()
    c.add_agent("host-a", (29200, 29399), extra_args=("--cgroups", cgroups))
    config = os.path.join(c.dir, "daemons.aurora")
    with open(config, "w") as f:
        f.write(CONFIG % {"program": c.task_program("daemonize.py")})

    # Killed: the daemon sees SIGTERM (its handler leaves the mark), then nothing is left.
    graceful = DaemonTask(c, config, "graceful")
    graceful.kill_job()
    assert graceful.read("mark") == "TERM\n"
    graceful.assert_nothing_left()

    # A daemon ignoring SIGTERM is SIGKILLed once the runner's grace (5 s) has passed.
    stubborn = DaemonTask(c, config, "stubborn")
    started = time.monotonic()
    stubborn.kill_job()
    assert time.monotonic() - started >= 5.0
    assert stubborn.read("mark") == "TERM ignored\n"
    stubborn.assert_nothing_left()

    # kill -9 of the runner: the task's processes, re-parented to the agent, die too.
    orphaned = DaemonTask(c, config, "orphaned")
    os.kill(orphaned.runner, signal.SIGKILL)
    wait_for("the orphaned task LOST", lambda: orphaned.status() == "LOST", timeout=60)
    wait_for("no process of the orphaned task",
             lambda: not task_processes(orphaned.work_dir), timeout=15)
    orphaned.assert_nothing_left()
    assert orphaned.read("mark") == ""  # SIGKILLed: its runner could not warn it
