"""Runs a .aurora file, or reads an Aurora JSON job document, and turns each job of its
`jobs` list into an Aurora-shaped dict.

Called by src/config/aurora/interpreter.cc with the GIL held. Returns plain data:

    {'error': None or {'file': str, 'line': int, 'message': str},
     'jobs': [{'cluster', 'role', 'environment', 'name': str,
               'error': None or str, 'path': str, 'job': dict or None}]}

A file-level error (syntax, an exception while running, no `jobs`) names the line in the
user's file, never the DSL's. A job-level error names the field path in the job.
"""

import builtins as _builtins
import sys as _sys

from . import aurora_schema, profile, pystachio, thermos_helpers, thermos_schema
from .aurora_schema import MesosJob
from .refs import ConfigError, Empty, Environment, Ref


def _public(module):
    return dict((k, v) for k, v in vars(module).items() if not k.startswith('_'))


def _reduce(function, iterable, *initial):
    it = iter(iterable)
    value = initial[0] if initial else next(it)
    for item in it:
        value = function(value, item)
    return value


# Python 2 spellings many existing .aurora files use (Aurora's client ran Python 2).
_PY2_COMPAT = {
    'map': lambda *a: list(_builtins.map(*a)),
    'filter': lambda *a: list(_builtins.filter(*a)),
    'zip': lambda *a: list(_builtins.zip(*a)),
    'xrange': range,
    'basestring': str,
    'unicode': str,
    'long': int,
    'reduce': _reduce,
}

_SCHEMA = {}
for _module in (pystachio, thermos_schema, thermos_helpers, aurora_schema):
    _SCHEMA.update(_public(_module))
_SCHEMA.pop('ConfigError', None)
# What `borealis manage` gives a template (profile.py); they raise outside it.
_SCHEMA.update(Profile=profile.Profile, make_profile=profile.make_profile,
               artifact=profile.artifact)

_sys.modules.setdefault('pystachio', pystachio)

# Aurora rewrites these deprecated references before anything else binds them.
_STANDARD_BINDINGS = Environment({
    Ref.from_address('mesos.role'): '{{role}}',
    Ref.from_address('mesos.cluster'): '{{cluster}}',
    Ref.from_address('thermos.user'): '{{role}}',
})


class _Session(object):
    """One load: the globals every file of it shares, and the include stack."""

    def __init__(self, top):
        self.top = top
        self.stack = [top]
        self.user_files = set([top])
        self.env = dict(_SCHEMA)
        self.env.update(_PY2_COMPAT)
        self.env['include'] = self.include
        self.env['__name__'] = '__aurora__'
        self.env['__file__'] = top  # an extension: lets a config find files beside it

    def run(self, filename, text):
        exec(compile(text, filename, 'exec'), self.env)

    def include(self, filename):
        """Runs another config file in this one's globals; the path is relative to the
        directory of the file that includes it."""
        if not isinstance(filename, str):
            raise ConfigError('include() takes a file name, got %r' % (filename,))
        import os.path as _path  # not at start: most configs never include
        base = _path.dirname(self.stack[-1])
        resolved = _path.normpath(filename if _path.isabs(filename) else _path.join(base, filename))
        if resolved in self.stack:
            raise ConfigError("include('%s'): %s is already being included (a cycle)" %
                              (filename, resolved))
        try:
            with open(resolved, encoding='utf-8') as fp:
                text = fp.read()
        except OSError as e:
            raise ConfigError("include('%s'): cannot read %s: %s" %
                              (filename, resolved, e.strerror or e))
        self.user_files.add(resolved)
        self.stack.append(resolved)
        self.env['__file__'] = resolved
        try:
            self.run(resolved, text)
        finally:
            self.stack.pop()
            self.env['__file__'] = self.stack[-1]

    def locate(self, exc):
        """(file, line, message) for an exception, at the innermost line of user code."""
        if isinstance(exc, SyntaxError) and exc.filename in self.user_files:
            return exc.filename, exc.lineno or 0, '%s: %s' % (type(exc).__name__, exc.msg)
        filename, line = self.top, 0
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name in self.user_files:
                filename, line = name, tb.tb_lineno
            tb = tb.tb_next
        return filename, line, describe_exception(exc)


def describe_exception(exc):
    if isinstance(exc, ConfigError):
        return '%s: %s' % (exc.path, exc.message) if exc.path else exc.message
    text = str(exc)
    return '%s: %s' % (type(exc).__name__, text) if text else type(exc).__name__


def _file_error(filename, line, message):
    return {'error': {'file': filename, 'line': line, 'message': message}, 'jobs': []}


def _bindings(binds):
    return [Environment({Ref.from_address(k): v}) for k, v in binds]


def _key_text(value):
    if value is Empty:
        return ''
    value = value.get()
    return value if isinstance(value, str) else str(value)


