"""The Thermos part of the schema: processes, tasks, resources, loggers.

Field names, types and defaults are Apache Aurora's (thermos/config/schema_base.py);
see docs/aurora-configs.md.
"""

from .containers import List, Map
from .structs import Default, Required, Struct
from .types import Boolean, Enum, Float, Integer, String
from .refs import Empty

BYTES = 1
B = BYTES
KB = 1024 * BYTES
MB = 1024 * KB
GB = 1024 * MB
TB = 1024 * GB


class ThermosContext(Struct):
    ports = Map(String, Integer)
    task_id = String
    user = String


class Resources(Struct):
    cpu = Required(Float)
    ram = Required(Integer)
    disk = Required(Integer)
    gpu = Default(Integer, 0)


class Constraint(Struct):
    order = List(String)


class RotatePolicy(Struct):
    log_size = Default(Integer, 100 * MB)
    backups = Default(Integer, 5)


LoggerDestination = Enum('LoggerDestination', ('file', 'console', 'both', 'none'))
LoggerMode = Enum('LoggerMode', ('standard', 'rotate'))


class Logger(Struct):
    destination = Default(LoggerDestination, LoggerDestination('file'))
    mode = Default(LoggerMode, LoggerMode('standard'))
    rotate = RotatePolicy


class Process(Struct):
    cmdline = Required(String)
    name = Required(String)
    resources = Resources  # reserved by Thermos, unused
    max_failures = Default(Integer, 1)
    daemon = Default(Boolean, False)
    ephemeral = Default(Boolean, False)
    min_duration = Default(Integer, 5)
    final = Default(Boolean, False)
    logger = Default(Logger, Empty)


class Artifact(Struct):
    # A Borealis extension (docs/artifacts.md): a file the agent fetches, verifies and puts
    # in the sandbox before the processes start.
    uri = Required(String)  # http://, https:// or file:///abs/path
    sha256 = Required(String)  # 64 lowercase hex digits
    name = String  # file name in the sandbox; default: the uri's last path segment


class Task(Struct):
    name = Default(String, '{{processes[0].name}}')
    processes = List(Process)
    constraints = Default(List(Constraint), [])
    resources = Resources
    max_failures = Default(Integer, 1)
    max_concurrency = Default(Integer, 0)
    finalization_wait = Default(Integer, 30)
    user = String
    artifacts = List(Artifact)  # no Default: a task without artifacts keeps Aurora's JSON
