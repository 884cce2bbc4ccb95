# The template library (borealis.templates, docs/templates.md): the manage context,
# make_cmdline's quoting, the installers and the three job patterns. Run by dsl_test.cc.

import shlex

from borealis.templates import *
from borealis_aurora import loader
from borealis_aurora import profile as manage

SHA = 'ab' * 32
CONTEXT = {
    'profile': {'name': 'eightball', 'user': 'cbe', 'stage': 'prod', 'cluster': 'devcluster',
                'buildname': 'eightball', 'githash': 'c0ffee' * 6 + 'beef', 'hashtype': 'git',
                'cpu': 1.5, 'ram_mb': 300, 'disk_mb': 5000, 'instances': 12,
                'taskargs': {'workers': '34'}},
    'artifacts': {
        'eightball.pex': {'uri': 'file:///store/eightball/x/eightball.pex', 'sha256': SHA},
        'eightball.jar': {'uri': 'http://store/eightball/x/eightball.jar', 'sha256': SHA},
        'site.tar.gz': {'uri': 'http://store/eightball/x/site.tar.gz', 'sha256': SHA},
    },
}
TRICKY = "two words 'single' \"double\" $(touch /tmp/pwned) `id` ; exit 1"


def under_manage(fn, ctx=CONTEXT):
    manage.set_manage_context(ctx)
    try:
        return fn()
    finally:
        manage.set_manage_context(None)


def plain_profile(**taskargs):
    return Profile(name='w', user='www-data', stage='devel', cluster='c', buildname='w',
                   cpu=0.25, ram_mb=64, disk_mb=32, instances=1, taskargs=taskargs)


def job_data(job):
    interpolated, _ = job.interpolate()
    return interpolated.get()


def processes(job):
    return dict((p['name'], p) for p in job_data(job)['task']['processes'])


def test_profile_and_artifact_only_under_manage():
    for fn, name in ((make_profile, 'make_profile()'),
                     (lambda: artifact('eightball.pex'), "artifact('eightball.pex')")):
        e = raises(ConfigError, fn)
        assert e.message.startswith(name + ' works only under `borealis manage`'), e.message
    e = raises(ConfigError, python_worker)
    assert 'works only under `borealis manage`' in e.message, e.message


def test_make_profile_gives_the_typed_fields():
    p = under_manage(make_profile)
    assert p.get() == CONTEXT['profile']
    assert p.cpu().get() == 1.5 and p.instances().get() == 12
    assert (String('{{profile.taskargs[workers]}}/{{profile.githash}}') % {'profile': p}).get() \
        == '34/' + CONTEXT['profile']['githash']
    # taskargs values arrive as YAML scalars wrote them; non-strings become strings.
    ctx = dict(CONTEXT, profile=dict(CONTEXT['profile'], taskargs={'n': 3}))
    assert under_manage(make_profile, ctx).taskargs().get() == {'n': '3'}
    raises(ConfigError, manage.set_manage_context, {'artifacts': {}})


def test_artifact_names_what_the_store_has():
    a = under_manage(lambda: artifact('eightball.pex'))
    assert a.get() == {'uri': 'file:///store/eightball/x/eightball.pex', 'sha256': SHA,
                       'name': 'eightball.pex'}
    e = raises(ConfigError, under_manage, lambda: artifact('nope.pex'))
    assert e.message == ("artifact('nope.pex'): build eightball at %s has no such file in the "
                         'artifact store; it has: eightball.jar, eightball.pex, site.tar.gz'
                         % CONTEXT['profile']['githash']), e.message


def test_make_cmdline_quotes_values_and_keeps_references():
    p = plain_profile(workers='34', tricky=TRICKY)
    line = make_cmdline('./{{pex.pexfile}} server', {
        '--port': '{{thermos.ports[private]}}',
        '--tricky': '{{profile.taskargs[tricky]}}',
        '--workers={{profile.taskargs[workers]}}': None,
        '--verbose': True,
        '--dry-run': False,
        '--n': 3,
    }, profile=p)
    assert line == ("./{{pex.pexfile}} server --port '{{thermos.ports[private]}}' --tricky %s "
                    '--workers=34 --verbose --n 3' % shlex.quote(TRICKY)), line
    # The shell hands the program each value as one literal argument.
    words = shlex.split(line.replace('{{thermos.ports[private]}}', '31000'))
    assert words[words.index('--tricky') + 1] == TRICKY
    # Order is kept for lists too; a bad option name is refused.
    assert make_cmdline('x', [('--b', '1'), '--a', {'--c': 'two words'}]) == \
        "x --b 1 --a --c 'two words'"
    raises(ConfigError, make_cmdline, 'x', {'--a; rm -rf /': '1'})
    raises(ConfigError, make_cmdline, '', {})
    raises(ConfigError, make_cmdline, 'x', {'--a': object()})


