# Typing rules of the Aurora DSL (pystachio's): coercion, Required/Default/Empty,
# unknown attributes, containers, Choice. Run by dsl_test.cc in the embedded interpreter,
# with the DSL's names and raises() in globals (loader.run_tests).


def check_message(obj):
    tc = obj.check()
    assert not tc.ok(), 'expected a failed check for %r' % (obj,)
    return tc.message()


def test_simple_types_coerce_when_interpolated():
    assert Integer('3').interpolate()[0].get() == 3
    assert Integer(' 7 ').interpolate()[0].get() == 7
    assert Float(2).interpolate()[0].get() == 2.0
    assert Float('0.25').interpolate()[0].get() == 0.25
    assert String(5).interpolate()[0].get() == '5'
    for text, want in (('true', True), ('False', False), ('1', True), ('0', False)):
        assert Boolean(text).interpolate()[0].get() is want
    assert Boolean(True).get() is True


def test_simple_type_errors_are_reported_by_check():
    assert check_message(Integer('three')) == "expected Integer, got str 'three'"
    assert check_message(Float('fast')) == "expected Float, got str 'fast'"
    assert check_message(Boolean('maybe')) == "expected Boolean, got str 'maybe'"
    assert check_message(String(['a'])) == "expected String, got list ['a']"
    assert Integer(4).check().ok() and String('{{x}}').check().ok()


def test_values_with_references_are_checked_once_bound():
    assert 'unbound reference {{n}}' in check_message(Integer('{{n}}'))
    assert Integer('{{n}}').bind(n=4).check().ok()
    # Runtime references are bound by the runner: a number may wait for them.
    assert Integer('{{mesos.instance}}').check().ok()


def test_enum():
    Color = Enum('red', 'green')
    assert Color('red').check().ok()
    assert check_message(Color('blue')) == "str 'blue' is not one of red, green"
    Named = Enum('Shade', ('light', 'dark'))
    assert Named.__name__ == 'Shade' and Named('dark').get() == 'dark'
    assert Mode('RO').check().ok() and not Mode('RX').check().ok()


class Point(Struct):
    x = Required(Integer)
    y = Default(Integer, 0)
    label = String


def test_struct_defaults_required_and_empty():
    p = Point(x=1)
    assert p.get() == {'x': 1, 'y': 0}
    assert p.has_x() and p.has_y() and not p.has_label()
    assert p.label() is Empty
    assert check_message(Point()) == 'x: is required but not set'
    assert Point(x=1, y=Empty).get() == {'x': 1}


def test_struct_from_dicts_and_nested_conversion():
    assert Point({'x': 2}, y=3).get() == {'x': 2, 'y': 3}
    t = Task({'processes': [{'name': 'p', 'cmdline': 'true'}]})
    assert isinstance(t.processes()[0], Process)
    assert t.name().get() == 'p'


def test_unknown_attribute_is_an_error_at_once():
    e = raises(AttributeError, Process, nmae='x')
    assert "Process has no attribute 'nmae'" in str(e)
    e = raises(ConfigError, Task, processes=[{'name': 'p', 'bad': 1}])
    assert e.path == 'processes[0]'


def test_wrong_types_are_reported_with_their_path():
    job = Job(task=Process(name='p', cmdline='true'))
    errors = []
    job.interpolate()[0]._type_errors('', errors)
    assert ('task', 'expected Task, got a Process') in errors
    task = Task(processes=[Process(name='p', cmdline='x'), 'oops'],
                resources=Resources(cpu='lots', ram=1, disk=1))
    errors = []
    task.interpolate()[0]._type_errors('', errors)
    assert ('processes[1]', "expected Process, got str 'oops'") in errors
    assert ('resources.cpu', "expected Float, got str 'lots'") in errors


def test_calling_a_struct_copies_it_with_overrides():
    base = Process(name='base', cmdline='run', daemon=True)
    copy = base(name='copy')
    assert base.name().get() == 'base'
    assert copy.name().get() == 'copy' and copy.daemon().get() is True


def test_struct_equality_and_hash_are_by_value():
    assert Point(x=1) == Point(x='1')
    assert Point(x=1) != Point(x=2)
    assert Point(x=1) != Process(name='x')
    assert len(set([Point(x=1), Point(x=1), Point(x=2)])) == 2
    assert Point(x='{{v}}').bind(v=5) == Point(x=5)


def test_struct_inheritance_adds_fields():
    class Point3(Point):
        z = Default(Integer, 9)
    assert Point3(x=1).get() == {'x': 1, 'y': 0, 'z': 9}


def test_lists():
    Ints = List(Integer)
    assert Ints is List(Integer)
    l = Ints([1, '2', 3])
    assert len(l) == 3 and l.get() == [1, '2', 3]
    assert l.interpolate()[0].get() == [1, 2, 3]
    assert (l + [4]).interpolate()[0].get() == [1, 2, 3, 4]
    assert ([0] + l).get()[0] == 0
    assert Integer(2) in l and l[1] == Integer(2)
    assert check_message(Ints([1, 'x'])) == "[1]: expected Integer, got str 'x'"
    assert List(String)(map(str, [1, 2])).get() == ['1', '2']


def test_maps():
    M = Map(String, Integer)
    m = M({'a': 1, 'b': '2'})
    assert 'a' in m and 'c' not in m
    assert m['b'].get() == 2
    assert sorted(m.keys()) == ['a', 'b']
    assert check_message(M({'a': 'x'})) == "[a]: expected Integer, got str 'x'"
    raises(KeyError, lambda: m['zz'])


def test_choice_picks_the_type():
    C = Choice([Point, String])
    assert C(Point(x=1)).unwrap().get() == {'x': 1, 'y': 0}
    assert isinstance(C({'x': 1}).unwrap(), Point)
    assert C('text').unwrap().get() == 'text'
    assert isinstance(UpdateConfig(update_strategy={'batch_size': 2}).update_strategy().unwrap(),
                      QueueUpdateStrategy)
    assert isinstance(UpdateConfig(update_strategy={'batch_size': 2, 'autopause_after_batch': True})
                      .update_strategy().unwrap(), BatchUpdateStrategy)
    assert isinstance(Job(container={'image': 'x'}).container().unwrap(), Docker)
    assert isinstance(Job(container={'image': {'name': 'n', 'tag': 't'}}).container().unwrap(), Mesos)
    errors = []
    Job(container=5).interpolate()[0]._type_errors('', errors)
    message = dict(errors)['container']
    assert message == 'expected one of Container, Docker, Mesos, got int 5', message


def test_json_round_trip():
    p = Process(name='p', cmdline='echo {{x}}')
    assert Process.json_loads(p.json_dumps()) == p
    assert Point.json_loads('{"x": 1, "unknown": 2}') == Point(x=1)
    raises(AttributeError, Point.json_loads, '{"x": 1, "unknown": 2}', strict=True)
