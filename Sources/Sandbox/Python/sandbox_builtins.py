"""The ``restricted_builtins`` layer: what a snippet can reach at run time.

* ``snippet_globals(input)`` gives the snippet a builtins table without anything that opens
  files, evaluates or compiles code, imports freely, reaches frames or globals, reads stdin or
  exits, and an ``__import__`` that hands out attribute copies of the allowed modules (public
  names only, no sub-modules, so ``json.codecs.open`` or ``re.enum.sys`` cannot be reached).
  ``type`` and ``getattr`` are there in checked forms: ``type(x)`` of anything but a class, and
  ``getattr`` of a name that is not a dunder or frame attribute.
* ``freeze_library_classes()`` (in the fork server, before any job) marks every class that
  exists at that point immutable, the flag CPython gives built-in types: a snippet can no
  longer store descriptors on library classes (``CP.peek = classmethod(...)``) or patch their
  methods (``json.JSONEncoder.encode = ...``). That closes the whole family of gadgets that
  turn a library class's own descriptors into a getattr by string. Classes a snippet makes,
  subclasses of library classes included, stay ordinary.
"""

import builtins
import ctypes
import dataclasses
import functools
import importlib
import operator
import sys
import types

import sandbox_policy

ALLOWED_MODULES = sandbox_policy.ALLOWED_MODULES

