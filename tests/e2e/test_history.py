"""Issue 11, part history: `borealis job history`, `job tail` and `task ssh` against a real
cluster. A job written in Aurora's dialect with `borealis.githash` metadata is created and
updated twice; history shows the three versions newest first with their githashes. Tail
shows every instance's last lines, follows a line written later, and follows instance 0's
new task after a restart. `task ssh --print` names the real sandbox, and an --ssh-command
that runs the remote command locally proves the command runs there."""
import json
import os
import shlex
import subprocess

from cluster import BOREALIS, BackgroundCli, Cluster, wait_for

PORTS = (30400, 30599)

# Each instance prints 15 numbered lines, then one more line once the file GO exists.
CONFIG = """
app = Process(name = 'app', cmdline = '''
for i in $(seq 1 15); do echo "instance {{{{mesos.instance}}}} line $i"; done
echo "to stderr {{{{mesos.instance}}}}" >&2
said=0
while true; do
  if [ $said = 0 ] && [ -e {go} ]; then echo "LATER from {{{{mesos.instance}}}}"; said=1; fi
  sleep 0.1
done''')
setup = Process(name = 'setup', cmdline = 'echo setting up', final = False)

jobs = [Service(
  cluster = 'e2e', role = 'www-data', environment = 'prod', name = 'hist',
  instances = {instances},
  metadata = [Metadata(key = 'borealis.githash', value = '{githash}'),
              Metadata(key = 'borealis.buildname', value = 'histbuild')],
  update_config = UpdateConfig(batch_size = 3, watch_secs = 1),
  health_check_config = HealthCheckConfig(
    health_checker = HealthCheckerConfig(shell = ShellHealthChecker(shell_command = 'true')),
    initial_interval_secs = 0.1, interval_secs = 0.1),
  task = Task(name = 'hist', processes = [setup, app], constraints = order(setup, app),
              resources = Resources(cpu = 0.1, ram = 16*MB, disk = 16*MB)))]
"""


def test_history_tail_and_ssh():
    c = Cluster()
    try:
        run(c)
    finally:
        c.cleanup()


def write_config(c, githash, instances):
    path = os.path.join(c.dir, f"hist-{githash}.aurora")
    with open(path, "w") as f:
        f.write(CONFIG.format(go=os.path.join(c.dir, "go"), githash=githash,
                              instances=instances))
    return path


def run(c):
    c.start_scheduler()
    c.add_agent("host-a", PORTS)
    key = c.key("hist")
    c.cli("job", "create", key, write_config(c, "a" * 40, 2), "--wait-until", "RUNNING",
          timeout=180)
    c.cli("update", "start", key, write_config(c, "b" * 40, 3), "-m", "more workers", "--wait",
          timeout=180)
    c.cli("update", "start", key, write_config(c, "c" * 40, 3), "-m", "next build", "--wait",
          timeout=180)
    c.running("hist", 3)
    check_history(c, key)
    check_tail_no_follow(c, key)
    check_ssh(c, key)
    check_tail_follow(c, key)


def check_history(c, key):
    out = c.cli("job", "history", key).stdout
    rows = [line.split() for line in out.splitlines()[1:] if line.split()[0] in
            ("create", "update", "restart")]
    assert [r[0] for r in rows] == ["update", "update", "create"], out
    hashes = [next(w for w in r if len(w) == 40) for r in rows]
    assert hashes == ["c" * 40, "b" * 40, "a" * 40], out
    assert "ROLLED_FORWARD" in rows[0] and "ROLLED_FORWARD" in rows[1], out
    assert "next build" in out and "more workers" in out and "histbuild" in out, out
    assert "3 (+1)" in out, out
    assert out.splitlines()[-1].startswith("Now: version "), out
    assert out.splitlines()[-1].endswith("3 instances (+1 since the create's 2)"), out

    doc = json.loads(c.cli("job", "history", key, "--output", "json", "--limit", "2").stdout)
    assert [e["githash"] for e in doc["history"]] == ["c" * 40, "b" * 40], doc
    assert doc["current"]["instances"] == 3, doc
    assert doc["history"][0]["message"] == "next build", doc


def check_tail_no_follow(c, key):
    r = c.cli("job", "tail", key, "--no-follow", "--lines", "3")
    lines = r.stdout.splitlines()
    for i in range(3):
        mine = [l for l in lines if l.startswith(f"[{i}] ")]
        assert mine == [f"[{i}] instance {i} line {n}" for n in (13, 14, 15)], r.stdout
    assert len(lines) == 9, r.stdout
    err = c.cli("job", "tail", key + "", "--no-follow", "--stream", "stderr", "--instances", "1")
    assert err.stdout == "[1] to stderr 1\n", err.stdout
    bad = c.cli("job", "tail", key, "--no-follow", "--process", "nope", check=False)
    assert bad.returncode == 1, bad
    assert "has no process 'nope'; its processes: setup, app" in bad.stderr, bad.stderr


