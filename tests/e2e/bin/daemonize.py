#!/usr/bin/env python3
"""A classic Unix daemon, for the teardown test (tests/e2e/test_teardown.py).

    daemonize.py --dir DIR [--ignore-term]

Forks, calls setsid, forks again (so it is in a session and process group of its own and
its parent has exited), changes to /, and starts a child (`sleep`) of its own. It writes
"DAEMON_PID CHILD_PID" to DIR/daemon.pids once it runs. On SIGTERM it appends a line to
DIR/mark: "TERM" and exits, or with --ignore-term "TERM ignored" and keeps running.
The first process exits at once, as a daemon's launcher does.
"""
import argparse
import os
import signal


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--ignore-term", action="store_true")
    a = p.parse_args()
    out = os.path.abspath(a.dir)
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    os.chdir("/")

    def on_term(signum, frame):
        with open(os.path.join(out, "mark"), "a") as f:
            f.write("TERM ignored\n" if a.ignore_term else "TERM\n")
        if not a.ignore_term:
            os._exit(0)

    signal.signal(signal.SIGTERM, on_term)
    child = os.fork()
    if child == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.execv("/bin/sleep", ["sleep", "600"])
    tmp = os.path.join(out, "daemon.pids.tmp")
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()} {child}\n")
    os.rename(tmp, os.path.join(out, "daemon.pids"))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
