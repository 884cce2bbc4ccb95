"""Typed values: the Object protocol and the simple types (String, Integer, Float,
Boolean, Enum).

Every value is immutable: bind(), in_scope() and field updates return copies. A value
carries its scopes (nearest first). interpolate() returns a copy with every reference its
scopes bind substituted, plus the references left unbound. Type errors are not raised
when a value is built: check() reports them with the path of the field, so a job's errors
read "task.resources.cpu: ...".
"""

from .refs import (ConfigError, Empty, NotFound, Ref, interpolate_text, is_runtime_address,
                   references, to_scopes)

_NOT_FOUND = NotFound()


class TypeCheck(object):
    def __init__(self, ok, message=''):
        self._ok = ok
        self._message = message

    @classmethod
    def success(cls):
        return cls(True)

    @classmethod
    def failure(cls, message):
        return cls(False, message)

    def ok(self):
        return self._ok

    def message(self):
        return self._message

    def __repr__(self):
        return 'TypeCheck(%s)' % ('OK' if self._ok else 'FAILED: ' + self._message)


def describe(value):
    if isinstance(value, Object):
        return 'a %s' % type(value).__name__
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    return '%s %s' % (type(value).__name__, text)


def dedupe(refs):
    seen = set()
    out = []
    for r in refs:
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out


def freeze(value):
    """A hashable form of a get() value."""
    if isinstance(value, dict):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


class Object(object):
    """Base of every typed value."""
    _scopes = ()

    # --- scoping -------------------------------------------------------------------------
    def bind(self, *args, **kw):
        scopes = to_scopes(args, kw)
        if not scopes:
            return self
        new = self._copy()
        new._scopes = scopes[::-1] + self._scopes
        return new

    def in_scope(self, *scopes):
        if not scopes:
            return self
        new = self._copy()
        new._scopes = self._scopes + scopes
        return new

    def scopes(self):
        return self._scopes

    def __mod__(self, namable):
        return self.bind(namable).interpolate()[0]

    # --- lookups ---------------------------------------------------------------------------
    def find(self, ref):
        if not isinstance(ref, Ref):
            ref = Ref.from_address(ref)
        try:
            return self._find(ref.components())
        except NotFound:
            raise ConfigError("'%s' is not found in %s" % (ref.address(), describe(self)))

    def _find(self, path):
        raise _NOT_FOUND

    # --- checking --------------------------------------------------------------------------
    def check(self):
        interpolated, _ = self.interpolate()
        errors = []
        interpolated._type_errors('', errors)
        if not errors:
            return TypeCheck.success()
        path, message = errors[0]
        return TypeCheck.failure('%s: %s' % (path, message) if path else message)

    # --- serialisation ---------------------------------------------------------------------
    def json_dumps(self, **kw):
        import json
        return json.dumps(self.get(), **kw)

    def json_dump(self, fp, **kw):
        import json
        return json.dump(self.get(), fp, **kw)

    def _text(self):
        """The text this value contributes when a reference resolves to it."""
        import json
        return json.dumps(self.interpolate()[0].get(), sort_keys=True)

    # Composite values (structs, lists, maps) are equal when their interpolated values are;
    # simple values and choices refine this.
    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        return self.interpolate()[0].get() == other.interpolate()[0].get()

    def __hash__(self):
        return hash((type(self).__name__, freeze(self.interpolate()[0].get())))

    def __ne__(self, other):
        return not self.__eq__(other)

    def _interpolate_in(self, scopes):
        """interpolate() of this value placed in `scopes` (what a container does)."""
        return self.in_scope(*scopes).interpolate()


class Invalid(Object):
    """A value that does not fit its field's type; reported by check()."""

    def __init__(self, expected, value):
        self._expected = expected
        self._value = value

    def _copy(self):
        new = Invalid(self._expected, self._value)
        new._scopes = self._scopes
        return new

    def get(self):
        value = self._value
        return value.get() if isinstance(value, Object) else value

    def interpolate(self):
        return self, []

    def _type_errors(self, path, errors):
        errors.append((path, 'expected %s, got %s' % (type_name(self._expected),
                                                      describe(self._value))))

    def __eq__(self, other):
        return isinstance(other, Invalid) and self._value == other._value

    def __hash__(self):
        return hash(id(self._value))

    def __repr__(self):
        return 'Invalid(%r)' % (self._value,)


def type_name(typ):
    return getattr(typ, 'TYPE_NAME', None) or typ.__name__


class CoercionError(ValueError):
    pass


