"""Issue 2's end-to-end checks: a scheduler and two agents as separate processes, real
runners and real task processes; crashes (kill -9) of every part are normal events."""
import json
import os
import signal
import time

from cluster import Cluster, pid_alive, wait_for

SLEEPER = "echo started {{mesos.instance}} on {{mesos.hostname}} port {{thermos.ports[http]}}; exec sleep 3600"


def start(c, agents=("agent-a", "agent-b")):
    c.start_scheduler()
    for i, name in enumerate(agents):
        c.add_agent(name, (28000 + 100 * i, 28000 + 100 * i + 49))


def create(c, name, cmdline=SLEEPER, instances=3, **kw):
    path = c.write_job(name, c.job(name, cmdline, instances=instances, **kw))
    return c.cli("job", "create", c.key(name), path, "--wait-until", "RUNNING")


def task_pids(c, hostname):
    """task id -> pids of its processes, as the agent reports them."""
    out = {}
    for t in c.agent_tasks(hostname):
        pids = [p["pid"] for p in t.get("processes", []) if p.get("pid")]
        out[t["task_id"]] = pids
    return out


def test_service_runs_spread_and_restarts_after_process_kill(cluster):
    c = cluster
    start(c)
    create(c, "web")
    tasks = c.running("web", 3)
    hosts = {t["host"] for t in tasks}
    assert hosts == {"agent-a", "agent-b"}, hosts  # spread over both agents
    # Every instance got its own port from its agent's range, bound into the cmdline.
    for t in tasks:
        assert "http" in t["ports"]
    status = json.loads(c.cli("job", "status", c.key("web"), "--output", "json").stdout)
    assert sorted(t["instance_id"] for t in status["tasks"] if t["status"] == "RUNNING") == [0, 1, 2]

    victim = next(t for t in tasks if t["instance_id"] == 1)
    pids = task_pids(c, victim["host"])[victim["task_id"]]
    assert pids and all(pid_alive(p) for p in pids)
    os.kill(pids[-1], signal.SIGKILL)

    def replaced():
        ts = [t for t in c.tasks("web") if t["instance_id"] == 1 and t["status"] == "RUNNING"]
        return ts and ts[0]["task_id"] != victim["task_id"]
    wait_for("instance 1 running again", replaced)
    ended = [t for t in c.tasks("web", active=False) if t["task_id"] == victim["task_id"]]
    assert ended and ended[0]["status"] == "FAILED", ended


def test_scheduler_kill9_and_restart_keeps_jobs_without_duplicates(cluster):
    c = cluster
    start(c)
    create(c, "web")
    before = sorted(t["task_id"] for t in c.running("web", 3))
    c.scheduler.kill9()
    c.start_scheduler()
    after = sorted(t["task_id"] for t in c.running("web", 3))
    assert after == before
    # Agents re-registered and nothing was launched twice: exactly three live tasks.
    wait_for("agents re-registered", lambda: all(c.agent_status(h) == "ACTIVE" for h in c.agents))
    time.sleep(1.5)
    live = [tid for h in c.agents for tid, t in task_pids(c, h).items() if t]
    assert sorted(live) == before
    jobs = json.loads(c.cli("job", "list", c.cluster, "--output", "json").stdout)["jobs"]
    assert [j["key"] for j in jobs] == [c.key("web")]


def test_agent_kill9_and_restart_reattaches_to_running_tasks(cluster):
    c = cluster
    start(c)
    create(c, "web")
    c.running("web", 3)
    agent = c.agents["agent-a"]
    pids_before = task_pids(c, "agent-a")
    assert pids_before
    agent.kill9()
    for pids in pids_before.values():
        assert all(pid_alive(p) for p in pids)  # tasks outlive their agent
    c.restart(agent)
    wait_for("agent-a back", lambda: c.agent_status("agent-a") == "ACTIVE")
    pids_after = wait_for("agent-a reports its tasks", lambda: task_pids(c, "agent-a") or None)
    assert pids_after == pids_before  # same tasks, same pids: re-attached, not restarted
    tasks = c.running("web", 3)
    assert {t["task_id"] for t in tasks if t["host"] == "agent-a"} == set(pids_before)