def test_install_artifact_by_kind():
    a = Artifact(uri='http://store/b/h/site.tar.gz', sha256=SHA)
    assert artifact_name(a) == 'site.tar.gz'
    p = install_artifact(a)
    assert p.name().get() == 'install_site_tar_gz'
    assert p.cmdline().get().endswith(' && tar -xzf site.tar.gz'), p.cmdline().get()
    z = install_artifact(Artifact(uri='file:///s/a.zip', sha256=SHA, name='a.zip'), verify=True)
    cmd = z.cmdline().get()
    assert "printf '%s  %s\\n' " + SHA + ' a.zip | sha256sum --check --quiet -' in cmd, cmd
    assert 'unzip -q -o a.zip' in cmd and 'python3 -m zipfile -e a.zip .' in cmd, cmd
    pex = install_artifact(Artifact(uri='file:///s/app.pex', sha256=SHA)).cmdline().get()
    assert pex.startswith('test -f app.pex || {') and '&&' not in pex, pex
    blob = Artifact(uri='file:///s/data.bin', sha256=SHA)
    e = raises(ConfigError, install_artifact, blob)
    assert "cannot tell what kind of file 'data.bin' is" in e.message, e.message
    assert install_artifact(blob, kind='tar.gz').cmdline().get().endswith('tar -xzf data.bin')
    assert under_manage(lambda: install_artifact('eightball.jar')).name().get() == \
        'install_eightball_jar'


def test_make_main_template_orders_each_group():
    install, server = Process(name='install', cmdline='i'), Process(name='server', cmdline='s')
    proxy, check = Process(name='proxy', cmdline='p'), Process(name='check', cmdline='c')
    task = make_main_template(([install, server], [proxy], check),
                              res=Resources(cpu=1, ram=MB, disk=MB))
    assert [p.name().get() for p in task.processes()] == ['install', 'server', 'proxy', 'check']
    assert list(task.constraints()) == order(install, server)
    raises(ConfigError, make_main_template, ())
    raises(ConfigError, make_main_template, (['not a process'],))


def test_python_worker_under_manage():
    job = under_manage(python_worker)
    data = job_data(job)
    assert (data['cluster'], data['role'], data['environment'], data['name']) == \
        ('devcluster', 'cbe', 'prod', 'eightball')
    assert data['instances'] == 12 and data['service'] is False
    assert data['task']['resources'] == {'cpu': 1.5, 'ram': 300 * MB, 'disk': 5000 * MB, 'gpu': 0}
    assert data['task']['artifacts'] == [{'uri': 'file:///store/eightball/x/eightball.pex',
                                          'sha256': SHA, 'name': 'eightball.pex'}]
    assert data['task']['constraints'] == [{'order': ['install_eightball_pex', 'worker']}]
    assert processes(job)['worker']['cmdline'] == './eightball.pex --workers 34'


def test_python_worker_without_manage_or_artifacts():
    job = python_worker(profile=plain_profile(workers='2', tricky=TRICKY, service='true'),
                        command='python3 work.py')
    data = job_data(job)
    assert 'artifacts' not in data['task'] and data['task']['constraints'] == []
    assert data['service'] is True and data['environment'] == 'devel'
    assert data['task']['processes'][0]['cmdline'] == \
        'python3 work.py --workers 2 --tricky ' + shlex.quote(TRICKY)
    e = raises(ConfigError, python_worker, profile=plain_profile(**{'bad key': 'x'}),
               command='w')
    assert "taskargs key 'bad key' cannot be an option name" in e.message, e.message
    e = raises(ConfigError, python_worker, profile=plain_profile(service='maybe'), command='w')
    assert 'taskargs.service must be true or false' in e.message, e.message
    tar = dict(CONTEXT, profile=dict(CONTEXT['profile'], taskargs={'artifact': 'site.tar.gz'}))
    e = raises(ConfigError, under_manage, python_worker, tar)
    assert 'site.tar.gz is extracted, not run' in e.message, e.message