class SimpleObject(Object):
    """A scalar. The value is kept as given; it is coerced to the type once it is
    interpolated (a string may hold references until then)."""
    # True for types whose value must be fully known to load (all but String).
    NEEDS_VALUE = True

    def __init__(self, value):
        if isinstance(value, SimpleObject):
            self._scopes = value._scopes
            value = value._value
        self._value = value

    @classmethod
    def _raw(cls, value):
        new = cls.__new__(cls)
        new._value = value
        return new

    def _copy(self):
        new = self.__class__.__new__(self.__class__)
        new._value = self._value
        new._scopes = self._scopes
        return new

    @classmethod
    def _convert(cls, value):
        if type(value) is cls:
            return value
        if isinstance(value, SimpleObject):
            new = cls._raw(value._value)
            new._scopes = value._scopes
            return new
        if isinstance(value, (str, int, float)):
            return cls._raw(value)
        return Invalid(cls, value)

    def get(self):
        return self._value

    # The Python type a value already has when coercion would not change it.
    CANONICAL = None

    def _interpolate_in(self, scopes):
        # Fast path: values are immutable, and one without references needs no scope.
        value = self._value
        if type(value) is self.CANONICAL and (type(value) is not str or '{{' not in value):
            return self, ()
        return self.in_scope(*scopes).interpolate()

    def interpolate(self):
        value = self._value
        if type(value) is str and '{{' in value:
            text, unbound = interpolate_text(value, self._scopes)
            if unbound:
                return self._raw(text), [Ref.from_address(u) for u in unbound]
            value = text
        try:
            value = self._coerce(value)
        except CoercionError:
            pass
        return self._raw(value), []

    def _interpolated_value(self):
        return self.interpolate()[0]._value

    def _text(self):
        value = self._interpolated_value()
        if value is True or value is False:
            return 'True' if value else 'False'
        return str(value)

    def _type_errors(self, path, errors):
        value = self._value
        if type(value) is str and '{{' in value:
            if not self.NEEDS_VALUE:
                return
            unbound = [a for a in references(value) if not is_runtime_address(a)]
            if unbound:
                errors.append((path, "unbound reference {{%s}} (a %s needs a value)" %
                               (unbound[0], type_name(type(self)))))
            return
        try:
            self._coerce(value)
        except CoercionError as e:
            errors.append((path, str(e)))

    @classmethod
    def _fail(cls, value):
        raise CoercionError('expected %s, got %s' % (type_name(cls), describe(value)))

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        return self._interpolated_value() == other._interpolated_value()

    def __hash__(self):
        return hash((type(self).__name__, self._interpolated_value()))

    def __str__(self):
        return self._text()

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, self._value)

    def _short_repr(self):
        return repr(self._value)


def _has_mustache(value):
    return isinstance(value, str) and '{{' in value


class String(SimpleObject):
    CANONICAL = str
    NEEDS_VALUE = False

    @classmethod
    def _coerce(cls, value):
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)):
            return str(value)
        cls._fail(value)

    @classmethod
    def _accepts(cls, value):
        return isinstance(value, (str, String))


class _Number(SimpleObject):
    """Integer and Float: a number, or a string that parses as one (as Pystachio coerces)."""
    TAKEN_AS_IS = ()  # Python types accepted without parsing

    @classmethod
    def _coerce(cls, value):
        if isinstance(value, (int, float)):
            return cls.CANONICAL(value)
        if isinstance(value, str):
            try:
                return cls.CANONICAL(value)
            except ValueError:
                pass
        cls._fail(value)

    @classmethod
    def _accepts(cls, value):
        if isinstance(value, cls) or _has_mustache(value):
            return True
        if isinstance(value, bool):
            return False
        if isinstance(value, cls.TAKEN_AS_IS):
            return True
        try:
            cls._coerce(value)
            return isinstance(value, str)
        except CoercionError:
            return False


class Integer(_Number):
    CANONICAL = int
    TAKEN_AS_IS = (int,)


class Float(_Number):
    CANONICAL = float
    TAKEN_AS_IS = (int, float)


class Boolean(SimpleObject):
    CANONICAL = bool
    @classmethod
    def _coerce(cls, value):
        if value is True or value is False:
            return value
        if isinstance(value, (int, float)):
            return bool(value)
        if isinstance(value, str):
            lowered = value.lower()
            if lowered in ('true', '1'):
                return True
            if lowered in ('false', '0'):
                return False
        cls._fail(value)

    @classmethod
    def _accepts(cls, value):
        if isinstance(value, Boolean) or value is True or value is False or _has_mustache(value):
            return True
        return isinstance(value, str) and value.lower() in ('true', 'false', '1', '0')


class EnumBase(SimpleObject):
    VALUES = ()
    CANONICAL = str

    @classmethod
    def _coerce(cls, value):
        if isinstance(value, str) and value in cls.VALUES:
            return value
        raise CoercionError('%s is not one of %s' % (describe(value), ', '.join(cls.VALUES)))

    @classmethod
    def _accepts(cls, value):
        return isinstance(value, cls) or (isinstance(value, str) and value in cls.VALUES)


def Enum(*args):
    """Enum('RO', 'RW') or Enum('Mode', ('RO', 'RW')): a String limited to some values."""
    if len(args) == 2 and isinstance(args[1], (list, tuple)):
        name, values = args[0], tuple(args[1])
    else:
        values = tuple(args)
        name = 'Enum_' + '_'.join(values)
    for v in values:
        if not isinstance(v, str):
            raise ConfigError('Enum values must be strings, got %s' % describe(v))
    return type(name, (EnumBase,), {'VALUES': values, 'TYPE_NAME': name})


def is_type(typ):
    return isinstance(typ, type) and issubclass(typ, Object) and hasattr(typ, '_convert')


def as_type(typ, where):
    if not is_type(typ):
        raise ConfigError('%s: %r is not a type (String, Integer, a Struct, List(...), ...)' %
                          (where, typ))
    return typ


__all__ = ['Boolean', 'CoercionError', 'Empty', 'Enum', 'EnumBase', 'Float', 'Integer', 'Invalid',
           'Object', 'SimpleObject', 'String', 'TypeCheck']
