"""Typed containers: List(T), Map(K, V) and Choice([T1, T2, ...]).

Container classes are made once per element type and cached, so List(Process) is
List(Process) and two lists of processes compare equal when their values do.
"""

from .refs import ConfigError, Empty, NotFound
from .types import Invalid, Object, as_type, dedupe, describe, freeze, type_name

_NOT_FOUND = NotFound()


def _is_sequence(value):
    if isinstance(value, (list, tuple)):
        return True
    if isinstance(value, (str, bytes, dict, Object)) or value is Empty:
        return False
    return hasattr(value, '__iter__')  # map(), generators: Python 2 configs relied on lists


def _index(path):
    is_index, text = path[0]
    try:
        return int(text)
    except ValueError:
        raise _NOT_FOUND


class _Collection(Object):
    """What List and Map share: their elements, a tuple in the attribute named ELEMENTS,
    read in the scopes they were bound in. A subclass says how its elements convert and
    check (_convert_elements, _accepts_elements) and which plain Python values it is
    written as (_is_plain for conversion, PLAIN for checks)."""
    ELEMENTS = None
    PLAIN = ()

    @classmethod
    def _of(cls, elements, scopes=()):
        new = cls.__new__(cls)
        setattr(new, cls.ELEMENTS, elements)
        new._scopes = scopes
        return new

    def _copy(self):
        return self._of(getattr(self, self.ELEMENTS), self._scopes)

    @classmethod
    def _convert(cls, value):
        if type(value) is cls:
            return value
        if isinstance(value, _Collection) and value.ELEMENTS == cls.ELEMENTS:
            # The same kind of collection of other element types: convert each element.
            return cls._of(cls._convert_elements(getattr(value, cls.ELEMENTS)), value._scopes)
        if cls._is_plain(value):
            return cls(value)
        return Invalid(cls, value)

    @classmethod
    def _accepts(cls, value):
        return isinstance(value, cls) or (isinstance(value, cls.PLAIN) and
                                          cls._accepts_elements(value))


class ListBase(_Collection):
    TYPE = None
    ELEMENTS = '_values'
    PLAIN = (list, tuple)

    def __init__(self, values=()):
        if isinstance(values, ListBase):
            self._scopes = values._scopes
            values = values._values
        elif not _is_sequence(values):
            raise ConfigError('%s takes a list, got %s' % (type(self).__name__, describe(values)))
        convert = self.TYPE._convert
        converted = []
        for i, v in enumerate(values):
            try:
                converted.append(convert(v))
            except ConfigError as e:
                raise e.within('[%d]' % i)
        self._values = tuple(converted)

    @classmethod
    def _convert_elements(cls, values):
        convert = cls.TYPE._convert
        return tuple(convert(v) for v in values)

    @staticmethod
    def _is_plain(value):
        return _is_sequence(value)

    @classmethod
    def _accepts_elements(cls, values):
        return all(cls.TYPE._accepts(v) for v in values)

    def get(self):
        return [v.get() for v in self._values]

    def interpolate(self):
        scopes = self._scopes
        values = []
        unbound = []
        for i, v in enumerate(self._values):
            try:
                vi, vu = v._interpolate_in(scopes)
            except ConfigError as e:
                raise e.within('[%d]' % i)
            values.append(vi)
            if vu:
                unbound.extend(vu)
        return self._of(tuple(values)), dedupe(unbound)

    def _find(self, path):
        i = _index(path)
        if i < 0 or i >= len(self._values):
            raise _NOT_FOUND
        v = self._values[i].in_scope(*self._scopes)
        return v if len(path) == 1 else v._find(path[1:])

    def _type_errors(self, path, errors):
        for i, v in enumerate(self._values):
            v._type_errors('%s[%d]' % (path, i), errors)

    # Python sequence protocol: elements come in this list's scope.
    def __iter__(self):
        scopes = self._scopes
        return iter([v.in_scope(*scopes) for v in self._values])

    def __len__(self):
        return len(self._values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._of(self._values[index], self._scopes)
        return self._values[index].in_scope(*self._scopes)

    def __contains__(self, item):
        return any(v.in_scope(*self._scopes) == item for v in self._values)

    def __add__(self, other):
        return type(self)(list(self) + list(other))

    def __radd__(self, other):
        return type(self)(list(other) + list(self))

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, ', '.join(repr(v) for v in self._values))


_LIST_TYPES = {}


def List(typ):
    typ = as_type(typ, 'List()')
    cls = _LIST_TYPES.get(typ)
    if cls is None:
        name = type_name(typ) + 'List'
        cls = type(name, (ListBase,), {'TYPE': typ, 'TYPE_NAME': 'List(%s)' % type_name(typ)})
        _LIST_TYPES[typ] = cls
    return cls


