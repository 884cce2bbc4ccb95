"""A task attacks its host and its neighbours, and every attempt fails (issue 9).

The cluster runs with an auth file. A task of role `nobody` (its tenant holds a token for
`nobody` only) shares host-a with a task of role `www-data`, and tries to read that task's
sandbox through the agent API, to replace its own `.runner/` with links to /etc, to plant a
FIFO as its checkpoint and to register as host-b's agent. The test then checks the effects
from outside: /etc untouched, both hosts ACTIVE, every task still RUNNING and reporting,
also after host-a's agent restarts and reads the (attacked) sandbox again.

The links aim at a decoy of /etc (root-owned files in the cluster's directory), so a
regression shows as a changed decoy instead of a damaged CI machine.
"""
import hashlib
import json
import os
import shutil

from cluster import Cluster, http, wait_for

USERS = {
    "alice": {"roles": ["www-data"]},
    "mallory": {"roles": ["nobody"]},
    "agent-host-a": {"agents": ["host-a"]},
    "agent-host-b": {"agents": ["host-b"]},
}


def make_decoy_etc(c):
    etc = os.path.join(c.dir, "decoy-etc")
    os.mkdir(etc, 0o755)
    for name in ("passwd", "group", "hostname"):
        shutil.copy(f"/etc/{name}", os.path.join(etc, name))
    return etc


def digests(etc):
    """Every file under the decoy, with its content digest (a new file shows too)."""
    out = {}
    for name in sorted(os.listdir(etc)):
        with open(os.path.join(etc, name), "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def attack_results(c, task_id):
    """The attacker's ATTACK-RESULTS line, read through host-a's agent API as admin."""
    def read():
        code, text = http("GET", c.agents["host-a"].http_url +
                          f"/api/v1/tasks/{task_id}/logs/attacker", token=c.tokens["admin"])
        if code != 200:
            return None
        for line in text.splitlines():
            if line.startswith("ATTACK-RESULTS "):
                return json.loads(line[len("ATTACK-RESULTS "):])
        return None
    return wait_for("the attacker's results", read, timeout=60)


def test_a_task_cannot_read_neighbours_replace_its_runner_dir_or_impersonate_an_agent():
    c = Cluster(users=USERS)
    try:
        run(c)
    finally:
        c.cleanup()


def run(c):
    etc = make_decoy_etc(c)
    before = digests(etc)
    c.start_scheduler()
    c.add_agent("host-a", (28700, 28749))
    c.add_agent("host-b", (28750, 28799))

    victim = c.job("victim", "echo secret-victim > secret.txt; echo secret-victim; sleep 600",
                   constraints={"host": "host-a"})
    c.cli("job", "create", c.key("victim"), c.write_job("victim", victim),
          "--wait-until", "RUNNING", timeout=60)
    victim_id = c.running("victim", 1)[0]["task_id"]

    attacker = c.job(
        "attacker",
        f"exec /usr/bin/python3 {c.task_program('attacker.py')} --agent "
        f"{c.agents['host-a'].http_url} --scheduler {c.url} --victim {victim_id} "
        f"--victim-process victim --other-host host-b --token={c.tokens['mallory']} --etc {etc}",
        # Python with urllib needs more than the default 16 MiB, which the agent enforces.
        constraints={"host": "host-a"}, ram=64 << 20)
    attacker["role"] = "nobody"
    code, body = c.api("POST", "/api/v1/jobs", attacker, user="mallory")
    assert code == 201, body
    attacker_task = c.running("attacker", 1, role="nobody")[0]
    results = attack_results(c, attacker_task["task_id"])

    succeeded = {name: r for name, r in results.items() if r["ok"]}
    assert not succeeded, f"attacks that worked: {json.dumps(succeeded, indent=1)}"
    for who, expected in (("anonymous", "HTTP 401"), ("own_token", "HTTP 403")):
        assert results[f"read_victim/files as {who}"]["detail"].startswith(expected), results
        assert results[f"register as host-b as {who}"]["detail"].startswith(expected), results
    # The layout must have been attacked, not merely hidden: the task sees its runner dir
    # or the one beside its work directory, and every change to it is refused.
    seen = json.loads(results["runner dirs seen"]["detail"])
    assert seen, "the attacker found no .runner directory to attack"
    for runner in seen:
        detail = results[f"replace {runner} with a link to {etc}"]["detail"]
        assert "PermissionError" in detail or "FileNotFoundError" in detail, detail

    # From outside: the host is intact and every task keeps running and reporting.
    assert digests(etc) == before
    assert c.agent_status("host-a") == "ACTIVE" and c.agent_status("host-b") == "ACTIVE"
    assert len(c.running("victim", 1)) == 1
    # The victim's secret is readable by its own role...
    code, text = http("GET", c.agents["host-a"].http_url +
                      f"/api/v1/tasks/{victim_id}/files?path=sandbox/secret.txt",
                      token=c.tokens["alice"])
    assert code == 200 and "secret-victim" in text, (code, text)

    # host-a's agent restarts (kill -9) and reads every sandbox again, the attacked one too.
    agent = c.agents["host-a"]
    agent.kill9()
    c.restart(agent)
    wait_for("host-a back", lambda: c.agent_status("host-a") == "ACTIVE")
    fresh = c.job("after", "sleep 600", constraints={"host": "host-a"})
    c.cli("job", "create", c.key("after"), c.write_job("after", fresh),
          "--wait-until", "RUNNING", timeout=60)
    assert c.running("attacker", 1, role="nobody")[0]["task_id"] == attacker_task["task_id"]
    assert len(c.running("victim", 1)) == 1
    assert digests(etc) == before