def sandbox_of(c, instance):
    [task] = [t for t in c.tasks("hist") if t["instance_id"] == instance]
    [agent_task] = [t for t in c.agent_tasks("host-a") if t["task_id"] == task["task_id"]]
    return agent_task["sandbox"] + "/sandbox"


def check_ssh(c, key):
    work_dir = sandbox_of(c, 1)
    r = c.cli("task", "ssh", key + "/1", "--print")
    assert shlex.split(r.stdout) == ["ssh", "-t", "www-data@host-a",
                                     f"cd {work_dir} && exec $SHELL -l"], r.stdout

    # An ssh that records its arguments and runs the remote command here.
    args_file = os.path.join(c.dir, "ssh-args")
    fake = os.path.join(c.dir, "fake-ssh")
    with open(fake, "w") as f:
        f.write(f'#!/bin/sh\nprintf "%s\\n" "$@" > {args_file}\n'
                'for last; do :; done\nexec sh -c "$last"\n')
    os.chmod(fake, 0o755)
    r = c.cli("task", "ssh", key + "/1", "--ssh-command", fake, "--command",
              "pwd; cat ../.logs/app/0/stdout | head -n 1; exit 3", check=False)
    assert r.returncode == 3, r
    assert r.stdout == f"{work_dir}\ninstance 1 line 1\n", r.stdout
    with open(args_file) as f:
        assert f.read().splitlines()[:2] == ["-t", "www-data@host-a"]

    r = c.cli("task", "ssh", key + "/7", "--print", check=False)
    assert r.returncode == 1 and "instance 7 of e2e/www-data/prod/hist has no active task" in \
        r.stderr, r


class Tail(BackgroundCli):
    """`borealis job tail` running in the background; its lines collected as they come."""
    def __init__(self, c, key):
        super().__init__(c, "job", "tail", key, "--lines", "2")


def check_tail_follow(c, key):
    tail = Tail(c, key)
    try:
        for i in range(3):
            tail.wait_line(f"[{i}] instance {i} line 15")
        with open(os.path.join(c.dir, "go"), "w"):
            pass
        for i in range(3):
            tail.wait_line(f"[{i}] LATER from {i}")

        old = [t["task_id"] for t in c.tasks("hist") if t["instance_id"] == 0][0]
        c.cli("job", "restart", key + "/0", timeout=180)
        new = [t["task_id"] for t in c.tasks("hist") if t["instance_id"] == 0][0]
        assert new != old
        wait_for("tail switches to the new task",
                 lambda: any(f"task {old} was replaced by {new}" in l for l in tail.err)
                 or any(f"following new task {new}" in l for l in tail.err), timeout=60)
        # The new task's output from its start, then its late line (GO exists).
        tail.wait_line("[0] instance 0 line 1")
        wait_for("the new task's late line", lambda: tail.out.count("[0] LATER from 0") == 2,
                 timeout=60)
    finally:
        code = tail.stop()
    assert code == 0, (code, tail.err)


def test_tail_needs_a_grant_for_the_role_on_the_agent():
    """With an auth file, any identity reads the scheduler, but a task's logs are for its
    role: bob (role other) gets exit 30 and a clear message from `job tail`; alice (role
    www-data) tails the job with her own token. The history names who created the job
    (admin) and who restarted it (alice)."""
    users = {"alice": {"roles": ["www-data"], "prod_roles": ["www-data"]},
             "bob": {"roles": ["other"]},
             "agent-host-a": {"agents": ["host-a"]}}
    c = Cluster(users=users)
    try:
        c.start_scheduler()
        c.add_agent("host-a", PORTS)
        key = c.key("quiet")
        job = c.job("quiet", "echo quiet line; exec sleep 600", instances=1)
        c.cli("job", "create", key, c.write_job("quiet", job), "--wait-until", "RUNNING",
              timeout=120)

        def as_user(user, *args):
            env = dict(os.environ, BOREALIS_CONFIG_DIR=c.config_dir,
                       BOREALIS_TOKEN=c.tokens[user])
            return subprocess.run([BOREALIS, *args], capture_output=True, text=True, env=env,
                                  timeout=120)

        def tail_as(user):
            return as_user(user, "job", "tail", key, "--no-follow")

        bob = tail_as("bob")
        assert bob.returncode == 30, bob
        assert "agent at 127.0.0.1:" in bob.stderr and "refused GET" in bob.stderr, bob.stderr
        assert "user 'bob' has no grant for role 'www-data'" in bob.stderr, bob.stderr
        assert "needs a grant for its role" in bob.stderr, bob.stderr
        alice = wait_for("alice's tail shows the line",
                         lambda: (lambda r: r if r.stdout == "[0] quiet line\n" else None)(
                             tail_as("alice")))
        assert alice.returncode == 0, alice

        # The history says who created the job and who restarted it.
        assert as_user("alice", "job", "restart", key, "--watch-secs", "1").returncode == 0
        doc = json.loads(as_user("bob", "job", "history", key, "--output", "json").stdout)
        assert [(e["kind"], e["user"]) for e in doc["history"]] == \
            [("restart", "alice"), ("create", "admin")], doc
    finally:
        c.cleanup()
