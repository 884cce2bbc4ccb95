"""Struct: a typed record whose fields are also names its references can use.

    class Profile(Struct):
      version = Required(String)
      package = Default(String, 'app-{{version}}.tar.gz')

A struct's scopes, nearest first, are: its own fields, what was bound to it (latest
bind first), then the scopes of whatever holds it. So "{{version}}" above reads the
struct's own field, and a Process inside a Task inside a Job sees the job's fields
({{role}}, {{cluster}}) and bindings unless something nearer binds the same name.
"""

from .refs import ConfigError, Empty, NotFound, UnknownAttribute
from .types import Invalid, Object, as_type, dedupe, describe, freeze, type_name

_NOT_FOUND = NotFound()


class Field(object):
    __slots__ = ('type', 'required', 'default')

    def __init__(self, typ, required, default):
        self.type = typ
        self.required = required
        self.default = default


def Required(typ):
    return Field(as_type(typ, 'Required()'), True, Empty)


def Default(typ, value):
    typ = as_type(typ, 'Default()')
    if value is Empty:
        return Field(typ, False, Empty)
    converted = typ._convert(value)
    if isinstance(converted, Invalid):
        raise ConfigError('Default(%s, ...): %s does not fit the type' %
                          (type_name(typ), describe(value)))
    return Field(typ, False, converted)


class StructMeta(type):
    def __new__(mcs, name, bases, namespace):
        fields = {}
        for base in reversed(bases):
            fields.update(getattr(base, 'FIELDS', {}))
        own = []
        for key, value in list(namespace.items()):
            if key.startswith('__'):
                continue
            if isinstance(value, Field):
                own.append((key, value))
            elif isinstance(value, type) and issubclass(value, Object) and hasattr(
                    value, '_convert'):
                own.append((key, Field(value, False, Empty)))
        for key, field in own:
            del namespace[key]
            fields[key] = field
        namespace['FIELDS'] = fields
        cls = type.__new__(mcs, name, bases, namespace)
        for key, _ in own:
            setattr(cls, key, _accessor(key))
            setattr(cls, 'has_' + key, _presence(key))
        return cls


def _accessor(name):
    def accessor(self):
        value = self._data[name]
        if value is Empty:
            return Empty
        return value.in_scope(*self.scopes()).interpolate()[0]
    accessor.__name__ = name
    return accessor


def _presence(name):
    def has(self):
        return self._data[name] is not Empty
    has.__name__ = 'has_' + name
    return has


class _SelfScope(object):
    """A struct's own fields, as a scope."""
    __slots__ = ('_struct',)

    def __init__(self, struct):
        self._struct = struct

    def find(self, path):
        return self._struct._find(path)


class Struct(Object, metaclass=StructMeta):
    FIELDS = {}

    def __init__(self, *args, **kw):
        self._data = dict((k, f.default) for k, f in self.FIELDS.items())
        for a in args:
            if isinstance(a, dict):
                self._update(a)
            elif isinstance(a, Struct) and isinstance(a, type(self)):
                self._data.update(a._data)
            else:
                raise ConfigError('%s() takes name=value arguments or a dict, got %s' %
                                  (type(self).__name__, describe(a)))
        if kw:
            self._update(kw)

    def _update(self, values):
        fields = self.FIELDS
        data = self._data
        for key, value in values.items():
            field = fields.get(key)
            if field is None:
                known = ', '.join(sorted(fields))
                raise UnknownAttribute("%s has no attribute '%s' (it has: %s)" %
                                       (type(self).__name__, key, known))
            if value is Empty:
                data[key] = Empty
                continue
            try:
                data[key] = field.type._convert(value)
            except ConfigError as e:
                raise e.within(key)

    def __call__(self, *args, **kw):
        """A copy with some fields replaced: the struct as a template."""
        new = self._copy()
        new._data = dict(self._data)
        for a in args:
            if isinstance(a, dict):
                new._update(a)
            else:
                raise ConfigError('%s(...) takes name=value arguments or a dict, got %s' %
                                  (type(self).__name__, describe(a)))
        if kw:
            new._update(kw)
        return new

    def _copy(self):
        cls = self.__class__
        new = cls.__new__(cls)
        new._data = self._data
        new._scopes = self._scopes
        return new

    @classmethod
    def _convert(cls, value):
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(value)
        return Invalid(cls, value)

    @classmethod
    def _accepts(cls, value):
        if isinstance(value, cls):
            return True
        if not isinstance(value, dict):
            return False
        fields = cls.FIELDS
        for key, v in value.items():
            field = fields.get(key)
            if field is None or not (v is Empty or field.type._accepts(v)):
                return False
        for key, field in fields.items():
            if field.required and key not in value:
                return False
        return True

    # --- scoping -------------------------------------------------------------------------
    def _as_scope(self):
        return _SelfScope(self)

    def scopes(self):
        return (_SelfScope(self),) + self._scopes

    def _find(self, path):
        # {{s.field}}; {{s[field]}} is read the same (configs in the wild use both).
        name = path[0][1]
        value = self._data.get(name, Empty)
        if value is Empty:
            raise _NOT_FOUND
        value = value.in_scope(*self.scopes())
        return value if len(path) == 1 else value._find(path[1:])

    def interpolate(self):
        scopes = self.scopes()
        data = {}
        unbound = []
        for key, value in self._data.items():
            if value is Empty:
                data[key] = Empty
                continue
            try:
                vi, vu = value._interpolate_in(scopes)
            except ConfigError as e:
                raise e.within(key)
            data[key] = vi
            if vu:
                unbound.extend(vu)
        cls = self.__class__
        new = cls.__new__(cls)
        new._data = data
        return new, (dedupe(unbound) if unbound else unbound)

    # --- values --------------------------------------------------------------------------
    def get(self):
        return dict((k, v.get()) for k, v in self._data.items() if v is not Empty)

    def _type_errors(self, path, errors):
        for key, field in self.FIELDS.items():
            value = self._data[key]
            sub = path + '.' + key if path else key
            if value is Empty:
                if field.required:
                    errors.append((sub, 'is required but not set'))
            else:
                value._type_errors(sub, errors)

    @classmethod
    def json_loads(cls, text, strict=False):
        import json
        return cls._from_json(json.loads(text), strict)

    @classmethod
    def json_load(cls, fp, strict=False):
        import json
        return cls._from_json(json.load(fp), strict)

    @classmethod
    def _from_json(cls, value, strict):
        if not strict and isinstance(value, dict):
            value = dict((k, v) for k, v in value.items() if k in cls.FIELDS)
        return cls(value)

    def __repr__(self):
        parts = []
        for k, v in self._data.items():
            if v is not Empty:
                short = getattr(v, '_short_repr', None)
                parts.append('%s=%s' % (k, short() if short else repr(v)))
        return '%s(%s)' % (type(self).__name__, ', '.join(parts))
