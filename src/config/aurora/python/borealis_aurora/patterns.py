"""The talk's three job patterns, each one call that turns a profile (the job's yaml)
into a Job: python_worker(), python_api_server(), jvm_worker(). See docs/templates.md
for their parameters and the taskargs each reads.
"""

from .aurora_schema import (Announcer, HealthCheckConfig, HealthCheckerConfig, HttpHealthChecker,
                            UpdateConfig)
from .cmdline import ALNUM, make_cmdline, shell_quote
from .installers import artifact_kind, artifact_name, install_artifact
from .job_templates import job_template, make_main_template, profile_value
from .profile import artifact as store_artifact
from .profile import make_profile
from .refs import ConfigError
from .sidecars import auth_proxy_processes, health_check_processes
from .thermos_schema import Process

# Taskargs a pattern reads itself; every other taskarg becomes a --KEY VALUE argument.
_COMMON_KEYS = ('artifact', 'command', 'service', 'verify', 'update_batch_size',
                'update_watch_secs')
_API_KEYS = ('credentials_file', 'credentials_env', 'open_paths', 'health_url')
_JVM_KEYS = ('jvm_opts', 'heap_percent', 'jmx')
_ARG_KEY_CHARS = ALNUM | frozenset('_-')
DEFAULT_JVM_OPTS = ('-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError',
                    '-Xlog:gc*:file=gc.log:time,uptime:filecount=5,filesize=10m')


def _taskargs(profile):
    return dict(profile.taskargs().get())


def _flag(profile, key, given, default, where):
    """A boolean from the parameter, else the taskarg `key`, else the default."""
    if given is not None:
        return bool(given)
    text = _taskargs(profile).get(key)
    if text is None:
        return default
    if text.lower() in ('true', 'yes', 'on', '1'):
        return True
    if text.lower() in ('false', 'no', 'off', '0'):
        return False
    raise ConfigError("%s: taskargs.%s must be true or false, got '%s'" % (where, key, text))


def _count(profile, key, where, minimum):
    """A whole number from the taskarg `key`, or None when it is not set."""
    text = _taskargs(profile).get(key)
    if text is None:
        return None
    if not (text.isdigit() and minimum <= int(text) <= 1000000):
        raise ConfigError("%s: taskargs.%s must be a whole number from %d to 1000000, got '%s'"
                          % (where, key, minimum, text))
    return int(text)


def _job(task, profile, artifacts, where, job_fields):
    """job_template() with the update policy the taskargs update_batch_size and
    update_watch_secs ask for (Aurora's UpdateConfig defaults otherwise), unless the caller
    gave an update_config."""
    batch = _count(profile, 'update_batch_size', where, 1)
    watch = _count(profile, 'update_watch_secs', where, 0)
    if 'update_config' not in job_fields and (batch is not None or watch is not None):
        update = {}
        if batch is not None:
            update['batch_size'] = batch
        if watch is not None:
            update['watch_secs'] = watch
        job_fields['update_config'] = UpdateConfig(**update)
    return job_template(task, profile, artifacts=artifacts, **job_fields)


def taskarg_options(profile, reserved=(), where='taskargs'):
    """Every taskarg not in `reserved` as ('--KEY', '{{profile.taskargs[KEY]}}'), in order."""
    out = []
    for key in _taskargs(profile):
        if key in _COMMON_KEYS or key in reserved:
            continue
        if not (key[:1] in ALNUM and all(c in _ARG_KEY_CHARS for c in key)):
            raise ConfigError("%s: taskargs key '%s' cannot be an option name (letters, "
                              'digits, _ and -)' % (where, key))
        out.append(('--' + key, '{{profile.taskargs[%s]}}' % key))
    return out


def _install(profile, a, verify, where):
    """(the installer process, the Artifact) for an Artifact or a file name in the store."""
    a = store_artifact(a) if isinstance(a, str) else a
    return install_artifact(a, verify=_flag(profile, 'verify', verify, False, where)), a


def _program(profile, artifact, command, default_suffix, verify, where):
    """(processes to run first, the task's artifacts, the executable) for a pattern's
    main process: `command` runs as given; without it the build's artifact (by default
    <buildname><default_suffix>) is run in place."""
    taskargs = _taskargs(profile)
    command = command or taskargs.get('command')
    name = artifact or taskargs.get('artifact')
    if name is None and command is None:
        name = profile_value(profile, 'buildname', where) + default_suffix
    if name is None:
        return [], [], command
    installer, a = _install(profile, name, verify, where)
    if command is None:
        file_name = artifact_name(a)
        kind = artifact_kind(file_name)
        if kind == 'pex':
            command = './' + shell_quote(file_name)
        elif kind in ('zipapp', 'jar'):
            command = ('python3 ' if kind == 'zipapp' else 'java -jar ') + shell_quote(file_name)
        else:
            raise ConfigError("%s: %s is extracted, not run: give a command (taskargs.command) "
                              'that runs what it holds' % (where, file_name))
    return [installer], [a], command


def python_worker(profile=None, artifact=None, command=None, args=None, service=None,
                  verify=None, **job_fields):
    """A worker: installs the build's pex (or the artifact named) and runs it, or runs
    `command`, with every other taskarg as --KEY VALUE (or `args`, a make_cmdline() opts)."""
    profile = profile if profile is not None else make_profile()
    where = 'python_worker()'
    first, artifacts, executable = _program(profile, artifact, command, '.pex', verify, where)
    opts = args if args is not None else taskarg_options(profile, where=where)
    worker = Process(name='worker', cmdline=make_cmdline(executable, opts, profile=profile))
    task = make_main_template([first + [worker]], name=profile_value(profile, 'name', where))
    job_fields.setdefault('service', _flag(profile, 'service', service, False, where))
    return _job(task, profile, artifacts, where, job_fields)


