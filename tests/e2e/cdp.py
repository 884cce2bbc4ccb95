"""Headless Chromium driven over the DevTools protocol, with nothing but the standard
library: Debian's chromium with --remote-debugging-port, and a minimal WebSocket client
(RFC 6455: masked client frames, text messages, no extensions) for its page target."""
import base64
import json
import os
import shutil
import socket
import struct
import tempfile
import time
import urllib.parse
import urllib.request

from cluster import Process

CHROMIUM = "/usr/bin/chromium"


class WebSocket:
    def __init__(self, url, timeout=30):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError(f"{url}: closed during the WebSocket handshake")
            head += chunk
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(f"{url}: handshake refused: {head[:200]!r}")

    def _read(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("the DevTools WebSocket closed")
            out += chunk
        return out

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])  # FIN, text
        n = len(data)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        """The next whole text message (continuation frames joined; pings ignored)."""
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)  # the server does not mask
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the DevTools WebSocket was closed by the browser")
            if opcode in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return message.decode()

    def close(self):
        self.sock.close()


class Browser:
    """A headless Chromium with one page; `port` is its DevTools port (loopback)."""
    def __init__(self, port):
        self.profile = tempfile.mkdtemp(prefix="borealis-chromium-")
        self.proc = Process(
            "chromium",
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking",
             "--remote-allow-origins=*", f"--remote-debugging-port={port}",
             "--remote-debugging-address=127.0.0.1", f"--user-data-dir={self.profile}",
             "--window-size=1280,900", "about:blank"],
            os.path.join(self.profile, "chromium.log")).start()
        self.ws = None
        deadline = time.time() + 30
        while self.ws is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    self.ws = WebSocket(pages[0]["webSocketDebuggerUrl"])
            except OSError:
                pass
            if self.ws is None:
                if time.time() > deadline or not self.proc.alive():
                    with open(self.proc.log_path, errors="replace") as f:
                        log = f.read()[-3000:]
                    raise AssertionError(
                        f"chromium's DevTools did not answer on port {port}:\n{log}")
                time.sleep(0.2)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg["result"]

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise AssertionError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def open(self, url):
        self.call("Page.navigate", url=url)
        self.wait(f"{url} loaded", "document.readyState === 'complete' && "
                  f"location.href === {json.dumps(url)}")

    def wait(self, what, expression, timeout=15):
        """Until `expression` is true; one that throws (the page is between documents, or
        not rendered yet) counts as false until the timeout."""
        deadline = time.time() + timeout
        while True:
            try:
                if self.eval(expression):
                    return
                last = "false"
            except AssertionError as e:
                last = str(e)
            if time.time() > deadline:
                raise AssertionError(f"timed out waiting for {what} ({last}); the page shows:\n"
                                     + str(self.eval("document.body && document.body.innerText"))
                                     [:3000])
            time.sleep(0.05)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        if self.ws:
            self.ws.close()
        self.proc.stop()
        shutil.rmtree(self.profile, ignore_errors=True)
