"""Input from tasks is as hostile as input from callers: one tenant must never stall a host
(issue 9)."""
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
