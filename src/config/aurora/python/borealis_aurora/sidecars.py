"""The processes an API server runs beside it (the talk's get_authproxy_processes() and
get_proxy_hc_processes()): each writes its program (sidecar_programs.py) into the
sandbox and runs it with python3. See docs/templates.md.
"""

from .cmdline import make_cmdline
from .refs import ConfigError
from .sidecar_programs import AUTH_PROXY, HEALTH_CHECK
from .thermos_schema import Process

_END = 'BOREALIS_PROGRAM_END'


def _program_process(name, source, opts, profile):
    """A Process that writes `source` to .borealis_<name>.py and execs it with opts."""
    path = '.borealis_%s.py' % name
    run = make_cmdline('exec python3 %s' % path, opts, profile=profile)
    # A quoted heredoc: the shell expands nothing in the program.
    # Ephemeral: the task ends when its server does (after a graceful shutdown too);
    # restarted whenever they exit, a second later.
    return Process(name=name, cmdline="cat > %s <<'%s'\n%s\n%s\n%s" %
                   (path, _END, source.strip('\n'), _END, run),
                   ephemeral=True, daemon=True, max_failures=0, min_duration=1)


def _port(name):
    return '{{thermos.ports[%s]}}' % name


def auth_proxy_processes(credentials_file=None, credentials_env=None, open_paths=('/health',),
                         port='http', upstream_port='private', name='auth_proxy',
                         max_connections=64, profile=None):
    """[the auth proxy]: listens on the named port `port` on all interfaces and forwards
    to 127.0.0.1:<upstream_port> requests that carry a credential from `credentials_file`
    (one per line: a bearer token, or user:password for Basic) or from the environment
    variable `credentials_env` (comma-separated); `open_paths` pass without one."""
    if bool(credentials_file) == bool(credentials_env):
        raise ConfigError('auth_proxy_processes() needs one of credentials_file and '
                          'credentials_env')
    if isinstance(open_paths, str):
        open_paths = [p for p in open_paths.split(',') if p]
    opts = [('--port', _port(port)), ('--upstream-port', _port(upstream_port))]
    if credentials_file:
        opts.append(('--credentials-file', credentials_file))
    else:
        opts.append(('--credentials-env', credentials_env))
    opts += [('--open', p) for p in open_paths]
    opts.append(('--max-connections', int(max_connections)))
    return [_program_process(name, AUTH_PROXY, opts, profile)]


def health_check_processes(url='/health', port_name='private', port='health',
                           listening=(), name='health_check', profile=None):
    """[the health-check answerer]: serves GET /health on the named port `port` (the one
    the agent checks) by probing http://127.0.0.1:<port_name><url>, and checking that
    the named ports `listening` (the auth proxy's) accept connections."""
    if not isinstance(url, str) or not (url.startswith('/') or url.startswith('{{')):
        raise ConfigError("health_check_processes(): url must be a path starting with /, "
                          'got %r' % (url,))
    opts = [('--port', _port(port)), ('--target-port', _port(port_name)), ('--url', url)]
    opts += [('--listening', _port(p)) for p in listening]
    return [_program_process(name, HEALTH_CHECK, opts, profile)]


# The talk's names.
get_authproxy_processes = auth_proxy_processes
get_proxy_hc_processes = health_check_processes
