"""Kills what a benchmark's dev cluster leaves running. Tasks outlive `borealis dev` by
design, and their processes' command lines need not name the state directory, so they
are found by working directory (every task runs in its sandbox under it)."""
import os
import signal
import subprocess
import time


def kill_everything_under(state_dir):
    subprocess.run(["pkill", "-9", "-f", state_dir], check=False)
    for _ in range(3):
        killed = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                continue
            if cwd == state_dir or cwd.startswith(state_dir + "/"):
                try:
                    os.kill(int(pid), signal.SIGKILL)
                    killed += 1
                except OSError:
                    pass
        if not killed:
            return
        time.sleep(0.05)
