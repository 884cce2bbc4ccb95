"""Issue 14's batch-job lifecycle on a real cluster: an Aurora-dialect job whose instance 0
exits 0 and instance 1 exits 3. With max_task_failures = 2 the failing instance is tried
twice, then given up; the job ends FAILED once every instance has ended, and `job status`
shows each instance's outcome with the exit code."""
from cluster import Cluster, wait_for

PORTS = (32480, 32499)

JOB = """
jobs = [
  Job(
    cluster = '{cluster}', role = 'www-data', environment = 'devel', name = 'report',
    instances = 2, max_task_failures = 2,
    task = SimpleTask('main', 'if [ {{{{mesos.instance}}}} = 1 ]; then exit 3; fi; echo done'),
  ),
]
"""


def test_batch_job_ends_when_every_instance_ended():
    c = Cluster(name="batch")
    try:
        c.start_scheduler()
        c.add_agent("host-a", PORTS)
        path = f"{c.dir}/report.aurora"
        with open(path, "w") as f:
            f.write(JOB.format(cluster=c.cluster))
        key = c.key("report", env="devel")
        c.cli("job", "create", key, path)

        def ended():
            status, body = c.api("GET", "/api/v1/jobs/www-data/devel/report")
            assert status == 200, body
            return body if not c.tasks("report", env="devel") else None
        wait_for("every instance ended", ended, timeout=60)

        tasks = c.tasks("report", env="devel", active=False)
        failed = [t for t in tasks if t["instance_id"] == 1]
        assert len(failed) == 2 and all(t["status"] == "FAILED" for t in failed), failed
        assert [t["status"] for t in tasks if t["instance_id"] == 0] == ["FINISHED"], tasks

        out = c.cli("job", "status", key).stdout
        assert ": FAILED" in out.splitlines()[0], out
        assert "Ended instances:" in out, out
        rows = out.split("Ended instances:")[1].splitlines()
        assert any(r.split()[:2] == ["0", "FINISHED"] for r in rows if r.strip()), out
        assert any(r.split()[:2] == ["1", "FAILED"] and "exit code 3" in r
                   for r in rows if r.strip()), out
    finally:
        c.cleanup()
