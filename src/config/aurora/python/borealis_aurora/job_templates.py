"""make_main_template() and job_template(): a task from groups of processes, and a job
whose key, resources and instances come from the profile. See docs/templates.md.
"""

from .aurora_schema import Job
from .profile import Profile, make_profile
from .refs import ConfigError, Empty
from .thermos_helpers import order
from .thermos_schema import MB, Process, Resources, Task


def make_main_template(process_groups, res=None, name=None, artifacts=None):
    """A Task running the groups side by side; within a group (a list) each process
    starts once the one before it has finished successfully (an order constraint), so an
    installer comes before the server it installs: ([install, server], proxies, checks)."""
    processes, constraints = [], []
    for group in process_groups:
        group = [group] if isinstance(group, Process) else list(group)
        for p in group:
            if not isinstance(p, Process):
                raise ConfigError('make_main_template(): expected processes, got %r' % (p,))
        processes.extend(group)
        if len(group) > 1:
            constraints.extend(order(*group))
    if not processes:
        raise ConfigError('make_main_template(): no processes')
    task = Task(processes=processes, constraints=constraints)
    if res is not None:
        task = task(resources=res)
    if name is not None:
        task = task(name=name)
    if artifacts:
        task = task(artifacts=list(artifacts))
    return task


def profile_value(profile, field, where):
    """A profile field's value, or an error saying which <job>.yaml key sets it."""
    value = getattr(profile, field)()
    if value is Empty:
        raise ConfigError('%s: profile.%s is not set (in the job\'s yaml: %s)' %
                          (where, field, _YAML_KEY.get(field, field)))
    return value.get()


_YAML_KEY = {'cpu': 'config.cpu', 'ram_mb': 'config.ram', 'disk_mb': 'config.disk',
             'instances': 'config.num_instances'}


def resources_template(profile=None):
    """Resources from the profile: cpu, ram_mb and disk_mb (in MiB)."""
    profile = profile if profile is not None else make_profile()
    return Resources(cpu=profile_value(profile, 'cpu', 'resources'),
                     ram=profile_value(profile, 'ram_mb', 'resources') * MB,
                     disk=profile_value(profile, 'disk_mb', 'resources') * MB)


def job_template(task, profile=None, artifacts=None, **job_fields):
    """A Job for the profile: cluster, role, environment and name are {{profile.cluster}},
    {{profile.user}}, {{profile.stage}} and {{profile.name}}, instances the profile's,
    the task's resources the profile's unless it has its own, `artifacts` added to the
    task; other Job fields (service, announce, health_check_config, ...) as given. The
    profile is bound as `profile`."""
    profile = profile if profile is not None else make_profile()
    if not isinstance(profile, Profile):
        raise ConfigError('job_template(): profile must be a Profile, got %r' % (profile,))
    if not isinstance(task, Task):
        raise ConfigError('job_template(): task must be a Task, got %r' % (task,))
    if not task.has_resources():
        task = task(resources=resources_template(profile))
    if artifacts:
        have = list(task.artifacts()) if task.has_artifacts() else []
        task = task(artifacts=have + list(artifacts))
    profile_value(profile, 'instances', 'job_template()')  # set, or say where to set it
    fields = dict(cluster='{{profile.cluster}}', role='{{profile.user}}',
                  environment='{{profile.stage}}', name='{{profile.name}}',
                  instances='{{profile.instances}}')
    fields.update(job_fields)
    return Job(task=task, **fields).bind(profile=profile)
