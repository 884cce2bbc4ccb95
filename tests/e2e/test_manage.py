"""Issue 11's `borealis manage` end to end: a git repository and a directory artifact store
made by the test, a configs dir with stage files over one template and over the template
library. A devel deploy from YAML alone runs (with a template, and with a library pattern); prod refuses an unmerged githash (and a build missing from the store) and
takes it once merged and pushed; inspect shows the stage's overrides; update rolls a new
githash out. The second test does it from YAML alone over the library's python_worker, with
the agent fetching each githash's pex from the store, and looks at history, tail and ssh."""
import hashlib
import json
import os
import subprocess

from cluster import BOREALIS, http, wait_for

TEMPLATE = """
PROFILE = make_profile()
payload = artifact('payload.txt')
worker = Process(name = 'worker',
                 cmdline = 'echo greeting={{profile.taskargs[greeting]}} '
                           'githash={{profile.githash}} payload=%s; exec sleep 1000'
                           % payload.uri().get())
jobs = [Service(cluster = '{{profile.cluster}}', role = '{{profile.user}}',
                environment = '{{profile.stage}}', name = '{{profile.name}}',
                instances = '{{profile.instances}}',
                update_config = UpdateConfig(batch_size = 2, watch_secs = 1),
                task = Task(processes = [worker],
                            resources = Resources(cpu = '{{profile.cpu}}',
                                                  ram = PROFILE.ram_mb().get() * MB,
                                                  disk = PROFILE.disk_mb().get() * MB))
               ).bind(profile = PROFILE)]
"""


def stage_file(devel_hash, prod_hash):
    return f"""file: worker
user: www-data
buildname: worker
config:
  cpu: 0.05
  ram: 32
  disk: 32
  num_instances: 1
taskargs:
  greeting: hello-devel
githash: {devel_hash}
envs:
  devel:
  prod:
    config:
      cpu: 0.1
      num_instances: 2
    taskargs:
      greeting: hello-prod
    githash: {prod_hash}
"""


class Repo:
    """A work tree whose configs are at borealis/configs, and a bare origin."""

    def __init__(self, root):
        self.work = os.path.join(root, "repo")
        self.origin = os.path.join(root, "origin.git")
        self.configs = os.path.join(self.work, "borealis", "configs")
        os.makedirs(root, exist_ok=True)
        self.git(root, "init", "-q", "--bare", "-b", "main", self.origin)
        self.git(root, "init", "-q", "-b", "main", self.work)
        self.git(self.work, "config", "user.email", "e2e@example.com")
        self.git(self.work, "config", "user.name", "e2e")
        self.git(self.work, "remote", "add", "origin", self.origin)
        os.makedirs(self.configs)

    def git(self, cwd, *args):
        return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                              text=True).stdout.strip()

    def commit(self, message):
        self.git(self.work, "commit", "-q", "--allow-empty", "-m", message)
        return self.git(self.work, "rev-parse", "HEAD")

    def write(self, name, text):
        with open(os.path.join(self.configs, name), "w") as f:
            f.write(text)


