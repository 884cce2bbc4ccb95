"""Issue 14, cron jobs on a real cluster: Aurora's cron_hello_world example (the job its
examples/jobs/cron_hello_world.aurora defines) is scheduled through `borealis cron
schedule`, and `cron start` runs it to FINISHED; a `* * * * *` schedule fires within its
minute, on its own, and its run finishes too."""
import json

from cluster import Cluster, wait_for

PORTS = (32300, 32399)

# Aurora's example job, field for field: every 5 minutes, one process that says hello.
CRON_HELLO_WORLD = """
jobs = [
  Job(
    cluster = 'devcluster',
    role = 'www-data',
    environment = 'test',
    name = 'cron_hello_world',
    cron_schedule = '*/5 * * * *',
    task = SimpleTask(
      'cron_hello_world',
      'echo "Hello world from cron, the time is now $(date --rfc-822)"'),
  ),
]
"""


def test_cron_jobs():
    c = Cluster(name="devcluster")
    try:
        c.start_scheduler()
        c.add_agent("host-a", PORTS)
        check_cron_hello_world(c)
        check_every_minute_fires_within_its_minute(c)
    finally:
        c.cleanup()


def finished(c, name, env, count):
    """Waits until the job's latest run has `count` FINISHED tasks and nothing active."""
    def check():
        tasks = c.tasks(name, env=env, active=False)
        done = [t for t in tasks if t["status"] == "FINISHED"]
        active = c.tasks(name, env=env)
        return tasks if len(done) >= count and not active else None
    return wait_for(f"{count} FINISHED tasks of {name}", check, timeout=60)


def check_cron_hello_world(c):
    path = f"{c.dir}/cron_hello_world.aurora"
    with open(path, "w") as f:
        f.write(CRON_HELLO_WORLD)
    key = c.key("cron_hello_world", env="test")
    out = c.cli("cron", "schedule", key, path).stdout
    assert "schedule:  */5 * * * * (UTC), on collision KILL_EXISTING" in out, out
    # `job create` refuses it, as Aurora's does: cron jobs are scheduled.
    refused = c.cli("job", "create", key, path, check=False)
    assert refused.returncode != 0 and "cron jobs are scheduled" in refused.stderr, refused

    started = c.cli("cron", "start", key).stdout
    assert "LAUNCHED: launched 1 instance(s)" in started, started
    finished(c, "cron_hello_world", "test", 1)

    def ended():
        cron = json.loads(c.cli("cron", "show", key, "--output", "json").stdout)["cron"]
        return cron if cron["runs"][0].get("result") else None
    shown = wait_for("the run's result in cron show", ended, interval=0.5)
    assert shown["runs"][0]["result"] == "1 FINISHED", shown
    assert shown["runs"][0]["outcome"] == "LAUNCHED" and shown["runs"][0]["manual"], shown
    assert len(shown["next_runs"]) == 5
    assert all(r["at_ms"] % 300_000 == 0 for r in shown["next_runs"]), shown["next_runs"]
    c.cli("cron", "deschedule", key)


def check_every_minute_fires_within_its_minute(c):
    spec = c.job("minutely", "echo tick", instances=2, service=False,
                 cron_schedule="* * * * *", cron_collision_policy="CANCEL_NEW")
    spec.pop("health_check_config")
    key = c.key("minutely")
    out = c.cli("cron", "schedule", key, c.write_job("minutely", spec), "--output", "json")
    scheduled_ms = json.loads(out.stdout)["cron"]["scheduled_ms"]

    def fired():
        runs = json.loads(c.cli("cron", "show", key, "--output", "json").stdout)["cron"]["runs"]
        return runs[-1] if runs else None
    run = wait_for("the first fire of * * * * *", fired, timeout=75, interval=1)
    assert run["outcome"] == "LAUNCHED" and not run["manual"], run
    # Due at the first minute boundary after scheduling, acted on within seconds of it.
    assert run["due_ms"] == (scheduled_ms // 60_000 + 1) * 60_000, (run, scheduled_ms)
    assert 0 <= run["at_ms"] - run["due_ms"] < 5_000, run
    finished(c, "minutely", "prod", 2)
    c.cli("cron", "deschedule", key)
