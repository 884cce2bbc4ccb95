"""References, scopes and the bridge to the C++ {{}} engine.

A reference ("{{a.b[c]}}") is looked up in an ordered tuple of scopes, nearest first;
the first scope that finds it wins. Parsing and substitution are done by the C++ engine
(module _borealis_tmpl, src/template); this module only answers its lookups.
"""

import _borealis_tmpl as _engine


class ConfigError(ValueError):
    """A mistake in a configuration, with a message a user can act on.

    `path` names where in a job the mistake is ("task.processes[0].cmdline"); it is
    filled in on the way out of nested interpolations.
    """

    def __init__(self, message, path=''):
        ValueError.__init__(self, message)
        self.message = message
        self.path = path

    def within(self, component):
        """Prefixes the path with a field name or an index ("[0]")."""
        if not self.path:
            self.path = component
        elif self.path.startswith('['):
            self.path = component + self.path
        else:
            self.path = component + '.' + self.path
        return self

    def __str__(self):
        return self.message


class UnknownAttribute(ConfigError, AttributeError):
    pass


class _EmptyType(object):
    """The value of an unset field. Compare with `is Empty`."""
    __slots__ = ()

    def __repr__(self):
        return 'Empty'

    def __bool__(self):
        return False

    def get(self):
        return None


Empty = _EmptyType()


class NotFound(Exception):
    """A scope does not bind a reference (the next scope is asked)."""


_NOT_FOUND = NotFound()


def address_of(path):
    out = []
    for is_index, text in path:
        if is_index:
            out.append('[' + text + ']')
        else:
            if out:
                out.append('.')
            out.append(text)
    return ''.join(out)


class Ref(object):
    """A parsed reference: a tuple of (is_index, text) components."""
    __slots__ = ('_path', '_address')
    _cache = {}

    class InvalidRefError(ConfigError):
        pass

    def __init__(self, path):
        self._path = tuple(path)
        self._address = address_of(self._path)

    @classmethod
    def from_address(cls, address):
        ref = cls._cache.get(address)
        if ref is None:
            try:
                path = _engine.parse_ref(address)
            except ValueError as e:
                raise cls.InvalidRefError(str(e))
            ref = cls(path)
            cls._cache[address] = ref
        return ref

    def components(self):
        return self._path

    def address(self):
        return self._address

    def scope(self):
        """The first component's name ("thermos" for thermos.ports[http])."""
        return self._path[0][1]

    def __eq__(self, other):
        return isinstance(other, Ref) and self._path == other._path

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._path)

    def __str__(self):
        return self._address

    def __repr__(self):
        return 'Ref(%s)' % self._address


# References the runner binds at launch; they are left in place by the loader. The list
# is the task contract's (src/taskcontract/runtime_refs.h).
def is_runtime_address(address):
    return _engine.is_runtime_reference(address)


def references(text):
    """Canonical addresses of the references in `text`, in order."""
    if '{{' not in text:
        return ()
    try:
        return _engine.references(text)
    except ValueError as e:
        raise ConfigError(str(e))


def _key_path(key):
    if isinstance(key, Ref):
        return tuple(text for _, text in key.components())
    if not isinstance(key, str):
        key = str(key)
    if '.' in key or '[' in key:
        return tuple(text for _, text in Ref.from_address(key).components())
    return (key,)


class Environment(object):
    """A scope of plain bindings: {'profile': {'version': '1'}, 'mesos.role': 'x'}.

    Keys may be names, dotted addresses or Refs; dict values are nested namespaces;
    other values (strings, numbers, typed objects, lists) are what references resolve to.
    """
    __slots__ = ('_table',)

    def __init__(self, *dicts, **kw):
        self._table = {}
        for d in dicts:
            self._merge(d)
        if kw:
            self._merge(kw)

    def _merge(self, d):
        if isinstance(d, Environment):
            _merge_tables(self._table, d._table)
            return
        if not isinstance(d, dict):
            raise ConfigError('an Environment takes dicts, got %s' % type(d).__name__)
        for key, value in d.items():
            path = _key_path(key)
            node = self._table
            for part in path[:-1]:
                child = node.get(part)
                if type(child) is not dict:
                    child = {}
                    node[part] = child
                node = child
            if type(value) is dict:
                child = node.get(path[-1])
                if type(child) is not dict:
                    child = {}
                    node[path[-1]] = child
                sub = Environment(value)
                _merge_tables(child, sub._table)
            elif isinstance(value, Environment):
                child = node.setdefault(path[-1], {})
                _merge_tables(child, value._table)
            else:
                node[path[-1]] = value

    def _as_scope(self):
        return self

    def find(self, path):
        node = self._table
        i = 0
        n = len(path)
        while i < n:
            if type(node) is dict:
                try:
                    node = node[path[i][1]]
                except KeyError:
                    raise _NOT_FOUND
                i += 1
            elif hasattr(node, '_find'):
                return node._find(path[i:])
            elif isinstance(node, (list, tuple)):
                try:
                    node = node[int(path[i][1])]
                except (ValueError, IndexError):
                    raise _NOT_FOUND
                i += 1
            else:
                raise _NOT_FOUND
        if type(node) is dict:
            raise _NOT_FOUND
        return node

    def __repr__(self):
        return 'Environment(%r)' % (self._table,)


def _merge_tables(into, other):
    for k, v in other.items():
        if type(v) is dict and type(into.get(k)) is dict:
            _merge_tables(into[k], v)
        elif type(v) is dict:
            into[k] = dict(v)
        else:
            into[k] = v


def to_scopes(args, kw):
    """bind() arguments as scopes, in the order given (the caller reverses)."""
    out = []
    for a in args:
        if a is None:
            continue
        if isinstance(a, dict):
            out.append(Environment(a))
        elif hasattr(a, '_as_scope'):
            out.append(a._as_scope())
        else:
            raise ConfigError('bind() takes dicts, Environments, Structs or name=value pairs, '
                              'got %s' % type(a).__name__)
    if kw:
        out.append(Environment(kw))
    return tuple(out)


# Depth of nested lookups; a reference whose value leads back to itself would otherwise
# recurse forever (pystachio loops; we refuse).
_MAX_DEPTH = 48
_depth = [0]


def value_text(found, address):
    """The text a found value contributes to a string."""
    if isinstance(found, str):
        return found
    if found is True or found is False:
        return 'True' if found else 'False'
    if isinstance(found, (int, float)):
        return str(found)
    text_of = getattr(found, '_text', None)
    if text_of is None:
        return str(found)
    _depth[0] += 1
    try:
        if _depth[0] > _MAX_DEPTH:
            raise ConfigError("reference '{{%s}}' does not resolve: its value refers back to "
                              "itself" % address)
        return text_of()
    finally:
        _depth[0] -= 1


def interpolate_text(text, scopes):
    """Substitutes every reference `scopes` bind. Returns (text, unbound addresses)."""
    if '{{' not in text:
        return text, ()

    def resolve(path, address):
        for scope in scopes:
            try:
                found = scope.find(path)
            except NotFound:
                continue
            return value_text(found, address)
        return None

    try:
        return _engine.interpolate(text, resolve)
    except ValueError as e:
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(str(e))