def publish(store, githash, text):
    """Puts build worker@githash in the store: payload.txt and its SHA256SUMS."""
    build = os.path.join(store, "worker", githash)
    os.makedirs(build)
    with open(os.path.join(build, "payload.txt"), "w") as f:
        f.write(text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with open(os.path.join(build, "SHA256SUMS"), "w") as f:
        f.write(f"{digest}  payload.txt\n")


def manage(c, repo, *args, check=True):
    """`borealis manage ARGS` run inside the work tree: the configs dir is found at its git
    root, the store through settings.yaml."""
    env = dict(os.environ, BOREALIS_CONFIG_DIR=c.config_dir)
    env.pop("BOREALIS_CONFIGS", None)
    env.pop("BOREALIS_ARTIFACTS", None)
    r = subprocess.run([BOREALIS, "manage", *args], cwd=repo.work, capture_output=True,
                       text=True, env=env, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"borealis manage {' '.join(args)} exited {r.returncode}:\n"
                             f"{r.stdout}\n{r.stderr}")
    return r


def logs_of(c, env, count, job="worker"):
    """The first stdout line of the process `worker` of each RUNNING task of `env`."""
    tasks = c.running(job, count, env=env)
    out = []
    for t in tasks:
        code, body = http("GET", c.agents["host-a"].http_url +
                          f"/api/v1/tasks/{t['task_id']}/logs/worker")
        if code != 200 or not body:
            return None
        out.append(body.splitlines()[0])
    return sorted(out)


def running_spec(c, env):
    status, body = c.api("GET", f"/api/v1/jobs/www-data/{env}/worker")
    assert status == 200, body
    return body["job"]["spec"]


def metadata(spec):
    return {m["key"]: m["value"] for m in spec["metadata"]}


def start(c, ports):
    """A scheduler and agent host-a; a repo whose main (pushed) has one commit and whose
    branch `feature` (checked out) one more. Returns (repo, store, merged, unmerged)."""
    c.start_scheduler()
    c.add_agent("host-a", ports, cpu=2)
    root = os.path.join(c.dir, "manage")
    repo = Repo(root)
    merged = repo.commit("base")
    repo.git(repo.work, "push", "-q", "origin", "main")
    repo.git(repo.work, "checkout", "-q", "-b", "feature")
    unmerged = repo.commit("feature work")
    return repo, os.path.join(root, "store"), merged, unmerged


def merge_feature(repo):
    """Merges `feature` into main and pushes it, as a reviewed change lands."""
    repo.git(repo.work, "checkout", "-q", "main")
    repo.git(repo.work, "merge", "-q", "--ff-only", "feature")
    repo.git(repo.work, "push", "-q", "origin", "main")


def test_manage_deploys_from_yaml_with_prod_safety(cluster):
    c = cluster
    repo, store, merged, unmerged = start(c, (30000, 30099))
    publish(store, merged, "build one")
    publish(store, unmerged, "build two")
    repo.write("settings.yaml", f"cluster: {c.cluster}\nartifacts: {store}\n")
    repo.write("worker.aurora", TEMPLATE)
    repo.write("worker.yaml", stage_file(merged, unmerged))
    repo.write("broken.yaml", "file: worker\nusr: nobody\n")
    # YAML alone, no .aurora at all: a pattern of the template library.
    repo.write("libworker.yaml", "file: borealis/python_worker\nuser: www-data\n"
               "config: {cpu: 0.05, ram: 32, disk: 32}\n"
               "taskargs:\n  command: \"sh -c 'echo greeting=$1; exec sleep 1000'\"\n"
               "  greeting: from-the-library\nenvs:\n  devel:\n")

    # list: every job, a broken file as an error row.
    listed = json.loads(manage(c, repo, "list", "--output", "json").stdout)
    rows = {j["job"]: j for j in listed["jobs"]}
    assert rows["worker"]["stages"] == {"devel": {"githash": merged},
                                        "prod": {"githash": unmerged}}, rows
    assert rows["worker"]["template"] == "worker" and rows["worker"]["cluster"] == c.cluster
    assert "broken.yaml:2: unknown key 'usr'" in rows["broken"]["error"], rows

    # devel from YAML alone: runs, and its output shows the taskarg and the store's file.
    manage(c, repo, "create", "worker", "--stage", "devel", "--wait-until", "RUNNING")
    payload = f"file://{store}/worker/{merged}/payload.txt"
    assert wait_for("the devel worker's output", lambda: logs_of(c, "devel", 1)) == [
        f"greeting=hello-devel githash={merged} payload={payload}"]
    assert metadata(running_spec(c, "devel")) == {
        "borealis.githash": merged, "borealis.buildname": "worker",
        "borealis.stage_file": "worker.yaml"}

    manage(c, repo, "create", "libworker", "--stage", "devel", "--wait-until", "RUNNING")
    assert wait_for("the library worker's output",
                    lambda: logs_of(c, "devel", 1, job="libworker")) == [
        "greeting=from-the-library"]

    # The prod stage's overrides, shown before it may deploy.
    spec = json.loads(manage(c, repo, "inspect", "worker", "--stage", "prod",
                             "--output", "json").stdout)
    assert spec["instances"] == 2 and spec["task"]["resources"]["cpu"] == 0.1, spec
    assert "greeting=hello-prod" in spec["task"]["processes"][0]["cmdline"]
    assert metadata(spec)["borealis.githash"] == unmerged
    text = manage(c, repo, "inspect", "worker", "--stage", "prod").stdout
    assert "overrides:   config.cpu, config.num_instances, githash, taskargs.greeting" in text
    assert "prod check:  would refuse" in text

    # No default stage, and no stage the file does not list.
    r = manage(c, repo, "create", "worker", check=False)
    assert r.returncode == 2 and "--stage is required" in r.stderr, r.stderr
    r = manage(c, repo, "create", "worker", "--stage", "prd", check=False)
    assert r.returncode == 1 and "no stage 'prd' under envs (stages: devel, prod)" in r.stderr

    # prod refuses the unmerged githash, saying why and what to do.
    r = manage(c, repo, "create", "worker", "--stage", "prod", check=False)
    assert r.returncode == 1, r.stdout
    assert (f"githash {unmerged[:12]} ({repo.configs}/worker.yaml:20) is not on origin/main: "
            "merge it and push, then `git fetch origin`") in r.stderr, r.stderr
    assert c.api("GET", "/api/v1/jobs/www-data/prod/worker")[0] == 404  # nothing was sent

    # Merged and pushed: accepted.
    merge_feature(repo)
    manage(c, repo, "create", "worker", "--stage", "prod", "--wait-until", "RUNNING")
    line = f"greeting=hello-prod githash={unmerged} payload=file://{store}/worker/{unmerged}/payload.txt"
    assert wait_for("the prod workers' output", lambda: logs_of(c, "prod", 2)) == [line, line]

    # A new merged githash whose build is not published yet is refused, then rolled out.
    newer = repo.commit("release")
    repo.git(repo.work, "push", "-q", "origin", "main")
    repo.write("worker.yaml", stage_file(merged, newer))
    r = manage(c, repo, "update", "worker", "--stage", "prod", check=False)
    assert r.returncode == 1
    assert f"has no {store}/worker/{newer}/SHA256SUMS: build and publish it" in r.stderr, r.stderr
    publish(store, newer, "build three")
    manage(c, repo, "update", "worker", "--stage", "prod", "--wait")
    assert metadata(running_spec(c, "prod"))["borealis.githash"] == newer

    def rolled_out():
        lines = logs_of(c, "prod", 2)
        return lines if lines and all(f"githash={newer}" in l for l in lines) else None
    assert wait_for("the new githash in the prod workers' output", rolled_out)
    status = manage(c, repo, "status", "worker", "--stage", "prod", "--output", "json").stdout
    assert len([t for t in json.loads(status)["tasks"] if t["status"] == "RUNNING"]) == 2


# The talk's eightball.yaml: a worker from YAML alone, over the library's python_worker,
# running the build's pex (a zipapp here) that the agent fetches from the store.
EIGHTBALL_YAML = """file: borealis/python_worker
user: www-data
buildname: eightball
hashtype: git
config:
  cpu: 0.05
  num_instances: 1
  ram: 48
  disk: 64
taskargs:
  service: "true"
  update_batch_size: 2
  update_watch_secs: 1
  workers: 10
envs:
  prod:
    config:
      cpu: 0.1
      num_instances: 2
    taskargs:
      workers: 34
    githash: {prod}
  devel:
    githash: {devel}
"""

PEX_MAIN = """import sys, time
print('eightball build=%s args=%s' % ({label!r}, ' '.join(sys.argv[1:])), flush=True)
while True:
    time.sleep(1000)
"""


def publish_pex(store, githash, label):
    """Builds eightball.pex (an executable zipapp) for `githash` into the store, with the
    SHA256SUMS a CI job would write."""
    import zipapp
    src = os.path.join(store, ".src", githash)
    os.makedirs(src)
    with open(os.path.join(src, "__main__.py"), "w") as f:
        f.write(PEX_MAIN.format(label=label))
    build = os.path.join(store, "eightball", githash)
    os.makedirs(build)
    pex = os.path.join(build, "eightball.pex")
    zipapp.create_archive(src, pex, interpreter="/usr/bin/python3")
    with open(pex, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(build, "SHA256SUMS"), "w") as f:
        f.write(f"{digest}  eightball.pex\n")


def worker_lines(c, env, count):
    return logs_of(c, env, count, job="eightball")


def test_yaml_only_worker_runs_its_build_from_the_store(cluster):
    c = cluster
    repo, store, base, feature = start(c, (30100, 30199))
    publish_pex(store, base, "one")
    publish_pex(store, feature, "two")
    repo.write("settings.yaml", f"cluster: {c.cluster}\nartifacts: {store}\n")
    repo.write("eightball.yaml", EIGHTBALL_YAML.format(devel=base, prod=feature))

    # devel: YAML alone; the agent fetched and verified the pex, the worker runs it.
    manage(c, repo, "create", "eightball", "--stage", "devel", "--wait-until", "RUNNING")
    assert wait_for("the devel worker's output", lambda: worker_lines(c, "devel", 1)) == [
        "eightball build=one args=--workers 10"]

    # Overrides of the prod stage, in inspect.
    spec = json.loads(manage(c, repo, "inspect", "eightball", "--stage", "prod",
                             "--output", "json").stdout)
    assert spec["instances"] == 2 and spec["task"]["resources"]["cpu"] == 0.1, spec
    pex = spec["task"]["artifacts"][0]
    assert pex["uri"] == f"file://{store}/eightball/{feature}/eightball.pex", pex
    assert "34" in spec["task"]["processes"][-1]["cmdline"], spec["task"]["processes"]

    # prod: refused while the githash is unmerged; accepted once merged and pushed.
    r = manage(c, repo, "create", "eightball", "--stage", "prod", check=False)
    assert r.returncode == 1 and "is not on origin/main" in r.stderr, r.stderr
    merge_feature(repo)
    manage(c, repo, "create", "eightball", "--stage", "prod", "--wait-until", "RUNNING")
    line = "eightball build=two args=--workers 34"
    assert wait_for("the prod workers", lambda: worker_lines(c, "prod", 2)) == [line, line]

    # update rolls a new githash (a new build) out.
    release = repo.commit("release")
    repo.git(repo.work, "push", "-q", "origin", "main")
    publish_pex(store, release, "three")
    repo.write("eightball.yaml", EIGHTBALL_YAML.format(devel=base, prod=release))
    manage(c, repo, "update", "eightball", "--stage", "prod", "--wait")
    line = "eightball build=three args=--workers 34"
    assert wait_for("the new build in prod",
                    lambda: worker_lines(c, "prod", 2) == [line, line] or None)

    # history names each version's githash, newest first; tail follows every instance.
    history = json.loads(manage(c, repo, "history", "eightball", "--stage", "prod",
                                "--output", "json").stdout)["history"]
    assert [(h["kind"], h["githash"]) for h in history][:2] == [
        ("update", release), ("create", feature)], history
    tail = manage(c, repo, "tail", "eightball", "--stage", "prod", "--no-follow",
                  "--lines", "1").stdout.splitlines()
    assert sorted(tail) == [f"[0] {line}", f"[1] {line}"], tail
    ssh = manage(c, repo, "ssh", "eightball", "--stage", "prod", "--instance", "1",
                 "--print").stdout
    assert ssh.startswith("ssh -t www-data@host-a ") and "/sandbox" in ssh, ssh
