"""make_cmdline(): a process's command line from an executable and options, each option
value quoted for the shell so that it reaches the program literally. See
docs/templates.md.
"""

from .profile import make_profile, manage_context
from .refs import ConfigError
from .types import String

# No stdlib imports (re, shlex): every CLI start loads this module, and they cost ~20 ms.
ALNUM = frozenset('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
_SHELL_SAFE = ALNUM | frozenset('_@%+=:,./-')  # shlex.quote's
_FLAG_CHARS = ALNUM | frozenset('_.:-')


def shell_quote(text):
    """`text` as one shell word: as is when nothing in it is special, else single-quoted
    (what shlex.quote gives)."""
    if text and all(c in _SHELL_SAFE for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def is_flag(text):
    """--name or -n: letters and digits first, then letters, digits, _ . : -."""
    name = text[2:] if text.startswith('--') else text[1:] if text.startswith('-') else ''
    return bool(name) and name[0] in ALNUM and all(c in _FLAG_CHARS for c in name)


def _profile_refs_resolved(text, profile):
    """`text` with its {{profile.*}} references replaced by the profile's values, so that
    quoting applies to the values themselves; other references stay for later binding."""
    if profile is None or '{{profile.' not in text:
        return text
    interpolated, _ = String(text).bind(profile=profile).interpolate()
    return interpolated.get()


def _entries(opts):
    """opts as a list of (flag, value) pairs, value None for a bare entry."""
    if opts is None:
        return []
    if isinstance(opts, dict):
        return list(opts.items())
    if not isinstance(opts, (list, tuple)):
        raise ConfigError('make_cmdline() options must be a dict or a list, got %s' %
                          type(opts).__name__)
    out = []
    for item in opts:
        if isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, dict):
            out.extend(item.items())
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            out.append((item[0], item[1]))
        else:
            raise ConfigError('make_cmdline(): an option is a string, a (flag, value) pair or '
                              'a dict, got %r' % (item,))
    return out


def _render(flag, value, profile):
    if not isinstance(flag, str):
        raise ConfigError('make_cmdline(): an option name must be a string, got %r' % (flag,))
    if value is None:  # a bare entry such as '--workers={{profile.taskargs[workers]}}'
        return shell_quote(_profile_refs_resolved(flag, profile))
    if not is_flag(flag):
        raise ConfigError("make_cmdline(): '%s' is not an option name (--name or -n, letters, "
                          'digits, _ . : -)' % flag)
    if value is True:
        return flag
    if value is False:
        return ''
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise ConfigError('make_cmdline(): the value of %s must be a string, number or '
                          'boolean, got %r' % (flag, value))
    return '%s %s' % (flag, shell_quote(_profile_refs_resolved(value, profile)))


def make_cmdline(executable, opts=None, profile=None):
    """`executable` (a shell fragment, kept as written: './{{pex.pexfile}} server') followed
    by the options, in order. opts is a dict {flag: value} or a list of such dicts,
    (flag, value) pairs and bare strings ('--flag=value'). A value True or None gives the
    flag alone, False leaves the option out, anything else gives `flag 'value'`.

    Values are single-quoted for the shell. {{profile.*}} references in them are resolved
    now (from `profile`, else from `borealis manage`'s profile), so that a taskarg holding
    spaces, quotes or $(...) is passed literally; other references ({{thermos.ports[http]}})
    stay in place, inside the quotes, for the runner to bind.
    """
    if not isinstance(executable, str) or not executable.strip():
        raise ConfigError('make_cmdline() needs an executable, got %r' % (executable,))
    if profile is None:
        profile = make_profile() if manage_context() is not None else None
    words = [executable.strip()]
    for flag, value in _entries(opts):
        rendered = _render(flag, value, profile)
        if rendered:
            words.append(rendered)
    return ' '.join(words)
