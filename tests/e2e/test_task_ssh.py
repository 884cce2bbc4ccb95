"""Issue 13, `task ssh` through the agent, against a real cluster: `borealis task ssh KEY/0`
run on a pseudo-terminal opens bash in the task's sandbox as the task's user (www-data,
not the root agent), with the terminal's size (and its changes), returns the shell's exit
status, and leaves the terminal as it found it. A user without a grant for the role is
refused (exit 30) before anything opens."""
import fcntl
import os
import re
import select
import struct
import termios
import time

from cluster import BOREALIS, Cluster, wait_for

PORTS = (9500, 9519)
# Terminal control sequences (bash turns bracketed paste on and off around each prompt).
ESCAPES = re.compile(r"\x1b\[[?0-9;]*[a-zA-Z]")



def test_task_ssh_through_the_agent():
    c = Cluster(users={"alice": {"roles": ["www-data"], "prod_roles": ["www-data"]},
                       "bob": {"roles": ["other"]},
                       "agent-host-a": {"agents": ["host-a"]}})
    try:
        c.start_scheduler()
        c.add_agent("host-a", PORTS)
        status, body = c.api("POST", "/api/v1/jobs", c.job("shell", "sleep 3600"))
        assert status == 201, body
        check_shells(c, c.key("shell"))
    finally:
        c.cleanup()


def check_shells(c, key):
    [task] = c.running("shell", 1)
    [view] = [t for t in c.agent_tasks("host-a") if t["task_id"] == task["task_id"]]
    work_dir = view["sandbox"] + "/sandbox"

    shell = PtyCli(c, "alice", "task", "ssh", key + "/0", rows=40, cols=120)
    try:
        shell.wait_output("a prompt", lambda out: "bash-" in out)
        shell.type("stty size\n")
        shell.wait_output("the first size", lambda out: "40 120" in lines(out))
        shell.resize(50, 132)  # the kernel sends the CLI a SIGWINCH

        def resized(out):
            if "50 132" in lines(out):
                return True
            shell.type("stty size\n")  # until the new size arrived
            return False
        shell.wait_output("the new size", resized, interval=0.5)
        shell.type("id -un; pwd; exit 3\n")
        code = shell.wait_exit()
        assert "www-data" in lines(shell.output()), shell.output()
        assert work_dir in lines(shell.output()), shell.output()
        assert code == 3, (code, shell.output())
        attrs = termios.tcgetattr(shell.slave)
        assert attrs[3] & termios.ECHO and attrs[3] & termios.ICANON, "terminal left raw"
    finally:
        shell.close()

    bob = PtyCli(c, "bob", "task", "ssh", key + "/0")
    try:
        assert bob.wait_exit() == 30, bob.output()
        assert "a shell in a task needs a grant for its role" in bob.output(), bob.output()
    finally:
        bob.close()


def lines(out):
    """The terminal's lines, without the carriage returns around them."""
    return [line.strip("\r") for line in out.split("\n")]


class PtyCli:
    """`borealis ARGS...` on a new pseudo-terminal, as `user`, as a person at a terminal runs
    it: the terminal is its controlling one, so resizing it sends SIGWINCH."""

    def __init__(self, c, user, *args, rows=24, cols=80):
        self.master, self.slave = os.openpty()
        self.set_size(rows, cols)
        env = dict(os.environ, BOREALIS_CONFIG_DIR=c.config_dir, TERM="xterm",
                   BOREALIS_TOKEN=c.tokens[user])
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.master)
            os.login_tty(self.slave)
            os.execve(BOREALIS, [BOREALIS, *args], env)
        self.out = b""
        self.code = None

    def set_size(self, rows, cols):
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def resize(self, rows, cols):
        self.set_size(rows, cols)

    def type(self, text):
        os.write(self.master, text.encode())

    def read_some(self, timeout):
        """Whether bytes came within `timeout`."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every holder of the other side closed it
            return False
        self.out += data
        return bool(data)

    def output(self):
        """What the terminal showed, without its control sequences."""
        return ESCAPES.sub("", self.out.decode(errors="replace"))

    def wait_output(self, what, predicate, timeout=30, interval=0.1):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.output()):
                return
            self.read_some(interval)
        raise AssertionError(f"timed out waiting for {what}; output:\n{self.output()}")

    def wait_exit(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                while self.read_some(0.2) and time.monotonic() < deadline:
                    pass
                self.code = os.waitstatus_to_exitcode(status)
                return self.code
            self.read_some(0.1)
        raise AssertionError(f"`borealis` did not exit; output:\n{self.output()}")

    def close(self):
        if self.code is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except ProcessLookupError:
                pass
        os.close(self.master)
        os.close(self.slave)
