"""Kills every process a Borealis cluster left under a directory. Tasks outlive agents and
`borealis dev` by design, and their command lines need not name the directory, so they
are found by working directory (each runs in its sandbox under it) as well as by command
line (schedulers, agents, runners). Used by the e2e harness and the benchmarks."""
import os
import signal
import subprocess
import time


def kill_everything_under(root):
    subprocess.run(["pkill", "-9", "-f", root], check=False)
    for _ in range(3):
        if not _kill_by_cwd(root):
            return
        time.sleep(0.05)


def _kill_by_cwd(root):
    killed = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd == root or cwd.startswith(root + "/"):
            try:
                os.kill(int(pid), signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed


CGROUP_MOUNTS = "/proc/mounts"


def agent_cgroup_scope(hostname, work_dir):
    """The name of an agent's cgroup parent (cgroup_scope in src/agent/task_resources.cc)."""
    h = 1469598103934665603
    for b in work_dir.encode():
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    host = "".join("_" if c in "/. " else c for c in hostname)[:64]
    return f"{host}-{h:016x}"[:len(host) + 13]


def agent_cgroup_dirs(hostname, work_dir):
    """Every <mount>/borealis/<scope> of an agent that exists, v1 and v2."""
    scope = agent_cgroup_scope(hostname, work_dir)
    out = []
    with open(CGROUP_MOUNTS) as f:
        for line in f:
            fields = line.split()
            if len(fields) > 2 and fields[2] in ("cgroup", "cgroup2"):
                d = os.path.join(fields[1], "borealis", scope)
                if os.path.isdir(d) and d not in out:
                    out.append(d)
    return out


def remove_agent_cgroups(hostname, work_dir):
    """Removes an agent's (emptied) task cgroups and its parent, once its tasks are killed."""
    for d in agent_cgroup_dirs(hostname, work_dir):
        for _ in range(50):
            for name in os.listdir(d):
                if os.path.isdir(os.path.join(d, name)):
                    try:
                        os.rmdir(os.path.join(d, name))
                    except OSError:
                        pass
            try:
                os.rmdir(d)
                break
            except OSError:
                time.sleep(0.1)
