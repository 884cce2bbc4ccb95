#!/usr/bin/env python3
"""What making and removing per-task cgroups costs by itself on a cgroup v1 host
(docs/benchmarks.md, "The cost of per-task cgroups"): 100 cgroups in each of the memory,
cpu, cpuacct, pids and freezer hierarchies, with the limits the agent writes (memory and
memsw limit, cpu.shares, pids.max), then their removal. Run as root:

    bench/cgroup_dirs_cost.py
"""
import os, time
mounts = {}
for line in open('/proc/mounts'):
    dev, d, fs, opts = line.split()[:4]
    if fs == 'cgroup':
        for c in ('memory','cpu','cpuacct','pids','freezer'):
            if c in opts.split(','): mounts.setdefault(c, d)
dirs = sorted(set(mounts.values()))
base = f'borealis-bench-{os.getpid()}'
t0 = time.monotonic()
for i in range(100):
    for d in dirs:
        os.makedirs(f'{d}/{base}/t{i}', exist_ok=True)
    m = mounts['memory']
    open(f'{m}/{base}/t{i}/memory.limit_in_bytes','w').write(str(64<<20))
    try: open(f'{m}/{base}/t{i}/memory.memsw.limit_in_bytes','w').write(str(64<<20))
    except OSError: pass
    open(f"{mounts['cpu']}/{base}/t{i}/cpu.shares",'w').write('102')
    open(f"{mounts['pids']}/{base}/t{i}/pids.max",'w').write('4096')
t1 = time.monotonic()
for i in range(100):
    for d in dirs:
        os.rmdir(f'{d}/{base}/t{i}')
t2 = time.monotonic()
for d in dirs: os.rmdir(f'{d}/{base}')
print(f"dirs={dirs}\ncreate+limits 100: {t1-t0:.3f}s  remove 100: {t2-t1:.3f}s")