def _best_effort_key(job, out):
    for field in ('cluster', 'role', 'environment', 'name'):
        try:
            out[field] = _key_text(getattr(job, field)())
        except Exception:  # noqa: a broken field is reported elsewhere
            out[field] = ''


def _job_result(job, bindings):
    out = {'cluster': '', 'role': '', 'environment': '', 'name': '', 'error': None, 'path': '',
           'job': None}
    if bindings:
        job = job.bind(*bindings)
    job = job.bind(_STANDARD_BINDINGS)
    try:
        interpolated, _ = job.interpolate()
    except ConfigError as e:
        _best_effort_key(job, out)
        out['error'], out['path'] = e.message, e.path
        return out
    except RecursionError:
        _best_effort_key(job, out)
        out['error'] = 'references nest too deeply (a reference that refers back to itself?)'
        return out
    for field in ('cluster', 'role', 'environment', 'name'):
        out[field] = _key_text(interpolated._data[field])
    errors = []
    interpolated._type_errors('', errors)
    if not errors:
        task = interpolated._data['task']
        if task._data['processes'] is Empty:
            errors.append(('task.processes', 'is required but not set'))
    if errors:
        out['path'], out['error'] = errors[0]
        return out
    out['job'] = interpolated.get()
    return out


def load_file(filename, text, binds, context=None):
    """Runs the text of `filename` and returns its jobs (see the module docstring).
    `context` is the manage context make_profile() and artifact() read (profile.py), set
    for this load only; None leaves the context as it is (none, unless a test set one)."""
    if context is None:
        return _load_file(filename, text, binds)
    profile.set_manage_context(context)
    try:
        return _load_file(filename, text, binds)
    finally:
        profile.set_manage_context(None)


def _load_file(filename, text, binds):
    session = _Session(filename)
    saved_stdout = _sys.stdout
    _sys.stdout = _sys.stderr  # a config's print() must not mix with the CLI's output
    try:
        bindings = _bindings(binds)  # a bad --bind name is reported before running
        session.run(filename, text)
    except BaseException as e:  # noqa: everything a config raises is the user's error
        return _file_error(*session.locate(e))
    finally:
        _sys.stdout = saved_stdout
    jobs = session.env.get('jobs', Empty)
    if jobs is Empty:
        return _file_error(filename, 0, "no jobs: a config must define a list named 'jobs'")
    if not isinstance(jobs, (list, tuple)):
        return _file_error(filename, 0, "'jobs' must be a list of Job objects, got %s" %
                           type(jobs).__name__)
    if not jobs:
        return _file_error(filename, 0, "'jobs' is empty: no job defined in this config")
    for i, job in enumerate(jobs):
        if not isinstance(job, MesosJob):
            return _file_error(filename, 0, 'jobs[%d] is %s, not a Job' %
                               (i, type(job).__name__))
    return {'error': None, 'jobs': [_job_result(job, bindings) for job in jobs]}


def load_document(filename, document, binds):
    """Aurora's --read-json form: one job object, or {"jobs": [...]}."""
    try:
        bindings = _bindings(binds)
    except ConfigError as e:
        return _file_error(filename, 0, describe_exception(e))
    if isinstance(document, dict) and 'jobs' in document:
        items = document['jobs']
        if not isinstance(items, list):
            return _file_error(filename, 0, "'jobs' must be a list of job objects")
        where = 'jobs[%d]'
    else:
        items = [document]
        where = 'job'
    jobs = []
    for i, item in enumerate(items):
        label = where % i if '%' in where else where
        if not isinstance(item, dict):
            return _file_error(filename, 0, '%s: expected a job object' % label)
        try:
            jobs.append(MesosJob(item))
        except ConfigError as e:
            return _file_error(filename, 0, '%s: %s' % (label, describe_exception(e)))
    return {'error': None, 'jobs': [_job_result(job, bindings) for job in jobs]}


def _raises(exc_type, fn, *args, **kw):
    """Test support: the exception of type exc_type that fn(*args, **kw) raises."""
    try:
        fn(*args, **kw)
    except exc_type as e:
        return e
    raise AssertionError('%s not raised' % exc_type.__name__)


def run_tests(filename, source):
    """Test support: runs the test_* functions of `source` (with the DSL's names, ConfigError
    and raises() in its globals); returns [(name, failure)]."""
    env = dict(_SCHEMA)
    env['__name__'] = '__dsl_test__'
    env['ConfigError'] = ConfigError
    env['raises'] = _raises
    exec(compile(source, filename, 'exec'), env)
    results = []
    for name, fn in list(env.items()):
        if not name.startswith('test_') or not callable(fn):
            continue
        try:
            fn()
            results.append((name, ''))
        except BaseException as e:  # noqa: report every failure, keep going
            import traceback
            results.append((name, ''.join(traceback.format_exception(type(e), e,
                                                                     e.__traceback__))))
    return results
