"""The Aurora part of the schema: jobs, update and health-check settings, announcers,
containers, SLA policies. Field names, types and defaults are Apache Aurora's
(aurora/config/schema/base.py); see docs/aurora-configs.md.
"""

from .containers import Choice, List, Map
from .structs import Default, Required, Struct
from .thermos_schema import Task
from .types import Boolean, Enum, Float, Integer, String

AURORA_EXECUTOR_NAME = 'AuroraExecutor'


class MesosContext(Struct):
    instance = Required(Integer)
    hostname = Required(String)


class QueueUpdateStrategy(Struct):
    batch_size = Default(Integer, 1)


class BatchUpdateStrategy(Struct):
    batch_size = Default(Integer, 1)
    autopause_after_batch = Default(Boolean, False)


class VariableBatchUpdateStrategy(Struct):
    batch_sizes = Required(List(Integer))
    autopause_after_batch = Default(Boolean, False)


class UpdateConfig(Struct):
    batch_size = Default(Integer, 1)
    watch_secs = Default(Integer, 45)
    max_per_shard_failures = Default(Integer, 0)
    max_total_failures = Default(Integer, 0)
    rollback_on_failure = Default(Boolean, True)
    wait_for_batch_completion = Default(Boolean, False)
    pulse_interval_secs = Integer
    sla_aware = Default(Boolean, False)
    update_strategy = Choice([QueueUpdateStrategy, BatchUpdateStrategy,
                              VariableBatchUpdateStrategy])


class HttpHealthChecker(Struct):
    endpoint = Default(String, '/health')
    expected_response = Default(String, 'ok')
    expected_response_code = Default(Integer, 0)


class ShellHealthChecker(Struct):
    shell_command = Required(String)


class HealthCheckerConfig(Struct):
    http = HttpHealthChecker
    shell = ShellHealthChecker


DefaultHealthChecker = HealthCheckerConfig(http=HttpHealthChecker())


class HealthCheckConfig(Struct):
    health_checker = Default(HealthCheckerConfig, DefaultHealthChecker)
    initial_interval_secs = Default(Float, 15.0)
    interval_secs = Default(Float, 10.0)
    max_consecutive_failures = Default(Integer, 0)
    min_consecutive_successes = Default(Integer, 1)
    timeout_secs = Default(Float, 1.0)


class HttpLifecycleConfig(Struct):
    port = Default(String, 'health')
    graceful_shutdown_endpoint = Default(String, '/quitquitquit')
    shutdown_endpoint = Default(String, '/abortabortabort')
    graceful_shutdown_wait_secs = Default(Integer, 5)
    shutdown_wait_secs = Default(Integer, 5)


class LifecycleConfig(Struct):
    http = HttpLifecycleConfig


DisableLifecycle = LifecycleConfig()
DefaultLifecycleConfig = LifecycleConfig(http=HttpLifecycleConfig())


class Announcer(Struct):
    primary_port = Default(String, 'http')
    # Aliases ('aurora' -> 'http') and static ports ('http' -> 80).
    portmap = Default(Map(String, String), {'aurora': '{{primary_port}}'})
    zk_path = String


class MesosTaskInstance(Struct):
    task = Required(Task)
    instance = Required(Integer)
    role = Required(String)
    announce = Announcer
    environment = Required(String)
    health_check_config = Default(HealthCheckConfig, HealthCheckConfig())
    lifecycle = LifecycleConfig


class Parameter(Struct):
    name = Required(String)
    value = Required(String)


class Docker(Struct):
    image = Required(String)
    parameters = Default(List(Parameter), [])


class AppcImage(Struct):
    name = Required(String)
    image_id = Required(String)


class DockerImage(Struct):
    name = Required(String)
    tag = Required(String)


Mode = Enum('Mode', ('RO', 'RW'))


class Volume(Struct):
    container_path = Required(String)
    host_path = Required(String)
    mode = Required(Mode)


class Mesos(Struct):
    image = Choice([AppcImage, DockerImage])
    volumes = Default(List(Volume), [])


class Container(Struct):
    docker = Docker


class PartitionPolicy(Struct):
    reschedule = Default(Boolean, True)
    delay_secs = Default(Integer, 0)


class Metadata(Struct):
    key = Required(String)
    value = Required(String)


class ExecutorConfig(Struct):
    name = Default(String, AURORA_EXECUTOR_NAME)
    data = Default(String, '')


class PercentageSlaPolicy(Struct):
    percentage = Required(Float)
    duration_secs = Required(Integer)


class CountSlaPolicy(Struct):
    count = Required(Integer)
    duration_secs = Required(Integer)


class CoordinatorSlaPolicy(Struct):
    coordinator_url = Required(String)
    status_key = Default(String, 'drain')


class MesosJob(Struct):
    name = Default(String, '{{task.name}}')
    role = Required(String)
    contact = String
    cluster = Required(String)
    environment = Required(String)
    instances = Default(Integer, 1)
    task = Required(Task)
    announce = Announcer
    tier = String
    cron_schedule = String
    cron_collision_policy = Default(String, 'KILL_EXISTING')
    update_config = Default(UpdateConfig, UpdateConfig())
    constraints = Map(String, String)
    metadata = Default(List(Metadata), [])
    service = Default(Boolean, False)
    max_task_failures = Default(Integer, 1)
    production = Default(Boolean, False)
    priority = Default(Integer, 0)
    health_check_config = Default(HealthCheckConfig, HealthCheckConfig())
    lifecycle = Default(LifecycleConfig, DefaultLifecycleConfig)
    task_links = Map(String, String)
    executor_config = Default(ExecutorConfig, ExecutorConfig())
    enable_hooks = Default(Boolean, False)
    partition_policy = PartitionPolicy
    sla_policy = Choice([CoordinatorSlaPolicy, CountSlaPolicy, PercentageSlaPolicy])
    # Container(docker=...) is Aurora's deprecated spelling of Docker(...).
    container = Choice([Container, Docker, Mesos])


Job = MesosJob
Service = Job(service=True)
