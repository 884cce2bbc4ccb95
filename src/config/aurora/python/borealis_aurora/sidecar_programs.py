"""The source of the two small stdlib-only Python 3 programs the API-server pattern runs
beside the server (sidecars.py writes them into the sandbox): an auth proxy and a
health-check answerer. Kept as text because they run in the task, not in the loader.
They must never contain two opening braces in a row (the template syntax).
"""

AUTH_PROXY = r'''
"""Forwards HTTP requests from a public port to 127.0.0.1:<upstream>, only with a valid
credential: `Authorization: Bearer <token>` or Basic `user:password`, each compared with
the lines of the credentials file or the comma-separated values of an environment
variable. Paths listed with --open pass without one. Bounded: request bodies, responses,
timeouts and concurrent connections."""
import argparse
import base64
import binascii
import hmac
import http.client
import http.server
import os
import sys
import threading

MAX_BODY = 1 << 20
MAX_RESPONSE = 16 << 20
MAX_CREDENTIALS_FILE = 1 << 16
TIMEOUT = 30
HOP_BY_HOP = ('connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te',
              'trailers', 'transfer-encoding', 'upgrade', 'authorization', 'content-length')


class Credentials:
    def __init__(self, path, env):
        self.path, self.env, self.stamp, self.values = path, env, None, []
        self.lock = threading.Lock()

    def current(self):
        with self.lock:
            if self.path:
                stamp = os.stat(self.path).st_mtime_ns
                if stamp != self.stamp:
                    with open(self.path, 'rb') as f:
                        text = f.read(MAX_CREDENTIALS_FILE).decode('utf-8', 'replace')
                    self.values = [line.strip().encode() for line in text.splitlines()
                                   if line.strip() and not line.startswith('#')]
                    self.stamp = stamp
            else:
                self.values = [v.strip().encode() for v in os.environ.get(self.env, '').split(',')
                               if v.strip()]
            return self.values


def presented(header):
    scheme, _, value = header.partition(' ')
    if scheme.lower() == 'bearer':
        return value.strip().encode()
    if scheme.lower() == 'basic':
        try:
            return base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            return None
    return None


class Proxy(http.server.BaseHTTPRequestHandler):
    timeout = TIMEOUT
    server_version = 'borealis-auth-proxy'

    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.address_string(), fmt % args))

    def reply(self, code, text, extra=()):
        body = (text + '\n').encode()
        self.send_response(code)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def authorized(self):
        if self.path.split('?', 1)[0] in self.server.open_paths:
            return True
        given = presented(self.headers.get('Authorization', ''))
        if not given:
            return False
        try:
            accepted = self.server.credentials.current()
        except OSError as e:
            self.log_message('cannot read credentials: %s', e)
            return False
        return any(hmac.compare_digest(given, c) for c in accepted)

    def handle_one(self):
        if not self.authorized():
            self.reply(401, 'unauthorized', [('WWW-Authenticate', 'Bearer')])
            return
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            self.reply(411, 'a Content-Length is required')
            return
        try:
            length = int(self.headers.get('Content-Length', '0'))
        except ValueError:
            self.reply(400, 'bad Content-Length')
            return
        if length < 0 or length > MAX_BODY:
            self.reply(413, 'request body over %d bytes' % MAX_BODY)
            return
        body = self.rfile.read(length) if length else None
        headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP)
        headers['X-Forwarded-For'] = self.client_address[0]
        upstream = http.client.HTTPConnection('127.0.0.1', self.server.upstream, timeout=TIMEOUT)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read(MAX_RESPONSE + 1)
        except (OSError, http.client.HTTPException) as e:
            self.reply(502, 'upstream 127.0.0.1:%d: %s' % (self.server.upstream, e))
            return
        finally:
            upstream.close()
        if len(data) > MAX_RESPONSE:
            self.reply(502, 'upstream response over %d bytes' % MAX_RESPONSE)
            return
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_one


class Server(http.server.ThreadingHTTPServer):
    """One thread per connection, at most `slots` of them: a connection over the limit
    (a flood, or clients that never finish their request) is closed at once."""
    daemon_threads = True

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--upstream-port', type=int, required=True)
    parser.add_argument('--credentials-file', default='')
    parser.add_argument('--credentials-env', default='')
    parser.add_argument('--open', action='append', default=[])
    parser.add_argument('--max-connections', type=int, default=64)
    args = parser.parse_args()
    if bool(args.credentials_file) == bool(args.credentials_env):
        sys.exit('auth proxy: give one of --credentials-file and --credentials-env')
    credentials = Credentials(args.credentials_file, args.credentials_env)
    try:
        if not credentials.current():
            sys.exit('auth proxy: no credentials in %s' % (args.credentials_file or
                                                          '$' + args.credentials_env))
    except OSError as e:
        sys.exit('auth proxy: cannot read %s: %s' % (args.credentials_file, e))
    server = Server(('0.0.0.0', args.port), Proxy)
    server.upstream, server.credentials = args.upstream_port, credentials
    server.open_paths = frozenset(p for p in args.open if p)
    server.slots = threading.BoundedSemaphore(args.max_connections)
    server.serve_forever()


main()
'''

