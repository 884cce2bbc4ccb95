"""The manage context: what `borealis manage` tells a template about the job it deploys.

The loader calls set_manage_context(ctx) before it runs the template and
set_manage_context(None) after. ctx is {"profile": {...}, "artifacts": {name: {uri, sha256}}}
(docs/manage.md). Outside `borealis manage` there is no context, and make_profile() and
artifact() say so.

This is the manage part's minimal version; the template library's replaces it.
"""

from .containers import Map
from .refs import ConfigError
from .structs import Struct
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
    taskargs = Map(String, String)


_context = None


def set_manage_context(ctx):
    global _context
    _context = ctx


def _context_for(what):
    if _context is None:
        raise ConfigError('%s works only under `borealis manage` (it reads the job\'s '
                          '<job>.yaml)' % what)
    return _context


def make_profile():
    """The job's stage file merged for the stage being deployed."""
    return Profile(**_context_for('make_profile()')['profile'])


def artifact(file_name):
    """The build's file `file_name` in the artifact store, as an Artifact."""
    ctx = _context_for("artifact('%s')" % (file_name,))
    files = ctx.get('artifacts') or {}
    if file_name not in files:
        profile = ctx['profile']
        raise ConfigError("artifact('%s'): build %s at %s has no such file in the artifact "
                          'store; it has: %s' % (file_name, profile.get('buildname'),
                                                 profile.get('githash'),
                                                 ', '.join(sorted(files)) or 'no files'))
    entry = files[file_name]
    return Artifact(uri=entry['uri'], sha256=entry['sha256'], name=file_name)
