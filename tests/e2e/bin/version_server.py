#!/usr/bin/env python3
"""A small HTTP service for end-to-end tests of health checks, updates and graceful stops.

    version_server.py --port PORT --version V [--unhealthy] [--health-after SECS]
                      [--exit-after SECS] [--log FILE] [--sick-body-hex HEX]
                      [--timing FILE]

GET /health answers "ok" (200) when healthy, "sick" (500) otherwise; GET /version answers
the version; POST /quitquitquit and /abortabortabort are recorded in --log (one line each)
and answered 200, the first making /health fail, like a draining server. --timing FILE gets
two lines, `healthy T` at the first healthy /health answer and `first-request T` at the first
GET /version (T: time.time()), for measuring how soon a router sends traffic.
"""
import argparse
import http.server
import os
import sys
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--unhealthy", action="store_true", help="never report healthy")
    p.add_argument("--health-after", type=float, default=0, help="healthy only after SECS")
    p.add_argument("--exit-after", type=float, default=0, help="exit 1 after SECS")
    p.add_argument("--log", default="", help="append lifecycle calls here")
    p.add_argument("--sick-body-hex", default="",
                   help="bytes (hex) /health answers when sick, instead of 'sick'")
    p.add_argument("--timing", default="", help="append first healthy/first request times")
    args = p.parse_args()
    started = time.monotonic()
    state = {"draining": False}
    timed = set()
    timed_lock = threading.Lock()

    def time_once(what):
        if not args.timing:
            return
        now = time.time()
        with timed_lock:
            if what in timed:
                return
            timed.add(what)
            with open(args.timing, "a") as f:
                f.write(f"{what} {now:.6f}\n")

    def record(what):
        if args.log:
            with open(args.log, "a") as f:
                f.write(f"{what} {args.version} {os.getpid()}\n")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *a):
            pass

        def answer(self, code, body):
            data = body if isinstance(body, bytes) else body.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/health":
                healthy = (not args.unhealthy and not state["draining"] and
                           time.monotonic() - started >= args.health_after)
                sick = bytes.fromhex(args.sick_body_hex) if args.sick_body_hex else "sick"
                if healthy:
                    time_once("healthy")
                self.answer(200 if healthy else 500, "ok" if healthy else sick)
            elif self.path == "/version":
                time_once("first-request")
                self.answer(200, args.version)
            else:
                self.answer(404, "not found")

        def do_POST(self):
            if self.path in ("/quitquitquit", "/abortabortabort"):
                record(self.path.strip("/"))
                state["draining"] = True
                self.answer(200, "bye")
            else:
                self.answer(404, "not found")

    server = http.server.ThreadingHTTPServer(("0.0.0.0", args.port), Handler)
    if args.exit_after:
        threading.Timer(args.exit_after, lambda: os._exit(1)).start()
    print(f"version {args.version} serving on {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