# Every exception type of the builtins module, so ordinary `except OSError:` code works.
EXCEPTION_NAMES = tuple(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
SAFE_BUILTIN_NAMES = (
    "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
    "classmethod", "complex", "dict", "dir", "divmod", "enumerate", "filter", "float",
    "format", "frozenset", "hasattr", "hash", "hex", "id", "int", "isinstance", "issubclass", "iter",
    "len", "list", "map", "max", "min", "next", "object", "oct", "ord", "pow", "print",
    "property", "range", "repr", "reversed", "round", "set", "slice", "sorted",
    "staticmethod", "str", "sum", "super", "tuple", "zip",
    "True", "False", "None", "Ellipsis", "NotImplemented",
) + EXCEPTION_NAMES

# Library code of the allowed modules imports these lazily. Jobs run as an unprivileged user
# and under Landlock, so the fork server imports them up front.
PRELOADED_SUPPORT = (
    "heapq", "time", "_strptime", "calendar", "locale", "copy", "bisect", "random", "operator",
    "keyword", "reprlib", "numbers", "weakref", "types", "unicodedata", "inspect", "typing",
    "encodings.ascii", "encodings.latin_1", "encodings.utf_16", "encodings.utf_32",
    "encodings.cp1252", "encodings.unicode_escape", "encodings.raw_unicode_escape",
)
# C code of the allowed modules imports these through the running snippet's builtins
# (datetime's strftime and strptime), so the guarded import must hand them out. The static
# check still refuses them in the snippet's own import statements.
INTERNAL_IMPORTS = ("time", "_strptime")

# Module attributes a snippet must not get even though their names are public, because each
# is a getattr by string or runs code the static check never saw: Formatter and UserString
# (its format/format_map) look attributes up by name in a template; singledispatch and
# typing.get_type_hints/ForwardRef evaluate string annotations; copy.dispatch_table lets a
# reducer choose setattr names.
HIDDEN_MODULE_ATTRIBUTES = {
    "string": {"Formatter"},
    "functools": {"singledispatch", "singledispatchmethod"},
    "collections": {"UserString"},
    "typing": {"get_type_hints", "ForwardRef"},
    "copy": {"dispatch_table"},
}

Py_TPFLAGS_IMMUTABLETYPE = 1 << 8
Py_TPFLAGS_HEAPTYPE = 1 << 9


def _refuse_name(name, what):
    reason = sandbox_policy.attribute_problem(name)
    if reason is None and name in sandbox_policy.FORMAT_METHODS:
        reason = f"'{name}' is not available by name (str.format reads attributes named in its template); use an f-string"
    if reason is not None:
        raise AttributeError(f"{what}: {reason}")


def _getattr(obj, name, *default):
    """getattr(obj, name[, default]) for names the static check would accept as attributes."""
    if type(name) is not str:
        raise TypeError("getattr(): attribute name must be a str")
    _refuse_name(name, "getattr() in the sandbox")
    return getattr(obj, name, *default)


def _type(obj):
    """type(obj) for anything but a class: the type of a class is a metaclass, and calling a
    metaclass with a namespace builds a class with any dunder attribute it names."""
    kind = type(obj)
    if issubclass(kind, type):
        raise TypeError("type() of a class is not available in the sandbox; compare classes with 'is' or issubclass()")
    return kind


def _update_wrapper(wrapper, wrapped):
    """functools.update_wrapper for wrappers made with def or lambda, with the standard
    attribute lists. The real one reads whatever attribute names its caller passes (a getattr
    by string) and hands wrapped.__dict__ to the wrapper's own __getattribute__, which would
    leak object.__dict__['__getattribute__']."""
    if type(wrapper) is not types.FunctionType:
        raise TypeError("functools.update_wrapper and functools.wraps only wrap functions defined with def or lambda in the sandbox")
    return functools.update_wrapper(wrapper, wrapped)


def _wraps(wrapped):
    """functools.wraps without the assigned/updated lists (see _update_wrapper)."""
    return functools.partial(_update_wrapper, wrapped=wrapped)


def _attrgetter(*names):
    for dotted in names:
        for part in str(dotted).split("."):
            _refuse_name(part, "operator.attrgetter in the sandbox")
    return operator.attrgetter(*names)


def _methodcaller(name, /, *args, **kwargs):
    _refuse_name(name, "operator.methodcaller in the sandbox")
    return operator.methodcaller(name, *args, **kwargs)


def _make_dataclass(cls_name, fields, *, namespace=None, **options):
    """dataclasses.make_dataclass with field names and namespace keys that a class body could
    bind too: a field named '__self__' would become a __match_args__ entry, a namespace key
    '__subclasshook__' an isinstance hook."""
    for field in fields:
        name = field if isinstance(field, str) else field[0]
        if not isinstance(name, str) or name.startswith("__"):
            raise TypeError(f"make_dataclass field {name!r}: double-underscore names are not allowed in the sandbox")
    for key in namespace or {}:
        if not isinstance(key, str) or sandbox_policy.definition_problem(key) is not None:
            raise TypeError(f"make_dataclass namespace key {key!r} is not allowed in the sandbox")
    return dataclasses.make_dataclass(cls_name, fields, namespace=namespace, **options)


# Module attributes a snippet gets in a checked form.
REPLACED_MODULE_ATTRIBUTES = {
    "functools": {"update_wrapper": _update_wrapper, "wraps": _wraps},
    "operator": {"attrgetter": _attrgetter, "methodcaller": _methodcaller},
    "dataclasses": {"make_dataclass": _make_dataclass},
}


def _module_copy(name):
    module = importlib.import_module(name)
    hidden = HIDDEN_MODULE_ATTRIBUTES.get(name, set())
    public = {
        key: value for key, value in vars(module).items()
        if not key.startswith("_") and key not in hidden and not isinstance(value, types.ModuleType)
    }
    public.update(REPLACED_MODULE_ATTRIBUTES.get(name, {}))
    return types.SimpleNamespace(**public)


def preload():
    """Imports the allowed modules once (in the fork server) and returns their copies."""
    for name in PRELOADED_SUPPORT:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    modules = {name: _module_copy(name) for name in ALLOWED_MODULES}
    modules.update({name: importlib.import_module(name) for name in INTERNAL_IMPORTS})
    return modules


def freeze_library_classes():
    """Marks every class that exists now immutable; returns how many, or raises RuntimeError
    when this interpreter's type layout is not the one expected (then nothing is changed)."""
    offset = _flags_offset()
    seen = set()
    stack = [object]
    frozen = 0
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(type.__subclasses__(cls))
        flags = ctypes.c_ulong.from_address(id(cls) + offset)
        if flags.value & Py_TPFLAGS_HEAPTYPE and not flags.value & Py_TPFLAGS_IMMUTABLETYPE:
            flags.value |= Py_TPFLAGS_IMMUTABLETYPE
            frozen += 1
    return frozen


def _flags_offset():
    # tp_flags follows 20 pointer-sized fields in PyTypeObject (3.10-3.13, regular builds).
    offset = 21 * ctypes.sizeof(ctypes.c_void_p)
    samples = (object, type, int, dict, Exception, types.SimpleNamespace, functools.partial, dataclasses.Field)
    if sys.version_info < (3, 10) or any(ctypes.c_ulong.from_address(id(c) + offset).value != c.__flags__ for c in samples):
        raise RuntimeError(f"the type layout of Python {sys.version.split()[0]} is not the expected one")
    return offset


def snippet_globals(namespace, input_value, modules):
    """Fills ``namespace`` (the ``__main__`` module's dict): ``input``, restricted builtins."""

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name not in modules:
            raise ImportError(f"import of '{name}' is not allowed in the sandbox")
        for attribute in fromlist or ():
            if attribute.startswith("_"):
                raise ImportError(f"importing '{attribute}' from '{name}' is not allowed in the sandbox")
        return modules[name]

    table = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}
    table["__import__"] = guarded_import
    table["getattr"] = _getattr
    table["type"] = _type
    # Class statements need it; it only builds a class from a body the snippet already has.
    table["__build_class__"] = builtins.__build_class__
    namespace.update({"__builtins__": table, "input": input_value})
    return namespace
