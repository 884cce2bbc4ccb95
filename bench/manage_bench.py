#!/usr/bin/env python3
"""Times `borealis manage` as a user runs it: a configs dir of 100 stage files over one
template, then `manage list` plus `manage inspect JOB --stage devel` of every job, each a
separate process. The baseline is `borealis job inspect` of one small .aurora file, the
same interpreter start and load without manage.

    bench/manage_bench.py [BUILD_DIR] [--jobs N] [--runs R]     (default: build, 100, 5)

Prints the total of each run and the medians. Target: list + every inspect <= 5 s."""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

TEMPLATE = """
PROFILE = make_profile()
worker = Process(name = 'worker',
                 cmdline = './worker --workers={{profile.taskargs[workers]}} '
                           '--queue={{profile.taskargs[queue]}} --build={{profile.githash}}')
jobs = [Service(cluster = '{{profile.cluster}}', role = '{{profile.user}}',
                environment = '{{profile.stage}}', name = '{{profile.name}}',
                instances = '{{profile.instances}}',
                task = Task(processes = [worker],
                            resources = Resources(cpu = '{{profile.cpu}}',
                                                  ram = PROFILE.ram_mb().get() * MB,
                                                  disk = PROFILE.disk_mb().get() * MB))
               ).bind(profile = PROFILE)]
"""

STAGE_FILE = """file: worker
user: www-data
config: {{cpu: 0.25, ram: 300, disk: 5000, num_instances: 1}}
taskargs: {{workers: 10, queue: q{i}}}
envs:
  devel:
    githash: {devel:040x}
  prod:
    config: {{cpu: 1.5, num_instances: 12}}
    taskargs: {{workers: 34}}
    githash: {prod:040x}
"""

SMALL = """
jobs = [Service(cluster = 'devcluster', role = 'www-data', environment = 'devel', name = 'small',
                task = Task(processes = [Process(name = 'worker', cmdline = './worker')],
                            resources = Resources(cpu = 0.25, ram = 300 * MB, disk = 5 * GB)))]
"""


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default=os.path.join(root, "build"))
    p.add_argument("--jobs", type=int, default=100)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    cli = os.path.join(a.build, "bin", "borealis")
    with tempfile.TemporaryDirectory(prefix="manage-bench-") as configs:
        with open(os.path.join(configs, "settings.yaml"), "w") as f:
            f.write("cluster: devcluster\n")
        with open(os.path.join(configs, "worker.aurora"), "w") as f:
            f.write(TEMPLATE)
        names = [f"worker{i:03d}" for i in range(a.jobs)]
        for i, name in enumerate(names):
            with open(os.path.join(configs, name + ".yaml"), "w") as f:
                f.write(STAGE_FILE.format(i=i, devel=i + 1, prod=i + 1000))
        small = os.path.join(configs, "small.aurora")
        with open(small, "w") as f:
            f.write(SMALL)

        manage = [cli, "manage"]
        where = ["--configs", configs]
        timed(manage + ["inspect", names[0], "--stage", "devel"] + where)  # warm the page cache
        totals, lists, inspects = [], [], []
        for run in range(a.runs):
            t_list = timed(manage + ["list"] + where)
            t_inspects = [timed(manage + ["inspect", n, "--stage", "devel", "--output", "json"] +
                                where) for n in names]
            total = t_list + sum(t_inspects)
            totals.append(total)
            lists.append(t_list)
            inspects.extend(t_inspects)
            print(f"run {run + 1}: list {t_list * 1000:.1f} ms + {a.jobs} inspects "
                  f"{sum(t_inspects):.2f} s = {total:.2f} s", flush=True)
        baseline = [timed([cli, "job", "inspect", "devcluster/www-data/devel/small", small,
                           "--output", "json"]) for _ in range(20)]
        print(f"median total {statistics.median(totals):.2f} s (target <= 5 s); "
              f"manage list {statistics.median(lists) * 1000:.1f} ms, "
              f"manage inspect {statistics.median(inspects) * 1000:.1f} ms per job; "
              f"baseline job inspect {statistics.median(baseline) * 1000:.1f} ms "
              f"(load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
