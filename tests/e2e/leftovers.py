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
