"""What `borealis manage` tells a template about the job it deploys: the merged values of
the job's `<job>.yaml` for one stage (make_profile()) and the build's files in the
artifact store (artifact()). See docs/templates.md.

`borealis manage` sets the context (set_manage_context) before it runs the template and
clears it after; a plain `borealis job create` has none, so both functions say so.
"""

from .refs import ConfigError
from .structs import Default, Struct
from .containers import Map
from .thermos_schema import Artifact
from .types import Float, Integer, String


class Profile(Struct):
    name = String
    user = String
    stage = String
    cluster = String
    buildname = String
    githash = String
    hashtype = String
    cpu = Float
    ram_mb = Integer
    disk_mb = Integer
    instances = Integer
    taskargs = Default(Map(String, String), {})


_context = None


def set_manage_context(ctx):
    """Called by the loader: ctx is {"profile": {...}, "artifacts": {...}} or None."""
    global _context
    if ctx is not None:
        if not isinstance(ctx, dict) or not isinstance(ctx.get('profile'), dict):
            raise ConfigError('the manage context must be a dict with a "profile" dict, got %r'
                              % (ctx,))
        artifacts = ctx.get('artifacts', {})
        if not isinstance(artifacts, dict):
            raise ConfigError('the manage context\'s "artifacts" must be a dict, got %r' %
                              (artifacts,))
    _context = ctx


def manage_context():
    """The context `borealis manage` set, or None."""
    return _context


def _require_context(what):
    # Wording shared with part manage's tests (aurora_loader_test.cc); docs/templates.md
    # says how to use the library without manage (profile=Profile(...)).
    if _context is None:
        raise ConfigError('%s works only under `borealis manage` (it reads the job\'s '
                          '<job>.yaml)' % what)
    return _context


def make_profile():
    """The job's merged <job>.yaml values for the stage being deployed, as a Profile."""
    values = dict(_require_context('make_profile()')['profile'])
    taskargs = values.get('taskargs') or {}
    if not isinstance(taskargs, dict):
        raise ConfigError('profile.taskargs must be a map, got %r' % (taskargs,))
    values['taskargs'] = dict((str(k), str(v)) for k, v in taskargs.items())
    return Profile(**values)


def artifact(file_name):
    """The build's artifact named `file_name` (a file of <store>/<buildname>/<githash>/),
    as an Artifact with its uri, sha256 and name."""
    ctx = _require_context("artifact('%s')" % (file_name,))
    files = ctx.get('artifacts') or {}
    entry = files.get(file_name)
    if entry is None:
        profile = ctx['profile']
        raise ConfigError("artifact('%s'): build %s at %s has no such file in the artifact "
                          'store; it has: %s' % (file_name, profile.get('buildname'),
                                                 profile.get('githash'),
                                                 ', '.join(sorted(files)) or 'no files'))
    return Artifact(uri=entry['uri'], sha256=entry['sha256'], name=file_name)