def test_python_api_server_has_its_ports_order_and_checks():
    ctx = dict(CONTEXT, profile=dict(CONTEXT['profile'], taskargs={
        'workers': '4', 'credentials_file': '/etc/eightball.tokens',
        'health_url': '/private/stats/', 'open_paths': '/health,/ping'}))
    job = under_manage(python_api_server, ctx)
    data = job_data(job)
    assert data['service'] is True
    assert data['announce']['primary_port'] == 'http'
    assert data['health_check_config']['health_checker'] == \
        {'http': {'endpoint': '/health', 'expected_response': 'ok', 'expected_response_code': 0}}
    ps = processes(job)
    assert list(ps) == ['install_eightball_pex', 'server', 'auth_proxy', 'health_check']
    assert data['task']['constraints'] == [{'order': ['install_eightball_pex', 'server']}]
    assert ps['server']['cmdline'] == \
        "./eightball.pex --port '{{thermos.ports[private]}}' --workers 4"
    proxy = ps['auth_proxy']['cmdline']
    assert proxy.startswith("cat > .borealis_auth_proxy.py <<'BOREALIS_PROGRAM_END'\n"), proxy
    assert proxy.endswith("\nexec python3 .borealis_auth_proxy.py --port '{{thermos.ports[http]}}'"
                          " --upstream-port '{{thermos.ports[private]}}' --credentials-file "
                          '/etc/eightball.tokens --open /health --open /ping '
                          '--max-connections 64'), proxy
    assert ps['health_check']['cmdline'].endswith(
        "--port '{{thermos.ports[health]}}' --target-port '{{thermos.ports[private]}}' "
        "--url /private/stats/ --listening '{{thermos.ports[http]}}'")
    for name in ('auth_proxy', 'health_check'):
        assert (ps[name]['ephemeral'], ps[name]['daemon'], ps[name]['max_failures']) == \
            (True, True, 0), ps[name]
    # The programs the sidecars write are Python that compiles.
    for name in ('auth_proxy', 'health_check'):
        source = ps[name]['cmdline'].split('\n', 1)[1].rsplit('\nBOREALIS_PROGRAM_END\n', 1)[0]
        compile(source, name, 'exec')
    e = raises(ConfigError, under_manage, python_api_server)
    assert 'needs taskargs.credentials_file' in e.message, e.message


def test_jvm_worker_heap_jmx_and_options():
    job = under_manage(lambda: jvm_worker(jmx=True))
    data = job_data(job)
    assert data['service'] is True
    assert data['task']['artifacts'][0]['name'] == 'eightball.jar'
    cmd = processes(job)['worker']['cmdline']
    assert cmd.startswith('java -Xmx225m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError '), cmd
    assert "'-Dcom.sun.management.jmxremote.port={{thermos.ports[jmx]}}'" in cmd, cmd
    assert cmd.endswith(' -jar eightball.jar --workers 34'), cmd
    own = plain_profile(jvm_opts='-Xms64m -XX:+UseSerialGC', heap_percent='50', topic='clicks')
    cmd = processes(jvm_worker(profile=own, jar='/opt/c.jar'))['worker']['cmdline']
    assert cmd == 'java -Xmx32m -Xms64m -XX:+UseSerialGC -jar /opt/c.jar --topic clicks', cmd
    e = raises(ConfigError, jvm_worker, profile=plain_profile(heap_percent='100'), jar='c.jar')
    assert 'heap_percent must be within 10..95' in e.message, e.message


def test_library_jobs_and_loader_bindings():
    e = raises(ConfigError, library_jobs, 'nope')
    assert e.message == ("no library template 'nope': there are borealis/jvm_worker, "
                         'borealis/python_api_server, borealis/python_worker'), e.message
    assert under_manage(lambda: library_jobs('python_worker'))[0].name().get() == 'eightball'
    # A config sees make_profile/artifact/Profile without importing, and the library by import.
    text = ('from borealis.templates import *\n'
            'jobs = [python_worker(command="true")]\n')
    out = under_manage(lambda: loader.load_file('t.aurora', text, []))
    assert out['error'] is None and out['jobs'][0]['error'] is None, out
    assert out['jobs'][0]['job']['task']['processes'][0]['cmdline'] == 'true --workers 34'
    out = loader.load_file('t.aurora', 'p = make_profile()\n', [])
    assert out['error']['line'] == 1 and 'only under `borealis manage`' in \
        out['error']['message'], out


# docs/templates.md's worked example, as written there.
EIGHTBALL_AURORA = '''
from borealis.templates import *

PROFILE = make_profile()
pex = artifact('eightball.pex')

opts = {
  '--port': '{{thermos.ports[private]}}',
  '--workers': '{{profile.taskargs[workers]}}',
  '--logstash_format': 'True',
}
install_eightball = install_artifact(pex)
eightball_server = Process(name = 'eightball',
                           cmdline = make_cmdline('./eightball.pex server', opts))
auth_proxy = get_authproxy_processes(credentials_file = '{{profile.taskargs[credentials_file]}}')
health_check = get_proxy_hc_processes(url = '/private/stats/', port_name = 'private',
                                      listening = ['http'])

MAIN = make_main_template(([install_eightball, eightball_server], auth_proxy, health_check),
                          res = resources_template(PROFILE))

jobs = [job_template(MAIN, PROFILE, artifacts = [pex], service = True,
                     announce = Announcer(primary_port = 'http'),
                     update_config = UpdateConfig(batch_size = 3, watch_secs = 30))]
'''
EIGHTBALL_TASKARGS = {'workers': '34', 'credentials_file': '/etc/borealis/eightball.tokens',
                      'health_url': '/private/stats/', 'command': './eightball.pex server',
                      'artifact': 'eightball.pex'}


