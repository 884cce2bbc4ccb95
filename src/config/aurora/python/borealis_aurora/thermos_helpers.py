"""Helpers for composing tasks: order(), SequentialTask, SimpleTask, Tasks.combine and
Tasks.concat, option rendering. Semantics follow Apache Aurora's schema_helpers.

Where Aurora merges processes and constraints through a set (arbitrary order), we keep
the first occurrence in input order, so a file always loads to the same JobSpec.
"""

from .containers import List
from .refs import Empty
from .thermos_schema import GB, Constraint, Process, Resources, Task
from .types import String


def _dedupe_equal(items):
    out = []
    for item in items:
        if not any(item == seen for seen in out):
            out.append(item)
    return out


class Units(object):
    """Arithmetic over Resources and finalization waits."""

    @classmethod
    def safe_get(cls, unit):
        return 0 if unit is Empty else unit.get()

    @classmethod
    def optional_resources(cls, resources):
        return Resources() if resources is Empty else resources

    @classmethod
    def _combine(cls, op, resources):
        total = Resources(cpu=0, ram=0, disk=0, gpu=0)
        for r in resources:
            r = cls.optional_resources(r)
            total = Resources(cpu=op(cls.safe_get(total.cpu()), cls.safe_get(r.cpu())),
                              ram=op(cls.safe_get(total.ram()), cls.safe_get(r.ram())),
                              disk=op(cls.safe_get(total.disk()), cls.safe_get(r.disk())),
                              gpu=op(cls.safe_get(total.gpu()), cls.safe_get(r.gpu())))
        return total

    @classmethod
    def resources_sum(cls, *resources):
        return cls._combine(lambda a, b: a + b, resources)

    @classmethod
    def resources_max(cls, resources):
        return cls._combine(max, list(resources))

    @classmethod
    def finalization_wait_sum(cls, waits):
        return sum(cls.safe_get(w) for w in waits)

    @classmethod
    def finalization_wait_max(cls, waits):
        return max([0] + [cls.safe_get(w) for w in waits])

    @staticmethod
    def _merge(tasks, field):
        """The tasks' lists named `field`, concatenated without repeats."""
        out = []
        for task in tasks:
            items = getattr(task, field)()
            if items is not Empty:
                out.extend(items)
        return _dedupe_equal(out)

    @classmethod
    def processes_merge(cls, tasks):
        return cls._merge(tasks, 'processes')

    @classmethod
    def constraints_merge(cls, tasks):
        return cls._merge(tasks, 'constraints')


class Processes(object):
    @classmethod
    def _process_name(cls, process):
        if isinstance(process, Process):
            return process.name()
        if isinstance(process, (str, String)):
            return process
        raise ValueError('order() takes processes or process names, got %r' % (process,))

    @classmethod
    def order(cls, *processes):
        """[Constraint(order=[names...])]: the processes run one after the other."""
        return [Constraint(order=[cls._process_name(p) for p in processes])]


class Tasks(object):
    SIMPLE_CPU = 1.0
    SIMPLE_RAM = 1 * GB
    SIMPLE_DISK = 1 * GB

    @classmethod
    def _combine_processes(cls, *tasks):
        # Like Aurora: the last task gives the result its identity (name and the rest).
        return tasks[-1](processes=Units.processes_merge(tasks))

    @classmethod
    def combine(cls, *tasks, **kw):
        """One task running every task's processes in parallel; resources add up."""
        if not tasks:
            return Task()
        base = cls._combine_processes(*tasks)
        return base(resources=Units.resources_sum(*(t.resources() for t in tasks)),
                    constraints=Units.constraints_merge(tasks),
                    finalization_wait=Units.finalization_wait_max(
                        t.finalization_wait() for t in tasks),
                    **kw)

    @classmethod
    def concat(cls, *tasks, **kw):
        """One task running the tasks one after another; resources are the maximum."""
        if not tasks:
            return Task()
        base = cls._combine_processes(*tasks)
        constraints = Units.constraints_merge(tasks)
        for t1, t2 in zip(tasks[:-1], tasks[1:]):
            for p1 in (t1.processes() if t1.processes() is not Empty else []):
                for p2 in (t2.processes() if t2.processes() is not Empty else []):
                    if p1 != p2:
                        constraints.extend(Processes.order(p1, p2))
        return base(resources=Units.resources_max(t.resources() for t in tasks),
                    constraints=_dedupe_equal(constraints),
                    finalization_wait=Units.finalization_wait_sum(
                        t.finalization_wait() for t in tasks),
                    **kw)

    @classmethod
    def simple(cls, name, command):
        return Task(name=name,
                    processes=[Process(name=name, cmdline=command)],
                    resources=Resources(cpu=cls.SIMPLE_CPU, ram=cls.SIMPLE_RAM,
                                        disk=cls.SIMPLE_DISK))

    @classmethod
    def sequential(cls, task):
        """The task with one order constraint over all its processes, in list order."""
        if task.constraints() is Empty or task.constraints() == List(Constraint)([]):
            if task.processes() is Empty:
                return task
            return task(constraints=order(*task.processes()))
        raise ValueError('Cannot turn a Task with existing constraints into a SequentialTask!')


class Options(object):
    @classmethod
    def render_option(cls, short_prefix, long_prefix, option, value=None):
        option = '%s%s' % (short_prefix if len(option) == 1 else long_prefix, option)
        return '%s %s' % (option, value) if value else option

    @classmethod
    def render_options(cls, short_prefix, long_prefix, *options, **kw_options):
        renders = []
        for option in options:
            if isinstance(option, str):
                renders.append(cls.render_option(short_prefix, long_prefix, option))
            elif isinstance(option, dict):
                for argument, value in option.items():
                    renders.append(cls.render_option(short_prefix, long_prefix, argument, value))
            else:
                raise ValueError('expected an option name or a dict of options, got %r' %
                                 (option,))
        for argument, value in kw_options.items():
            renders.append(cls.render_option(short_prefix, long_prefix, argument, value))
        return renders

    @classmethod
    def java(cls, *options, **kw_options):
        return ' '.join(cls.render_options('-', '-', *options, **kw_options))

    @classmethod
    def python(cls, *options, **kw_options):
        return ' '.join(cls.render_options('-', '--', *options, **kw_options))


def SimpleTask(name, command):
    return Tasks.simple(name, command)


def SequentialTask(*args, **kw):
    return Tasks.sequential(Task(*args, **kw))


python_options = Options.python
java_options = Options.java
combine_tasks = Tasks.combine
concat_tasks = Tasks.concat
order = Processes.order
