"""The harness itself: what tasks execute never comes from the checkout, which the task's
user may not be able to read (issue 16: a mode-700 clone, root's home)."""
import os
import subprocess

import pytest

from cluster import TASK_PROGRAMS, Cluster


def test_a_job_that_runs_a_program_from_the_checkout_is_refused():
    c = Cluster()
    try:
        inside = os.path.join(TASK_PROGRAMS, "version_server.py")
        with pytest.raises(AssertionError, match="must not use files under"):
            c.write_job("bad", c.job("bad", f"exec /usr/bin/python3 {inside} --port 1"))
        with pytest.raises(AssertionError, match="must not use files under"):
            c.api("POST", "/api/v1/jobs", c.job("bad", f"{inside}"))
        # The copy is fine.
        c.write_job("good", c.job("good", f"exec {c.task_program('version_server.py')}"))
    finally:
        c.cleanup()


@pytest.mark.skipif(os.geteuid() != 0, reason="tasks switch user only when the agent is root")
def test_task_programs_are_runnable_by_the_task_user():
    c = Cluster()
    try:
        r = subprocess.run(["setpriv", "--reuid=www-data", "--regid=www-data", "--clear-groups",
                            "/usr/bin/python3", c.task_program("version_server.py"), "--help"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        assert "--version" in r.stdout
    finally:
        c.cleanup()
