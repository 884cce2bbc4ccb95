# Task helpers (order, SequentialTask, SimpleTask, Tasks.combine/concat, Units, options),
# with the semantics of Aurora's schema_helpers. Run by dsl_test.cc.


def test_order_takes_processes_or_names():
    p1, p2 = Process(name='p1'), Process(name='p2')
    want = [Constraint(order=['p1', 'p2'])]
    assert order(p1, p2) == want
    assert order('p1', p2) == want
    assert order(p1, 'p2') == want
    assert order('p1', 'p2') == want
    raises(ValueError, order, [p1])
    raises(ValueError, order, None)


def test_resources_arithmetic():
    assert Units.resources_sum(Resources(), Resources()) == Resources(cpu=0, ram=0, disk=0, gpu=0)
    r1000 = Resources(cpu=1, ram=0, disk=0, gpu=0)
    r0100 = Resources(cpu=0, ram=1, disk=0, gpu=0)
    r0010 = Resources(cpu=0, ram=0, disk=1, gpu=0)
    assert Units.resources_sum(r1000, r0100, r0010, Resources()) == \
        Resources(cpu=1, ram=1, disk=1, gpu=0)
    assert Units.resources_max([Resources(cpu=0, ram=2, disk=1, gpu=4),
                                Resources(cpu=1, ram=1, disk=2, gpu=0),
                                Resources(cpu=0, ram=1, disk=3, gpu=1)]) == \
        Resources(cpu=1, ram=2, disk=3, gpu=4)


def make_tasks():
    p1, p2, p3, p4 = [Process(name='p%d' % i, cmdline='true') for i in range(1, 5)]
    t1 = Task(name='p1p2', processes=[p1, p2], constraints=order(p1, p2),
              resources=Resources(cpu=1, ram=1, disk=0), finalization_wait=60)
    t2 = Task(name='p3p4', processes=[p3, p4], constraints=order(p3, p4),
              resources=Resources(cpu=0, ram=0, disk=1), finalization_wait=45)
    return (p1, p2, p3, p4), t1, t2


def test_combine():
    (p1, p2, p3, p4), t1, t2 = make_tasks()
    assert combine_tasks() == Task()
    assert combine_tasks(t1) == t1
    t3 = combine_tasks(t1, t2)
    assert t3.name() == t2.name()  # the last task gives its identity
    assert t3.resources() == Resources(cpu=1, ram=1, disk=1, gpu=0)
    assert list(t3.processes()) == [p1, p2, p3, p4]
    assert list(t3.constraints()) == order(p1, p2) + order(p3, p4)
    assert t3.finalization_wait().get() == 60


def test_concat():
    (p1, p2, p3, p4), t1, t2 = make_tasks()
    t4 = Tasks.concat(t1, t2)
    assert t4.name() == t2.name()
    assert t4.resources() == Resources(cpu=1, ram=1, disk=1, gpu=0)
    assert list(t4.processes()) == [p1, p2, p3, p4]
    assert set(t4.constraints()) == set(order(p1, p2) + order(p3, p4) + order(p1, p3) +
                                        order(p1, p4) + order(p2, p3) + order(p2, p4))
    assert t4.finalization_wait().get() == 105
    assert concat_tasks(t1, t2, name='renamed').name().get() == 'renamed'


def test_shared_processes_are_merged_once():
    common = Process(name='install', cmdline='true')
    a = SequentialTask(processes=[common, Process(name='a', cmdline='true')])
    b = SequentialTask(processes=[common, Process(name='b', cmdline='true')])
    merged = Tasks.combine(a, b)
    assert [p.name().get() for p in merged.processes()] == ['install', 'a', 'b']


def test_simple_task():
    st = SimpleTask('simple_thing', 'echo hello')
    assert isinstance(st, Task)
    assert st.name().get() == 'simple_thing'
    assert len(st.constraints().get()) == 0
    assert st.processes().get()[0]['cmdline'] == 'echo hello'
    assert st.resources() == Resources(cpu=1.0, ram=1 * GB, disk=1 * GB)


def test_sequential_task():
    a, b, c = [Process(name=n, cmdline='true') for n in 'abc']
    assert SequentialTask(processes=[a, b, c]).constraints().get() == [{'order': ['a', 'b', 'c']}]
    assert SequentialTask(name='empty').constraints().get() == []
    raises(ValueError, SequentialTask, processes=[a, b], constraints=order(b, a))


def test_render_options():
    assert java_options('a', 'b', 'cow') == '-a -b -cow'
    assert java_options('a', {'b': 1}, cow='foo') == '-a -b 1 -cow foo'
    assert python_options('a', 'b', 'cow') == '-a -b --cow'
    assert python_options('a', {'b': 1}, cow='foo') == '-a -b 1 --cow foo'
    assert python_options({'x': None}) == '-x'
    raises(ValueError, java_options, 5)