def test_agent_stopped_past_timeout_loses_tasks_which_run_elsewhere(tmp_path):
    c = Cluster(agent_timeout_secs=3)
    try:
        start(c)
        create(c, "web", instances=2)
        tasks = c.running("web", 2)
        on_a = [t["task_id"] for t in tasks if t["host"] == "agent-a"]
        assert on_a
        stale_pids = task_pids(c, "agent-a")
        c.agents["agent-a"].pause()

        def moved():
            all_tasks = c.tasks("web", active=False)
            lost = [t for t in all_tasks if t["task_id"] in on_a and t["status"] == "LOST"]
            running = [t for t in all_tasks if t["status"] == "RUNNING"]
            return len(lost) == len(on_a) and len(running) == 2 and \
                all(t["host"] == "agent-b" for t in running)
        wait_for("tasks LOST on agent-a and running on agent-b", moved, timeout=30)
        lost = [t for t in c.tasks("web", active=False) if t["task_id"] in on_a]
        assert "silent" in lost[0]["message"], lost[0]
        # When agent-a wakes up it is told to kill what it still runs.
        c.agents["agent-a"].resume()
        wait_for("stale tasks killed on agent-a",
                 lambda: all(not pid_alive(p) for ps in stale_pids.values() for p in ps))
        assert len(c.running("web", 2)) == 2
    finally:
        c.cleanup()


def test_batch_job_fails_after_max_task_failures(cluster):
    c = cluster
    start(c)
    path = c.write_job("flaky", c.job("flaky", "echo trying; exit 3", instances=1, service=False,
                                      max_task_failures=2))
    c.cli("job", "create", c.key("flaky"), path)

    def failed():
        jobs = json.loads(c.cli("job", "list", c.cluster, "--output", "json").stdout)["jobs"]
        return jobs and jobs[0]["status"] == "FAILED"
    wait_for("job FAILED", failed, timeout=60)
    ended = c.tasks("flaky", active=False)
    assert [t["status"] for t in ended] == ["FAILED", "FAILED"], ended
    assert {t["failure_count"] for t in ended} == {0, 1}


def test_bad_input_is_refused_and_nothing_is_lost(cluster):
    c = cluster
    start(c, agents=("agent-a",))
    create(c, "web", instances=1)
    before = c.tasks("web")

    bad = os.path.join(c.dir, "bad.json")
    with open(bad, "w") as f:
        f.write('{"role": "www-data",\n "environment": "prod",\n "name": }')
    r = c.cli("job", "create", c.key("bad"), bad, check=False)
    assert r.returncode != 0 and "line 3" in r.stderr, r.stderr

    unknown = c.job("unk", "true")
    unknown["task"]["resources"]["cpus"] = 1
    r = c.cli("job", "create", c.key("unk"), c.write_job("unk", unknown), check=False)
    # The field's path and name, and what the struct does have.
    assert r.returncode != 0 and "task.resources" in r.stderr and "'cpus'" in r.stderr \
        and "cpu, disk, gpu, ram" in r.stderr, r.stderr

    r = c.cli("job", "create", "e2e/www-data/prod", c.write_job("x", c.job("x", "true")), check=False)
    assert r.returncode != 0 and "CLUSTER/ROLE/ENVIRONMENT/NAME" in r.stderr, r.stderr

    # Tasks never run as root (docs/security.md): refused at create, naming user and role.
    root = c.job("root", "id -u")
    root["task"]["user"] = "root"
    r = c.cli("job", "create", c.key("root"), c.write_job("root", root), check=False)
    assert r.returncode != 0 and "task user 'root' (uid 0) of role 'www-data' is refused" \
        in r.stderr, r.stderr

    neg = c.job("neg", "true", cpu=-1)
    r = c.cli("job", "create", c.key("neg"), c.write_job("neg", neg), check=False)
    assert r.returncode != 0 and "task.resources.cpu" in r.stderr, r.stderr

    huge = c.job("huge", "true", ram=1 << 40)
    c.cli("job", "create", c.key("huge"), c.write_job("huge", huge))
    time.sleep(0.5)
    status = c.cli("job", "status", c.key("huge")).stdout
    assert "PENDING" in status and "lack 1.0 TiB ram" in status, status

    after = c.tasks("web")
    assert [t["task_id"] for t in after] == [t["task_id"] for t in before]
    assert after[0]["status"] == "RUNNING"
