# The Aurora schema's defaults (compared with the executor data Aurora's own tests expect
# for a minimal job) and the loader's handling of whole files. Run by dsl_test.cc.

import os
import sys
import tempfile

from borealis_aurora import loader


HELLO_WORLD = Job(
    name='hello_world', role='john_doe', environment='staging66', cluster='smf1-test',
    task=Task(name='main',
              processes=[Process(name='hello_world', cmdline='echo {{mesos.instance}}')],
              resources=Resources(cpu=0.1, ram=64 * 1048576, disk=64 * 1048576, gpu=2)))

# Aurora's test_thrift.py HELLO_WORLD_EXECUTOR_DATA, plus the two fields Aurora strips from
# executor data (instances, update_config), which a JobSpec keeps.
EXPECTED = {
    'environment': 'staging66',
    'health_check_config': {
        'health_checker': {'http': {'expected_response_code': 0, 'endpoint': '/health',
                                    'expected_response': 'ok'}},
        'min_consecutive_successes': 1, 'initial_interval_secs': 15.0,
        'max_consecutive_failures': 0, 'timeout_secs': 1.0, 'interval_secs': 10.0},
    'name': 'hello_world', 'service': False, 'max_task_failures': 1,
    'executor_config': {'data': '', 'name': 'AuroraExecutor'},
    'cron_collision_policy': 'KILL_EXISTING', 'enable_hooks': False, 'cluster': 'smf1-test',
    'task': {
        'processes': [{'daemon': False, 'name': 'hello_world', 'ephemeral': False,
                       'max_failures': 1, 'min_duration': 5,
                       'cmdline': 'echo {{mesos.instance}}', 'final': False}],
        'name': 'main', 'finalization_wait': 30, 'max_failures': 1, 'max_concurrency': 0,
        'resources': {'gpu': 2, 'disk': 67108864, 'ram': 67108864, 'cpu': 0.1},
        'constraints': []},
    'production': False, 'role': 'john_doe', 'metadata': [],
    'lifecycle': {'http': {'graceful_shutdown_endpoint': '/quitquitquit',
                           'graceful_shutdown_wait_secs': 5, 'port': 'health',
                           'shutdown_wait_secs': 5, 'shutdown_endpoint': '/abortabortabort'}},
    'priority': 0,
    'instances': 1,
    'update_config': {'batch_size': 1, 'watch_secs': 45, 'max_per_shard_failures': 0,
                      'max_total_failures': 0, 'rollback_on_failure': True,
                      'wait_for_batch_completion': False, 'sla_aware': False},
}


def test_defaults_match_aurora():
    assert HELLO_WORLD.interpolate()[0].get() == EXPECTED


def test_schema_names_and_constants():
    assert Job is MesosJob
    assert Service.service().get() is True and Service.has_task() is False
    assert (B, BYTES, KB, MB, GB, TB) == (1, 1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4)
    assert DefaultLifecycleConfig.get() == {'http': HttpLifecycleConfig().get()}
    assert DisableLifecycle.get() == {}
    assert Announcer().portmap().get() == {'aurora': 'http'}
    assert AURORA_EXECUTOR_NAME == 'AuroraExecutor'
    assert RotatePolicy().log_size().get() == 100 * MB


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, 'w') as fp:
        fp.write(text)
    return path


JOB = ("jobs = [Job(cluster='c', role='r', environment='devel', "
       "task=SimpleTask('x', 'echo'))]\n")


def test_load_file_reports_missing_or_bad_jobs():
    r = loader.load_file('a.aurora', 'x = 1\n', [])
    assert r['error']['message'].startswith('no jobs')
    r = loader.load_file('a.aurora', 'jobs = 1\n', [])
    assert r['error']['message'] == "'jobs' must be a list of Job objects, got int"
    r = loader.load_file('a.aurora', "jobs = [Process(name='p')]\n", [])
    assert r['error']['message'] == 'jobs[0] is Process, not a Job'
    r = loader.load_file('a.aurora', 'jobs = []\n', [])
    assert 'empty' in r['error']['message']


def test_load_file_keeps_prints_off_stdout():
    saved = sys.stdout
    r = loader.load_file('a.aurora', 'print("noise")\n' + JOB, [])
    assert r['error'] is None and sys.stdout is saved


def test_exceptions_point_at_the_users_line():
    r = loader.load_file('a.aurora', '\n\nProcess(name=1, nope=2)\n', [])
    assert r['error']['line'] == 3 and 'nope' in r['error']['message']
    r = loader.load_file('a.aurora', 'def f():\n  raise RuntimeError("boom")\nf()\n', [])
    assert (r['error']['line'], r['error']['message']) == (2, 'RuntimeError: boom')
    r = loader.load_file('a.aurora', 'import sys\nsys.exit(3)\n', [])
    assert r['error']['message'] == 'SystemExit: 3'


def test_include_is_relative_to_the_including_file_and_refuses_cycles():
    d = tempfile.mkdtemp()
    os.mkdir(os.path.join(d, 'sub'))
    write(d, 'sub/inner.aurora', "include('leaf.aurora')\n")
    write(d, 'sub/leaf.aurora', "LEAF = 'leaf'\n")
    top = write(d, 'top.aurora', "include('sub/inner.aurora')\nassert LEAF == 'leaf'\n" + JOB)
    r = loader.load_file(top, open(top).read(), [])
    assert r['error'] is None, r
    loop = write(d, 'loop.aurora', "include('loop.aurora')\n")
    r = loader.load_file(loop, open(loop).read(), [])
    assert 'a cycle' in r['error']['message']


def test_bindings_and_keys():
    text = ("jobs = [Job(cluster='c', role='r', environment='{{env}}', name='{{n}}-x', "
            "task=SimpleTask('x', 'echo'))]\n")
    r = loader.load_file('a.aurora', text, [('env', 'devel'), ('n', 'one'), ('n', 'two')])
    job = r['jobs'][0]
    assert (job['cluster'], job['role'], job['environment'], job['name']) == \
        ('c', 'r', 'devel', 'two-x')
    r = loader.load_file('a.aurora', text, [])
    assert r['jobs'][0]['job']['environment'] == '{{env}}'


def test_standard_bindings():
    text = ("jobs = [Job(cluster='c', role='r', environment='devel', "
            "task=SimpleTask('x', '{{mesos.role}} {{mesos.cluster}} {{thermos.user}} "
            "{{mesos.instance}}'))]\n")
    r = loader.load_file('a.aurora', text, [])
    cmdline = r['jobs'][0]['job']['task']['processes'][0]['cmdline']
    assert cmdline == 'r c r {{mesos.instance}}'


def test_load_document():
    r = loader.load_document('j.json', {'jobs': [{'nope': 1}]}, [])
    assert r['error']['message'].startswith("jobs[0]: MesosJob has no attribute 'nope'")
    r = loader.load_document('j.json', {'cluster': 'c', 'role': 'r', 'environment': 'test',
                                        'task': {'processes': [{'name': 'p', 'cmdline': 'x'}],
                                                 'resources': {'cpu': 1, 'ram': 1, 'disk': 1}}}, [])
    assert r['error'] is None and r['jobs'][0]['name'] == 'p'
