"""Input from tasks is as hostile as input from callers: one tenant must never stall a host
(issue 9)."""
import os
import stat

from cluster import wait_for


def test_health_answer_with_invalid_utf8_does_not_stop_other_tasks_on_the_host(cluster):
    c = cluster
    c.start_scheduler()
    c.add_agent("host", (28900, 28999))
    server = c.task_program("version_server.py")
    # 39 ASCII bytes, then 'é' (cut at byte 40 it is half a character), then a stray 0xFF.
    body = (b"x" * 39 + "é".encode() + b"\xff").hex()
    bad = c.job("bad", f"exec /usr/bin/python3 {server} --port {{{{thermos.ports[http]}}}} "
                       f"--version v1 --unhealthy --sick-body-hex {body}",
                instances=2, cpu=0.05, ram=32 << 20,
                health_check_config={"initial_interval_secs": 3, "interval_secs": 0.1,
                                     "timeout_secs": 1, "max_consecutive_failures": 0})
    c.cli("job", "create", c.key("bad"), c.write_job("bad", bad))

    # The bad tasks' failures (with their answers quoted) reach the scheduler...
    def failed_with_message():
        _, body = c.api("GET", "/api/v1/jobs/www-data/prod/bad/tasks")
        msgs = [t.get("message", "") for t in body["tasks"] if t["status"] == "FAILED"]
        return msgs if msgs else None
    msgs = wait_for("a FAILED bad task", failed_with_message)
    assert any("health check failed" in m and "x" * 39 in m for m in msgs), msgs

    # ...and the host keeps reporting: a job created afterwards reaches RUNNING there.
    good = c.job("good", "sleep 600", instances=2)
    c.cli("job", "create", c.key("good"), c.write_job("good", good),
          "--wait-until", "RUNNING", timeout=60)
    assert len(c.running("good", 2)) == 2


def test_task_cannot_take_over_its_runner_dir_nor_plant_a_fifo_as_its_checkpoint(cluster):
    """As www-data, a task tries to replace its .runner/ with a link to /etc or a directory
    of its own, to plant a FIFO as its checkpoint and to link health_check.out to a host
    file (docs/internals/runner-sandbox.md, "Layout"). Every attempt fails."""
    c = cluster
    c.start_scheduler()
    agent = c.add_agent("host", (28500, 28599))
    host_file = os.path.join(c.dir, "host-file")
    with open(host_file, "w") as f:
        f.write("precious")
    os.chmod(host_file, 0o644)
    attack = ("cd .. && try() { if \"$@\" 2>/dev/null; then echo \"DONE: $*\"; "
              "else echo \"refused: $*\"; fi; }; { "
              "try mv .runner stolen; try ln -s /etc .runner-etc; try mv -T .runner-etc .runner; "
              "try mkdir own-runner; try rm -rf .runner; try rm -f .runner/checkpoint; "
              "try mkfifo .runner/checkpoint; "
              f"try ln -sf {host_file} .runner/health_check.out; try touch .logs/planted; "
              "} > sandbox/attempts; touch sandbox/attempted; exec sleep 600")
    attacker = c.job("attacker", attack,
                     health_check_config={"health_checker": {"shell": {
                         "shell_command": "test -f attempted"}},
                         "initial_interval_secs": 0.1, "interval_secs": 0.1})
    c.cli("job", "create", c.key("attacker"), c.write_job("attacker", attacker),
          "--wait-until", "RUNNING", timeout=60)
    task_id = c.running("attacker", 1)[0]["task_id"]
    task_dir = os.path.join(agent.work, "sandboxes", task_id)
    with open(os.path.join(task_dir, "sandbox", "attempts")) as f:
        attempts = f.read()
    assert "refused: mv .runner stolen" in attempts and "DONE" not in attempts, attempts
    runner_dir = os.path.join(task_dir, ".runner")
    assert os.path.isdir(runner_dir) and not os.path.islink(runner_dir)
    assert stat.S_ISREG(os.lstat(os.path.join(runner_dir, "checkpoint")).st_mode)
    assert stat.S_ISREG(os.lstat(os.path.join(runner_dir, "health_check.out")).st_mode)
    with open(host_file) as f:
        assert f.read() == "precious"

    # The agent keeps serving: a job created afterwards reaches RUNNING on that host.
    good = c.job("good", "sleep 600")
    c.cli("job", "create", c.key("good"), c.write_job("good", good),
          "--wait-until", "RUNNING", timeout=60)
