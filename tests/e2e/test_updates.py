"""Issue 4's end-to-end checks: health checks gate RUNNING, rolling updates keep capacity,
a version that fails its health check rolls back by itself, updates survive a scheduler
kill -9, and pause / resume / abort / canaries do what they say."""
import json
import threading
import time
import urllib.request

from cluster import Cluster, wait_for


def service(c, name, version, instances, batch_size=2, watch_secs=1, extra_args="",
            rollback=True, max_total_failures=0):
    server = c.task_program("version_server.py")
    cmd = (f"exec /usr/bin/python3 {server} --port {{{{thermos.ports[http]}}}} "
           f"--version {version} {extra_args}")
    return c.job(name, cmd, instances=instances, cpu=0.05, ram=32 << 20,
                 update_config={"batch_size": batch_size, "watch_secs": watch_secs,
                                "rollback_on_failure": rollback,
                                "max_total_failures": max_total_failures},
                 health_check_config={"initial_interval_secs": 0.2, "interval_secs": 0.3,
                                      "timeout_secs": 1, "max_consecutive_failures": 2,
                                      "min_consecutive_successes": 1})


def start(c, agents=2):
    c.start_scheduler()
    for i in range(agents):
        c.add_agent(f"agent-{i}", (28400 + 200 * i, 28400 + 200 * i + 99), cpu=4)


def versions(c, name):
    """instance -> version reported by the running task's /version."""
    out = {}
    for t in c.tasks(name):
        if t["status"] != "RUNNING":
            continue
        port = t["ports"]["http"]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=2) as r:
                out[t["instance_id"]] = r.read().decode()
        except Exception:
            pass
    return out


def create(c, spec):
    path = c.write_job(spec["name"], spec)
    c.cli("job", "create", c.key(spec["name"]), path, "--wait-until", "RUNNING")


def start_update(c, spec, instances=None):
    body = {"spec": spec}
    if instances is not None:
        body["instances"] = instances
    status, res = c.api("POST", f"/api/v1/jobs/www-data/prod/{spec['name']}/update", body)
    assert status == 200, res
    return res["update"]["update_id"]


def update_status(c, name, uid):
    status, res = c.api("GET", f"/api/v1/jobs/www-data/prod/{name}/updates/{uid}")
    assert status == 200, res
    return res["update"]


def wait_update(c, name, uid, timeout=120):
    return wait_for(f"update {uid} to end",
                    lambda: (lambda u: u if not u["active"] else None)(update_status(c, name, uid)),
                    timeout=timeout, interval=0.2)


class Sampler:
    """Counts RUNNING instances of a job every 50 ms in the background."""

    def __init__(self, c, name):
        self.c, self.name, self.samples, self.stop = c, name, [], False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                self.samples.append(sum(t["status"] == "RUNNING" for t in self.c.tasks(self.name)))
            except Exception:
                pass
            time.sleep(0.05)

    def finish(self):
        self.stop = True
        self.thread.join()
        return self.samples


def test_rolling_update_keeps_capacity_and_ends_on_new_version(cluster):
    c = cluster
    start(c)
    create(c, service(c, "web", "v1", 10))
    assert set(versions(c, "web").values()) == {"v1"}
    sampler = Sampler(c, "web")
    uid = start_update(c, service(c, "web", "v2", 10))
    done = wait_update(c, "web", uid)
    samples = sampler.finish()
    assert done["status"] == "ROLLED_FORWARD", json.dumps(done, indent=1)
    assert len(samples) > 20 and min(samples) >= 8, (min(samples), len(samples))
    wait_for("all 10 on v2", lambda: versions(c, "web") == {i: "v2" for i in range(10)})


def test_version_failing_health_check_rolls_back_by_itself(cluster):
    c = cluster
    start(c)
    create(c, service(c, "web", "v1", 4))
    bad = service(c, "web", "v2", 4, extra_args="--unhealthy")
    path = c.write_job("web-bad", bad)
    r = c.cli("update", "start", c.key("web"), path, "--wait", check=False, timeout=180)
    assert r.returncode != 0, r.stdout + r.stderr  # rolled back: the client says so
    assert "ROLLED_BACK" in r.stdout + r.stderr
    wait_for("all 4 back on v1", lambda: versions(c, "web") == {i: "v1" for i in range(4)})
    # The task that failed its health check says why.
    ended = [t for t in c.tasks("web", active=False) if t["status"] in ("FAILED", "KILLED")]
    assert any("health" in t["message"].lower() for t in ended), [t["message"] for t in ended]


def test_scheduler_kill9_mid_update_and_the_update_finishes(cluster):
    c = cluster
    start(c)
    create(c, service(c, "web", "v1", 6, batch_size=1, watch_secs=2))
    uid = start_update(c, service(c, "web", "v2", 6, batch_size=1, watch_secs=2))
    wait_for("update under way", lambda: update_status(c, "web", uid)["instances_done"] >= 1)
    c.scheduler.kill9()
    c.start_scheduler()
    u = update_status(c, "web", uid)
    assert u["active"], u
    done = wait_update(c, "web", uid)
    assert done["status"] == "ROLLED_FORWARD", json.dumps(done, indent=1)
    wait_for("all 6 on v2", lambda: versions(c, "web") == {i: "v2" for i in range(6)})


def test_pause_resume_abort(cluster):
    c = cluster
    start(c)
    create(c, service(c, "web", "v1", 6, batch_size=1, watch_secs=2))
    uid = start_update(c, service(c, "web", "v2", 6, batch_size=1, watch_secs=2))
    wait_for("one instance updated", lambda: update_status(c, "web", uid)["instances_done"] >= 1)
    c.cli("update", "pause", c.key("web"))
    assert update_status(c, "web", uid)["status"] == "ROLL_FORWARD_PAUSED"
    time.sleep(0.5)
    done_at_pause = update_status(c, "web", uid)
    time.sleep(5)  # paused: whatever was in flight ends; nothing new starts
    later = update_status(c, "web", uid)
    assert later["instances_done"] <= done_at_pause["instances_done"] + 1
    assert later["instances_in_flight"] == 0
    c.cli("update", "resume", c.key("web"))
    wait_for("progress after resume",
             lambda: update_status(c, "web", uid)["instances_done"] > later["instances_done"])
    c.cli("update", "abort", c.key("web"))
    u = update_status(c, "web", uid)
    assert u["status"] == "ABORTED"
    time.sleep(3)
    v = versions(c, "web")
    assert len(v) == 6 and "v1" in v.values() and "v2" in v.values(), v  # left mixed


def test_canary_updates_only_the_given_instances(cluster):
    c = cluster
    start(c)
    create(c, service(c, "web", "v1", 4))
    path = c.write_job("web-v2", service(c, "web", "v2", 4))
    c.cli("update", "start", c.key("web") + "/0-1", path, "--wait", timeout=180)
    wait_for("canary on 0-1 only",
             lambda: versions(c, "web") == {0: "v2", 1: "v2", 2: "v1", 3: "v1"})
    # The canary instances already run v2: updating them again is Aurora's no-op, a success.
    r = c.cli("update", "start", c.key("web") + "/0-1", path, "--wait")
    assert "unchanged by the proposed update" in r.stdout, r.stdout
    # The rest of the job follows with a plain update; then the whole job is unchanged.
    c.cli("update", "start", c.key("web"), path, "--wait", timeout=180)
    wait_for("all 4 on v2", lambda: versions(c, "web") == {i: "v2" for i in range(4)})
    r = c.cli("update", "start", c.key("web"), path)
    assert "nothing to do" in r.stdout, r.stdout
