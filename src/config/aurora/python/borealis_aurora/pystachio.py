"""The typing vocabulary a config may use, under the names pystachio gives it.

Configs may `from pystachio import *`; the loader makes this module answer to that name.
"""

from .containers import Choice, List, Map
from .refs import ConfigError, Empty, Environment, Ref
from .structs import Default, Required, Struct
from .types import Boolean, Enum, Float, Integer, Object, String, TypeCheck

Provided = Required  # pystachio's "bound later"; treated as required here.

__all__ = ['Boolean', 'Choice', 'ConfigError', 'Default', 'Empty', 'Enum', 'Environment', 'Float',
           'Integer', 'List', 'Map', 'Object', 'Provided', 'Ref', 'Required', 'String', 'Struct',
           'TypeCheck']