HEALTH_CHECK = r'''
"""Answers the agent's health checks for a server that has its own status page: GET
/health probes http://127.0.0.1:<target port><url> and answers `ok` when that gives a 2xx
and every --listening port accepts connections (the auth proxy's). The lifecycle POSTs
(/quitquitquit, /abortabortabort) are passed on to the server; when it does not accept
one (no 2xx) the connection is closed unanswered, so the agent does not wait for it."""
import argparse
import http.client
import http.server
import socket
import sys

MAX_PROBE_BODY = 1 << 16
LIFECYCLE = ('/quitquitquit', '/abortabortabort')


class Checker(http.server.BaseHTTPRequestHandler):
    timeout = 10
    server_version = 'borealis-health-check'

    def log_message(self, fmt, *args):
        pass  # one line per check every few seconds would drown the task's log

    def reply(self, code, text):
        body = (text + '\n').encode()
        self.send_response(code)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def ask(self, method, path):
        conn = http.client.HTTPConnection('127.0.0.1', self.server.target,
                                          timeout=self.server.probe_timeout)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            response.read(MAX_PROBE_BODY)
            return response.status, ''
        except (OSError, http.client.HTTPException) as e:
            return 0, str(e) or type(e).__name__
        finally:
            conn.close()

    def do_GET(self):
        if self.path.split('?', 1)[0] != '/health':
            self.reply(404, 'only /health is served here')
            return
        for port in self.server.listening:
            try:
                socket.create_connection(('127.0.0.1', port), self.server.probe_timeout).close()
            except OSError as e:
                self.reply(503, 'nothing listens on 127.0.0.1:%d: %s' % (port, e))
                return
        status, error = self.ask('GET', self.server.url)
        where = 'GET 127.0.0.1:%d%s' % (self.server.target, self.server.url)
        if 200 <= status < 300:
            self.reply(200, 'ok')
        elif status:
            self.reply(503, '%s answered %d' % (where, status))
        else:
            self.reply(503, '%s: %s' % (where, error))

    def do_POST(self):
        if self.path not in LIFECYCLE:
            self.reply(404, 'not a lifecycle endpoint')
            return
        status, _ = self.ask('POST', self.path)
        if 200 <= status < 300:
            self.reply(200, 'the server is shutting down')
        else:
            self.close_connection = True  # unanswered: nobody to wait for


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--target-port', type=int, required=True)
    parser.add_argument('--url', required=True)
    parser.add_argument('--listening', type=int, action='append', default=[])
    parser.add_argument('--probe-timeout', type=float, default=0.8)
    args = parser.parse_args()
    if not args.url.startswith('/'):
        sys.exit('health check: --url must be a path starting with /, got %r' % args.url)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', args.port), Checker)
    server.daemon_threads = True
    server.target, server.url, server.probe_timeout = args.target_port, args.url, args.probe_timeout
    server.listening = args.listening
    server.serve_forever()


main()
'''