def python_api_server(profile=None, artifact=None, command=None, args=None, health_url=None,
                      credentials_file=None, credentials_env=None, open_paths=None,
                      verify=None, **job_fields):
    """An API server on the port `private`, behind the auth proxy on `http` (announced)
    and with a health-check process on `health` that probes the server's `health_url`."""
    profile = profile if profile is not None else make_profile()
    where = 'python_api_server()'
    taskargs = _taskargs(profile)
    first, artifacts, executable = _program(profile, artifact, command, '.pex', verify, where)
    if args is None:
        args = [('--port', '{{thermos.ports[private]}}')] + taskarg_options(profile, _API_KEYS,
                                                                            where)
    server = Process(name='server', cmdline=make_cmdline(executable, args, profile=profile))
    credentials_file = credentials_file or taskargs.get('credentials_file')
    credentials_env = credentials_env or taskargs.get('credentials_env')
    if not credentials_file and not credentials_env:
        raise ConfigError('%s: the auth proxy needs taskargs.credentials_file (a file of '
                          'accepted tokens, one per line) or taskargs.credentials_env' % where)
    proxy = auth_proxy_processes(credentials_file=credentials_file,
                                 credentials_env=credentials_env,
                                 open_paths=open_paths or taskargs.get('open_paths', '/health'),
                                 profile=profile)
    checker = health_check_processes(url=health_url or taskargs.get('health_url', '/health'),
                                     listening=('http',), profile=profile)
    task = make_main_template((first + [server], proxy, checker),
                              name=profile_value(profile, 'name', where))
    job_fields.setdefault('service', _flag(profile, 'service', None, True, where))
    job_fields.setdefault('announce', Announcer(primary_port='http'))
    job_fields.setdefault('health_check_config', HealthCheckConfig(
        health_checker=HealthCheckerConfig(http=HttpHealthChecker(endpoint='/health',
                                                                  expected_response='ok'))))
    return _job(task, profile, artifacts, where, job_fields)


def jvm_options(profile, jvm_opts=None, heap_percent=None, jmx=None, where='jvm_options()'):
    """The JVM's options: taskargs.jvm_opts (or `jvm_opts`) else DEFAULT_JVM_OPTS, plus
    -Xmx<heap_percent % of ram_mb>m unless they set -Xmx, plus JMX on the port `jmx`."""
    taskargs = _taskargs(profile)
    text = jvm_opts if jvm_opts is not None else taskargs.get('jvm_opts')
    if text is None:
        opts = list(DEFAULT_JVM_OPTS)
    else:
        import shlex  # only here: see cmdline.py on stdlib imports
        try:
            opts = shlex.split(text)
        except ValueError as e:
            raise ConfigError('%s: jvm_opts: %s' % (where, e))
    percent = heap_percent if heap_percent is not None else taskargs.get('heap_percent', '75')
    try:
        percent = int(percent)
    except ValueError:
        raise ConfigError("%s: heap_percent must be a whole number, got '%s'" % (where, percent))
    if not 10 <= percent <= 95:
        raise ConfigError('%s: heap_percent must be within 10..95 (headroom for the JVM '
                          'itself), got %d' % (where, percent))
    if not any(o.startswith('-Xmx') for o in opts):
        opts.insert(0, '-Xmx%dm' % (profile_value(profile, 'ram_mb', where) * percent // 100))
    if _flag(profile, 'jmx', jmx, False, where):
        port = '{{thermos.ports[jmx]}}'
        opts += ['-Dcom.sun.management.jmxremote.port=' + port,
                 '-Dcom.sun.management.jmxremote.rmi.port=' + port,
                 '-Dcom.sun.management.jmxremote.authenticate=false',
                 '-Dcom.sun.management.jmxremote.ssl=false',
                 '-Djava.rmi.server.hostname={{mesos.hostname}}']
    return opts


def jvm_worker(profile=None, artifact=None, jar=None, args=None, jvm_opts=None,
               heap_percent=None, jmx=None, service=None, verify=None, **job_fields):
    """A JVM worker (a Kafka consumer): `java <jvm options> -jar <jar> <args>`, the jar
    being the build's <buildname>.jar (or the artifact named, or the path `jar`)."""
    profile = profile if profile is not None else make_profile()
    where = 'jvm_worker()'
    if jar is not None:
        first, artifacts, jar_name = [], [], jar
    else:
        name = (artifact or _taskargs(profile).get('artifact') or
                profile_value(profile, 'buildname', where) + '.jar')
        installer, a = _install(profile, name, verify, where)
        first, artifacts, jar_name = [installer], [a], artifact_name(a)
    opts = jvm_options(profile, jvm_opts, heap_percent, jmx, where)
    opts.append(('-jar', jar_name))
    if args is None:
        opts += taskarg_options(profile, _JVM_KEYS, where)
    elif isinstance(args, dict):
        opts.append(args)
    else:
        opts.extend(args)
    worker = Process(name='worker', cmdline=make_cmdline('java', opts, profile=profile))
    task = make_main_template([first + [worker]], name=profile_value(profile, 'name', where))
    job_fields.setdefault('service', _flag(profile, 'service', service, True, where))
    return _job(task, profile, artifacts, where, job_fields)


LIBRARY = {'python_worker': python_worker, 'python_api_server': python_api_server,
           'jvm_worker': jvm_worker}


def library_jobs(name):
    """The jobs of the library template `name` (a <job>.yaml's `file: borealis/<name>`)."""
    pattern = LIBRARY.get(name)
    if pattern is None:
        raise ConfigError("no library template '%s': there are %s" %
                          (name, ', '.join('borealis/' + n for n in sorted(LIBRARY))))
    return [pattern()]
