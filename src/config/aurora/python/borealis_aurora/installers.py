"""Artifact installers: a Process that makes an artifact the agent put in the sandbox
ready to run. The agent fetches, verifies and places each of the task's `artifacts` at
`sandbox/<name>` (root-owned, read-only) before any process starts; the installer runs as
the task's user in the sandbox and extracts archives there. See docs/templates.md.
"""

from .cmdline import ALNUM, shell_quote
from .profile import artifact
from .refs import ConfigError
from .thermos_schema import Artifact, Process

# File-name endings and the kind they mean, longest first.
_SUFFIXES = (('.tar.gz', 'tar.gz'), ('.tgz', 'tar.gz'), ('.zip', 'zip'), ('.jar', 'jar'),
             ('.pex', 'pex'), ('.pyz', 'zipapp'))
KINDS = ('tar.gz', 'zip', 'jar', 'pex', 'zipapp', 'file')

# unzip when the host has it; else Python's zipfile, which also refuses to write outside
# the destination (absolute names and '..' are stripped).
_UNZIP = ('if command -v unzip >/dev/null 2>&1; then unzip -q -o {name}; '
          'else python3 -m zipfile -e {name} .; fi')


def artifact_name(a):
    """The artifact's file name in the sandbox: its name, else the uri's last segment."""
    if a.has_name():
        return a.name().get()
    return a.uri().get().rstrip('/').rsplit('/', 1)[-1]


def artifact_kind(file_name):
    """The kind a file name's ending means, or None."""
    lower = file_name.lower()
    for suffix, kind in _SUFFIXES:
        if lower.endswith(suffix):
            return kind
    return None


def _as_artifact(a):
    if isinstance(a, str):
        return artifact(a)
    if isinstance(a, Artifact):
        return a
    raise ConfigError('install_artifact() takes an Artifact or a file name, got %r' % (a,))


def install_artifact(a, kind=None, verify=False):
    """A Process named install_<name> that checks the artifact is in the sandbox, with
    verify=True checks its sha256 again, and extracts it (tar.gz, zip); jar, pex, zipapp
    and plain files are used in place. `kind` overrides the kind the name's ending gives."""
    a = _as_artifact(a)
    name = artifact_name(a)
    if not name:
        raise ConfigError('install_artifact(): the artifact %s has no file name' % a.uri().get())
    kind = kind or artifact_kind(name)
    if kind not in KINDS:
        raise ConfigError("install_artifact(): cannot tell what kind of file '%s' is; pass "
                          'kind= one of %s' % (name, ', '.join(KINDS)))
    quoted = shell_quote(name)
    steps = ['test -f {q} || {{ echo {msg} >&2; exit 1; }}'.format(
        q=quoted, msg=shell_quote('%s is not in the sandbox: is it in the task\'s artifacts?' %
                                  name))]
    if verify:
        steps.append("printf '%s  %s\\n' {sha} {q} | sha256sum --check --quiet -".format(
            sha=shell_quote(a.sha256().get()), q=quoted))
    if kind == 'tar.gz':
        steps.append('tar -xzf %s' % quoted)
    elif kind == 'zip':
        steps.append(_UNZIP.format(name=quoted))
    return Process(name='install_' + ''.join(c if c in ALNUM else '_' for c in name),
                   cmdline=' && '.join(steps))
