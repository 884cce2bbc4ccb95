"""A real ZooKeeper for end-to-end tests: Debian's `zookeeper` package's jars run by
/usr/bin/java on a loopback port in a temporary directory (the Python side of
src/zk/testing/zookeeper_server.h, same flags).

    zk = start_zookeeper()          # returns once a kazoo client session connects
    ... "--zk", zk.connect_string ...
    zk.stop()                       # or zk.restart() to bring it back with its data

Tests of this repository use ports 30800-30899 for ZooKeeper.
"""
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

JAVA = "/usr/bin/java"
# zookeeper.jar's manifest names its dependencies; a logger binding is all it lacks.
CLASS_PATH = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
FIRST_PORT, LAST_PORT = 30800, 30899
# Startup in about half a second: class data sharing, the C1 compiler only, a small serial
# heap, no fsync, warnings only.
JVM_FLAGS = ["-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
             "-Xms16m", "-Xmx128m", "-Dzookeeper.forceSync=no",
             "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"]


def _die_with_parent():
    # PR_SET_PDEATHSIG: a crashed test run leaves no JVM behind.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def _port_is_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_zookeeper_port():
    for port in range(FIRST_PORT, LAST_PORT + 1):
        if _port_is_free(port):
            return port
    raise RuntimeError(f"no free loopback port in {FIRST_PORT}-{LAST_PORT} for ZooKeeper")


def client_connects(connect_string, timeout):
    """True when a real client (kazoo, Debian's python3-kazoo) gets a session in time."""
    from kazoo.client import KazooClient
    from kazoo.handlers.threading import KazooTimeoutError
    client = KazooClient(hosts=connect_string, timeout=4.0)
    try:
        client.start(timeout=timeout)
        return True
    except KazooTimeoutError:
        return False
    finally:
        client.stop()
        client.close()


class ZooKeeper:
    def __init__(self, port=None, tick_ms=200, start_timeout=30.0):
        for path in (JAVA, "/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"):
            if not os.path.exists(path):
                raise RuntimeError(f"ZooKeeper for tests: {path} is missing "
                                   "(apt-get install zookeeper libslf4j-java)")
        self.port = port or free_zookeeper_port()
        self.connect_string = f"127.0.0.1:{self.port}"
        self.start_timeout = start_timeout
        self.dir = tempfile.mkdtemp(prefix="borealis-zk-")
        self.config = os.path.join(self.dir, "zoo.cfg")
        with open(self.config, "w") as f:
            f.write(f"tickTime={tick_ms}\ndataDir={self.dir}/data\nclientPort={self.port}\n"
                    "clientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
                    "4lw.commands.whitelist=*\npreAllocSize=1024\n")
        self.proc = None
        self.start_seconds = None
        self._launch()

    def _launch(self):
        began = time.monotonic()
        log = open(os.path.join(self.dir, "zookeeper.log"), "ab")
        self.proc = subprocess.Popen(
            [JAVA, *JVM_FLAGS, "-cp", CLASS_PATH,
             "org.apache.zookeeper.server.quorum.QuorumPeerMain", self.config],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=_die_with_parent)
        log.close()
        deadline = began + self.start_timeout
        while _port_is_free(self.port):  # the port first (cheap), then a real client
            if self.proc.poll() is not None:
                raise RuntimeError(f"ZooKeeper on port {self.port} exited at start: {self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"ZooKeeper on port {self.port} did not listen: {self.log()}")
            time.sleep(0.01)
        if not client_connects(self.connect_string, max(1.0, deadline - time.monotonic())):
            self.stop()
            raise RuntimeError(f"ZooKeeper on port {self.port} listens but no client session "
                               f"connected: {self.log()}")
        self.start_seconds = time.monotonic() - began

    def log(self):
        try:
            with open(os.path.join(self.dir, "zookeeper.log"), errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def stop(self):
        """Stops the server (SIGTERM, SIGKILL after 5 s) and keeps its data."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        self._launch()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_zookeeper(**kwargs):
    return ZooKeeper(**kwargs)