def test_the_worked_example_and_its_yaml_only_twin():
    ctx = dict(CONTEXT, profile=dict(CONTEXT['profile'], taskargs=EIGHTBALL_TASKARGS))
    out = under_manage(lambda: loader.load_file('eightball.aurora', EIGHTBALL_AURORA, []), ctx)
    assert out['error'] is None and out['jobs'][0]['error'] is None, out
    custom = out['jobs'][0]['job']
    assert custom['instances'] == 12 and custom['task']['resources']['cpu'] == 1.5
    cmds = dict((p['name'], p['cmdline']) for p in custom['task']['processes'])
    assert list(cmds) == ['install_eightball_pex', 'eightball', 'auth_proxy', 'health_check']
    assert cmds['eightball'] == ("./eightball.pex server --port '{{thermos.ports[private]}}' "
                                 '--workers 34 --logstash_format True'), cmds['eightball']
    # file: borealis/python_api_server gives the same processes from the yaml alone.
    [twin] = under_manage(lambda: library_jobs('python_api_server'), ctx)
    twin = job_data(twin)
    twin_cmds = dict((p['name'], p['cmdline']) for p in twin['task']['processes'])
    assert twin_cmds['server'] == ("./eightball.pex server --port '{{thermos.ports[private]}}' "
                                   '--workers 34'), twin_cmds['server']
    assert twin_cmds['auth_proxy'] == cmds['auth_proxy']
    assert twin_cmds['health_check'] == cmds['health_check']
    assert twin['task']['artifacts'] == custom['task']['artifacts']


def test_shell_quote_is_shlex_quote():
    from borealis_aurora.cmdline import shell_quote
    for text in ('', 'plain', 'a b', "it's", '$(id)', '`id`', 'x;y', '--a=b/c:d,e@f%g+h',
                 'é', '\n', '{{thermos.ports[http]}}', "'", '"'):
        assert shell_quote(text) == shlex.quote(text), text


def test_archives_need_a_command_and_verify_is_a_taskarg():
    ctx = dict(CONTEXT, profile=dict(CONTEXT['profile'], taskargs={
        'artifact': 'site.tar.gz', 'command': './site/run --fast', 'verify': 'true',
        'workers': '2'}))
    job = under_manage(python_worker, ctx)
    ps = processes(job)
    assert list(ps) == ['install_site_tar_gz', 'worker']
    assert 'sha256sum --check' in ps['install_site_tar_gz']['cmdline']
    assert ps['install_site_tar_gz']['cmdline'].endswith(' && tar -xzf site.tar.gz')
    assert ps['worker']['cmdline'] == './site/run --fast --workers 2'
    e = raises(ConfigError, jvm_worker, profile=plain_profile(jvm_opts="-Dx='open"), jar='c.jar')
    assert e.message.startswith('jvm_worker(): jvm_opts: '), e.message


def test_update_policy_from_taskargs():
    job = python_worker(profile=plain_profile(update_batch_size='3', update_watch_secs='0'),
                        command='w')
    data = job_data(job)
    assert (data['update_config']['batch_size'], data['update_config']['watch_secs']) == (3, 0)
    assert data['task']['processes'][0]['cmdline'] == 'w', 'update_* are not program arguments'
    default = job_data(python_worker(profile=plain_profile(), command='w'))['update_config']
    assert (default['batch_size'], default['watch_secs']) == (1, 45)
    given = python_worker(profile=plain_profile(update_batch_size='3'), command='w',
                          update_config=UpdateConfig(batch_size=5))
    assert job_data(given)['update_config']['batch_size'] == 5
    e = raises(ConfigError, python_worker, profile=plain_profile(update_batch_size='0'),
               command='w')
    assert 'taskargs.update_batch_size must be a whole number from 1 to 1000000' in e.message
    e = raises(ConfigError, python_worker, profile=plain_profile(update_watch_secs='-1'),
               command='w')
    assert "taskargs.update_watch_secs must be a whole number from 0 to 1000000, got '-1'" \
        in e.message, e.message
