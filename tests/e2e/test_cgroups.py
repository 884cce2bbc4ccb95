"""Per-task cgroups (issue 10, docs/cgroups.md): limits, OOM and disk reasons, teardown
through the cgroup, usage. Configs are written in Aurora's dialect."""
import json
import os
import signal

from cluster import pid_alive, wait_for
from leftovers import agent_cgroup_dirs

# Disk is measured every second here (the default is a minute); `cpu` is a hard quota.
AGENT_FLAGS = ["--cgroups", "auto", "--cpu-limit", "quota", "--disk-check-interval", "1",
               "--usage-interval", "1"]


def write_aurora(c, name, body):
    path = os.path.join(c.dir, name + ".aurora")
    with open(path, "w") as f:
        f.write(body)
    return path


def aurora_job(c, name, cmdline, ram="64 * MB", disk="64 * MB", kind="Job"):
    return f"""
main = Process(name = '{name}', cmdline = {cmdline!r})
jobs = [{kind}(
  cluster = '{c.cluster}', role = 'www-data', environment = 'prod', name = '{name}',
  task = Task(processes = [main], resources = Resources(cpu = 0.5, ram = {ram}, disk = {disk})),
)]
"""


def start(c, ports, flags=AGENT_FLAGS):
    c.start_scheduler()
    c.add_agent("host", ports, extra_args=flags)


def create(c, name, cmdline, *cli_args, **kw):
    config = write_aurora(c, name, aurora_job(c, name, cmdline, **kw))
    c.cli("job", "create", c.key(name), config, *cli_args, timeout=60)


def job_status(c, name):
    r = c.cli("job", "status", c.key(name), "--output", "json")
    return json.loads(r.stdout)


def ended_task(c, name, state):
    def check():
        ts = [t for t in c.tasks(name, active=False) if t["status"] == state]
        return ts[0] if ts else None
    return wait_for(f"a {state} task of {name}", check, timeout=90)


def cgroup_dirs_of(c, hostname):
    agent = c.agents[hostname]
    return agent_cgroup_dirs(hostname, agent.work)


def test_memory_hog_is_oom_killed_with_its_reason(cluster):
    c = cluster
    start(c, (29400, 29449))
    assert cgroup_dirs_of(c, "host"), "the agent made no cgroup parent"
    hog = ("exec /usr/bin/python3 -c 'chunks = []\n"
           "while True: chunks.append(bytearray(1 << 20))'")
    create(c, "hog", hog)
    task = ended_task(c, "hog", "FAILED")
    assert "out of memory: limit 64 MiB" in task.get("message", ""), task
    status = c.cli("job", "status", c.key("hog")).stdout
    assert "out of memory: limit 64 MiB" in status, status


def test_disk_hog_is_killed_with_its_reason_and_the_agent_keeps_working(cluster):
    c = cluster
    start(c, (29450, 29499))
    hog = "dd if=/dev/zero of=big bs=1M count=40 && sleep 600"
    create(c, "diskhog", hog, disk="16 * MB")
    task = ended_task(c, "diskhog", "FAILED")
    msg = task.get("message", "")
    assert "disk limit exceeded: used " in msg and " MiB of 16 MiB" in msg, task
    status = c.cli("job", "status", c.key("diskhog")).stdout
    assert "disk limit exceeded" in status, status
    # The agent keeps working: another job reaches RUNNING there.
    create(c, "calm", "sleep 600", "--wait-until", "RUNNING", kind="Service")


def test_kill_9_of_the_runner_leaves_no_process_of_the_task(cluster):
    c = cluster
    start(c, (29500, 29549))
    # A classic daemon: double fork and setsid, so it leaves the runner's process groups.
    daemon = ("setsid bash -c 'sleep 600 & echo $! > daemon.pid; wait' </dev/null >/dev/null 2>&1 & "
              "exec sleep 600")
    create(c, "daemon", daemon, "--wait-until", "RUNNING", kind="Service")
    [task] = c.running("daemon", 1)
    agent_task = next(t for t in c.agent_tasks("host") if t["task_id"] == task["task_id"])
    sandbox = agent_task["sandbox"]
    pid_file = os.path.join(sandbox, "sandbox", "daemon.pid")
    daemon_pid = int(wait_for("the daemon's pid", lambda: open(pid_file).read().strip()))
    [parent] = cgroup_dirs_of(c, "host")[:1]
    procs = os.path.join(parent, task["task_id"], "cgroup.procs")
    pids = [int(p) for p in open(procs).read().split()]
    assert agent_task["runner_pid"] in pids and daemon_pid in pids, (pids, agent_task)

    os.kill(agent_task["runner_pid"], signal.SIGKILL)
    for pid in pids:
        wait_for(f"pid {pid} of the task to be gone", lambda pid=pid: not pid_alive(pid))
    wait_for("the task's cgroup to be removed", lambda: not os.path.exists(procs))
    # Aurora's LOST: the runner ended without a terminal record; the service is replaced.
    ended_task(c, "daemon", "LOST")


def test_usage_appears_in_the_agent_api_and_in_job_status(cluster):
    c = cluster
    start(c, (29550, 29574))
    busy = "dd if=/dev/zero of=data bs=1M count=3 && exec python3 -c 'while True: pass'"
    create(c, "busy", busy, "--wait-until", "RUNNING", kind="Service")
    [task] = c.running("busy", 1)

    def agent_usage():
        t = next(t for t in c.agent_tasks("host") if t["task_id"] == task["task_id"])
        u = t.get("usage")
        # Two samples make a rate.
        return u if u and u["cpu_rate"] > 0 and u.get("disk_bytes", -1) >= 3 << 20 else None
    usage = wait_for("usage in the agent API", agent_usage)
    # Its `cpu = 0.5` is a CFS quota: a busy loop gets half a core.
    assert usage["memory_bytes"] > 0 and usage["cpu_rate"] <= 0.6, usage

    def status_usage():
        for t in job_status(c, "busy")["tasks"]:
            u = t.get("usage")
            if t["task_id"] == task["task_id"] and u and u["cpu_seconds"] > 0.2:
                return u
        return None
    usage = wait_for("usage in job status --output json", status_usage)
    assert usage["memory_bytes"] > 0 and usage["disk_bytes"] >= 3 << 20, usage


def test_usage_without_cgroups_comes_from_proc(cluster):
    """With --cgroups off the agent sums the runner's process tree from /proc."""
    c = cluster
    start(c, (29575, 29599), flags=["--cgroups", "off", "--usage-interval", "1"])
    create(c, "busyproc", "exec python3 -c 'while True: pass'", "--wait-until", "RUNNING",
           kind="Service")
    [task] = c.running("busyproc", 1)

    def status_usage():
        for t in job_status(c, "busyproc")["tasks"]:
            u = t.get("usage")
            if t["task_id"] == task["task_id"] and u and u["cpu_seconds"] > 0.2 \
                    and u["cpu_rate"] > 0:
                return u
        return None
    usage = wait_for("usage in job status --output json", status_usage)
    # Python's RSS alone is megabytes; the peak is the highest sum the agent saw.
    assert usage["memory_bytes"] > 1 << 20, usage
    assert usage["memory_peak_bytes"] >= usage["memory_bytes"], usage
