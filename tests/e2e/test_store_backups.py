"""Issue 15, the store: a scheduler on PostgreSQL (tests/e2e/postgres.py) keeps serving
writes across `pg_ctl restart -m fast`; and on PostgreSQL and SQLite, `borealis admin backup
now|list|restore` goes back to the backup's state: the scheduler exits (status 75) after the
restore and, started again, holds the jobs of the backup and not those created after it."""
import re

import pytest

from cluster import Cluster, wait_for
from postgres import start_postgres

EXIT_AFTER_RESTORE = 75


def create(c, name):
    status, body = c.api("POST", "/api/v1/jobs", c.job(name, "sleep 600"))
    assert status == 201, body


def job_names(c):
    status, body = c.api("GET", "/api/v1/jobs")
    assert status == 200, body
    return {j["key"].split("/")[-1] for j in body["jobs"]}


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_backup_and_restore(kind):
    pg = start_postgres() if kind == "postgresql" else None
    c = Cluster()
    try:
        if pg:
            args = c.scheduler_args
            args[args.index("--store") + 1] = pg.url()
            args += ["--backup-dir", f"{c.dir}/backups"]
        c.start_scheduler()
        create(c, "before")
        taken = c.cli("admin", "backup", "now", c.cluster).stdout
        name = re.search(r"(backup-\S+\.jsonl)", taken).group(1)
        if pg:
            pg.restart()  # the scheduler reconnects; the next write waits for it, no error
        create(c, "after")
        assert job_names(c) >= {"before", "after"}
        assert name in c.cli("admin", "backup", "list", c.cluster).stdout
        if pg:
            assert pg.sql("SELECT count(*) FROM jobs") == "2"

        # A path is no route (404); a file name that is not a backup's is refused (400).
        for bad, why in (("../state.db", "no such endpoint"), ("state.db", "is not a backup name")):
            refused = c.cli("admin", "backup", "restore", c.cluster, bad, check=False)
            assert refused.returncode != 0 and why in refused.stderr, refused
        assert c.scheduler.alive()

        restored = c.cli("admin", "backup", "restore", c.cluster, name)
        assert "exits (status 75)" in restored.stdout, restored.stdout
        wait_for("the scheduler to exit after the restore", lambda: not c.scheduler.alive())
        assert c.scheduler.proc.returncode == EXIT_AFTER_RESTORE
        assert f"restored backup {name}" in c.scheduler.log()

        c.start_scheduler()
        names = job_names(c)
        assert "before" in names and "after" not in names, names
    finally:
        c.cleanup()
        if pg:
            pg.cleanup()
