# Templating rules of the Aurora DSL, most taken from the examples of Aurora's
# configuration-templating reference. Run by dsl_test.cc in the embedded interpreter.


def text(obj):
    return obj.interpolate()[0].get()


def test_unbound_references_stay_and_are_reported():
    value, unbound = String('Hello {{name}}').interpolate()
    assert value.get() == 'Hello {{name}}'
    assert unbound == [Ref.from_address('name')]
    assert text(String('Hello {{name}}').bind(name='Tom')) == 'Hello Tom'


def test_bind_takes_dicts_or_keywords():
    assert String('{{foo}}').bind(foo='bar') == String('{{foo}}').bind({'foo': 'bar'})
    assert Float('{{x}}.5').bind(x=1) == Float(1.5)


def test_later_bind_wins_and_binding_is_lazy():
    s = String('{{a}}').bind(a='first').bind(a='second')
    assert text(s) == 'second'
    template = String('{{greeting}}, {{who}}')
    half = template.bind(greeting='hi')
    assert text(half) == 'hi, {{who}}'
    assert text(half.bind(who='you')) == 'hi, you'


def test_children_inherit_bindings():
    procs = List(Process)([Process(name='{{prefix}}_one'), Process(name='{{prefix}}_two')])
    assert [p['name'] for p in text(procs.bind(prefix='hello'))] == ['hello_one', 'hello_two']


def test_a_structs_fields_are_names_inside_it():
    p = Process(name='installer', cmdline='echo {{name}} is running')
    assert p.cmdline().get() == 'echo installer is running'
    # ...but binding a name does not set the field.
    assert Process().bind(name='installer').name() is Empty


def test_closest_binding_wins():
    p = Process(name='{{context}}_process')
    t = Task().bind(context='global')
    names = [x['name'] for x in text(t(processes=[p, p.bind(context='local')]))['processes']]
    assert names == ['global_process', 'local_process']


def test_inheritance_is_one_way():
    job = Job(name='{{level}}', task=Task(name='t').bind(level='task'))
    assert job.name().get() == '{{level}}'


def test_binding_complex_objects():
    fibonacci = List(Integer)([1, 1, 2, 3, 5, 8, 13])
    assert text(String('{{fib[4]}}').bind(fib=fibonacci)) == '5'
    first_names = Map(String, String)({'Kent': 'Clark', 'Wayne': 'Bruce'})
    assert text(String('{{first[Kent]}}').bind(first=first_names)) == 'Clark'
    assert text(String('{{p.cmdline}}').bind(p=Process(cmdline='echo hello world'))) == \
        'echo hello world'
    assert text(String('{{p[cmdline]}} {{m.[Wayne]}}').bind(
        p=Process(cmdline='x'), m=first_names)) == 'x Bruce'


def test_bound_struct_defaults_resolve_in_the_struct():
    class Profile(Struct):
        environment = Required(String)
        dataset = Default(String, 'hdfs://data/{{environment}}')
    assert text(String('{{profile.dataset}}').bind(profile=Profile(environment='prod'))) == \
        'hdfs://data/prod'


def test_binding_a_struct_binds_its_fields():
    class Profile(Struct):
        version = Default(String, '1.0')
    assert text(String('v{{version}}').bind(Profile())) == 'v1.0'


def test_environments_take_dotted_names_and_refs():
    env = Environment({'a.b': 1, Ref.from_address('c[d]'): 'x'}, e={'f': 2.5})
    s = String('{{a.b}} {{c.d}} {{e.f}}').bind(env)
    assert text(s) == '1 x 2.5'


def test_a_partial_binding_falls_through_to_an_outer_scope():
    class Build(Struct):
        version = Default(String, 'v1')
        channel = Default(String, 'stable')
    s = String('{{build.version}}/{{build.channel}}').bind(build=Build()).bind(
        {'build.version': 'v2'})
    assert text(s) == 'v2/stable'


def test_mod_binds_and_interpolates():
    assert (String('{{a}}-{{b}}') % {'a': 1, 'b': True}).get() == '1-True'


def test_a_value_resolving_to_references_is_resolved_again():
    assert text(String('{{a}}').bind(a='{{b}}', b='deep')) == 'deep'


def test_self_reference_is_an_error():
    e = raises(ConfigError, lambda: Process(name='{{name}}').bind(name='installer').interpolate())
    assert "'{{name}}' does not resolve" in str(e)


def test_nested_mustaches_are_refused():
    e = raises(ConfigError, String('{{a{{b}}}}').interpolate)
    assert 'nested mustache' in str(e)


def test_errors_name_the_field_path():
    job = Job(task=Task(processes=[Process(name='p', cmdline='{{x{{y}}}}')]))
    e = raises(ConfigError, job.interpolate)
    assert e.path == 'task.processes[0].cmdline'


def test_find_and_refs():
    job = Job(task=Task(processes=[Process(name='p', cmdline='c')]))
    assert job.find('task.processes[0].name').get() == 'p'
    raises(ConfigError, job.find, 'task.nothing')
    ref = Ref.from_address('thermos.ports[http]')
    assert ref.address() == 'thermos.ports[http]' and ref.scope() == 'thermos'
    assert Ref.from_address('a.[b]') == Ref.from_address('a[b]')
    raises(Ref.InvalidRefError, Ref.from_address, 'a..b')


def test_default_names_follow_processes_lazily():
    task = Task(processes=[Process(name='first', cmdline='x')])
    assert task.name().get() == 'first'
    assert task(processes=[Process(name='other', cmdline='y')]).name().get() == 'other'
    assert Job(task=task).name().get() == 'first'