class MapBase(_Collection):
    KEY = None
    VALUE = None
    ELEMENTS = '_items'
    PLAIN = (dict,)

    def __init__(self, *args, **kw):
        if len(args) == 1 and isinstance(args[0], MapBase):
            self._scopes = args[0]._scopes
            self._items = args[0]._items
            return
        pairs = []
        for a in args:
            if isinstance(a, dict):
                pairs.extend(a.items())
            elif _is_sequence(a):
                pairs.extend(a)
            else:
                raise ConfigError('%s takes a dict, got %s' % (type(self).__name__, describe(a)))
        pairs.extend(kw.items())
        self._items = self._convert_elements(pairs)

    @classmethod
    def _convert_elements(cls, items):
        kconv, vconv = cls.KEY._convert, cls.VALUE._convert
        return tuple((kconv(k), vconv(v)) for k, v in items)

    @staticmethod
    def _is_plain(value):
        return isinstance(value, dict)

    @classmethod
    def _accepts_elements(cls, value):
        return all(cls.KEY._accepts(k) and cls.VALUE._accepts(v) for k, v in value.items())

    def get(self):
        return dict((k.get(), v.get()) for k, v in self._items)

    def interpolate(self):
        scopes = self._scopes
        items = []
        unbound = []
        for k, v in self._items:
            ki, ku = k._interpolate_in(scopes)
            try:
                vi, vu = v._interpolate_in(scopes)
            except ConfigError as e:
                raise e.within('[%s]' % ki.get())
            items.append((ki, vi))
            unbound.extend(ku)
            unbound.extend(vu)
        return self._of(tuple(items)), dedupe(unbound)

    def _lookup(self, key_text):
        for k, v in self._items:
            kv = k._value if '{{' not in str(k._value) else k._interpolated_value()
            if kv == key_text or str(kv) == key_text:
                return v
        raise _NOT_FOUND

    def _find(self, path):
        v = self._lookup(path[0][1]).in_scope(*self._scopes)
        return v if len(path) == 1 else v._find(path[1:])

    def _type_errors(self, path, errors):
        for k, v in self._items:
            sub = '%s[%s]' % (path, k.get())
            k._type_errors(sub, errors)
            v._type_errors(sub, errors)

    # Python mapping protocol, over the plain key values.
    def __getitem__(self, key):
        try:
            return self._lookup(key).in_scope(*self._scopes).interpolate()[0]
        except NotFound:
            raise KeyError(key)

    def __contains__(self, key):
        try:
            self._lookup(key)
            return True
        except NotFound:
            return False

    def keys(self):
        return [k.interpolate()[0].get() for k, _ in self._items]

    def values(self):
        return [v.in_scope(*self._scopes).interpolate()[0] for _, v in self._items]

    def items(self):
        return list(zip(self.keys(), self.values()))

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__,
                           ', '.join('%r => %r' % (k, v) for k, v in self._items))


_MAP_TYPES = {}


def Map(key_type, value_type):
    key_type = as_type(key_type, 'Map()')
    value_type = as_type(value_type, 'Map()')
    cls = _MAP_TYPES.get((key_type, value_type))
    if cls is None:
        name = '%s%sMap' % (type_name(key_type), type_name(value_type))
        cls = type(name, (MapBase,), {
            'KEY': key_type,
            'VALUE': value_type,
            'TYPE_NAME': 'Map(%s, %s)' % (type_name(key_type), type_name(value_type))
        })
        _MAP_TYPES[(key_type, value_type)] = cls
    return cls


class ChoiceBase(Object):
    """One value of one of several types; serialises as that value, untagged."""
    TYPES = ()

    def __init__(self, value):
        inner = self._pick(value)
        if inner is None:
            raise ConfigError('expected %s, got %s' % (self.TYPE_NAME, describe(value)))
        self._value = inner

    @classmethod
    def _pick(cls, value):
        if isinstance(value, ChoiceBase):
            value = value._value
        for t in cls.TYPES:
            if type(value) is t:
                return value
        for t in cls.TYPES:
            if isinstance(value, t):
                return value
        for t in cls.TYPES:
            if t._accepts(value):
                return t._convert(value)
        return None

    @classmethod
    def _wrap(cls, inner, scopes=()):
        new = cls.__new__(cls)
        new._value = inner
        new._scopes = scopes
        return new

    def _copy(self):
        return self._wrap(self._value, self._scopes)

    @classmethod
    def _convert(cls, value):
        if type(value) is cls:
            return value
        inner = cls._pick(value)
        if inner is None:
            return Invalid(cls, value)
        return cls._wrap(inner)

    @classmethod
    def _accepts(cls, value):
        return cls._pick(value) is not None

    def unwrap(self):
        return self._value.in_scope(*self._scopes)

    def get(self):
        return self._value.get()

    def interpolate(self):
        vi, vu = self._value._interpolate_in(self._scopes)
        return self._wrap(vi), vu

    def _find(self, path):
        return self._value.in_scope(*self._scopes)._find(path)

    def _type_errors(self, path, errors):
        self._value._type_errors(path, errors)

    def _text(self):
        return self._value.in_scope(*self._scopes)._text()

    def __eq__(self, other):
        if isinstance(other, ChoiceBase):
            other = other._value
        return self._value.in_scope(*self._scopes) == other

    def __hash__(self):
        return hash(self._value)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self._value)


_CHOICE_TYPES = {}


def Choice(types):
    types = tuple(as_type(t, 'Choice()') for t in types)
    cls = _CHOICE_TYPES.get(types)
    if cls is None:
        name = 'Or'.join(type_name(t) for t in types) + 'Choice'
        cls = type(name, (ChoiceBase,), {
            'TYPES': types,
            'TYPE_NAME': 'one of ' + ', '.join(type_name(t) for t in types)
        })
        _CHOICE_TYPES[types] = cls
    return cls
