#!/usr/bin/python3
"""A hostile task for the e2e tests (issue 9): it tries to break out of its sandbox and to
act for others, prints one line `ATTACK-RESULTS {json}` saying what each attempt got, and
then stays up (a task that keeps RUNNING shows the host still works).

Each result is {"ok": bool, "detail": str}: ok means the attempt SUCCEEDED (a defect).
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request


def http(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read(4096).decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read(4096).decode(errors="replace")
    except OSError as e:
        return 0, str(e)


def attempt(results, name, fn):
    try:
        detail = fn()
        results[name] = {"ok": True, "detail": str(detail)[:300]}
    except Exception as e:  # the attempt failed, as it should
        results[name] = {"ok": False, "detail": f"{type(e).__name__}: {e}"[:300]}


def runner_dirs():
    """Every `.runner` directory the task can name from its working directory upward: the
    sandbox layout may keep it beside the work directory rather than inside it."""
    found = []
    d = os.getcwd()
    for _ in range(3):
        candidate = os.path.join(d, ".runner")
        if os.path.lexists(candidate):
            found.append(candidate)
        d = os.path.dirname(d)
    return found


def replace_runner_with_etc_links(runner, etc):
    moved = runner + ".attacker"
    os.rename(runner, moved)
    os.symlink(etc, runner)
    return f"renamed {runner} and linked it to {etc}"


def fill_runner_with_etc_links(runner, etc):
    planted = []
    for name in ("task.json", "checkpoint", "health_check.out", "job.json"):
        path = os.path.join(runner, name)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.symlink(os.path.join(etc, "passwd"), path)
        planted.append(name)
    return f"linked {planted} in {runner} to {etc}/passwd"


def fifo_checkpoint(runner):
    path = os.path.join(runner, "checkpoint")
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    os.mkfifo(path)
    return f"planted a FIFO at {path}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--agent", required=True, help="this host's agent API URL")
    p.add_argument("--scheduler", required=True)
    p.add_argument("--victim", required=True, help="a task id of another role on this host")
    p.add_argument("--victim-process", required=True)
    p.add_argument("--other-host", required=True, help="another host's name")
    p.add_argument("--token", default="", help="this role's own token (a tenant has one)")
    p.add_argument("--etc", default="/etc",
                   help="the host directory to aim links at (tests pass a decoy)")
    a = p.parse_args()

    results = {}
    for who, token in (("anonymous", None), ("own_token", a.token or None)):
        for what in ("", "/files", "/files?path=.runner/task.json", f"/logs/{a.victim_process}"):
            if what == "" and token:
                continue  # a task's state is for every identity, as in the scheduler's API
            code, text = http("GET", f"{a.agent}/api/v1/tasks/{a.victim}{what}", token=token)
            results[f"read_victim{what or '/'} as {who}"] = {
                "ok": code == 200, "detail": f"HTTP {code}: {text[:200]}"}

    dirs = runner_dirs()
    results["runner dirs seen"] = {"ok": False, "detail": json.dumps(dirs)}
    for runner in dirs:
        attempt(results, f"fill {runner} with links into {a.etc}",
                lambda r=runner: fill_runner_with_etc_links(r, a.etc))
        attempt(results, f"FIFO as {runner}/checkpoint", lambda r=runner: fifo_checkpoint(r))
        attempt(results, f"replace {runner} with a link to {a.etc}",
                lambda r=runner: replace_runner_with_etc_links(r, a.etc))

    register = {"hostname": a.other_host, "address": "127.0.0.1:1",
                "resources": {"cpu": 64, "ram": 1 << 40, "disk": 1 << 40},
                "ports": [[20000, 20100]]}
    for who, token in (("anonymous", None), ("own_token", a.token or None)):
        code, text = http("POST", f"{a.scheduler}/agent/v1/register", register, token=token)
        results[f"register as {a.other_host} as {who}"] = {
            "ok": code == 200, "detail": f"HTTP {code}: {text[:200]}"}

    print("ATTACK-RESULTS " + json.dumps(results, sort_keys=True), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
