"""What a snippet may say and what it can reach: the static check and the restricted globals.

Two layers live here, and each works without the other:

* ``check(code)`` walks the syntax tree before anything runs and rejects attribute names that
  start with ``_`` (every known object-graph escape goes through one), the frame/traceback/
  generator attributes that do not, ``str.format`` on anything but a literal without
  attribute fields (nested ones included), imports outside ``ALLOWED_MODULES``, names of
  dangerous builtins, dunder names bound by import aliases, ``except ... as`` and match
  captures, and the few dunder methods that let library code hand over internals
  (``BLOCKED_DEFINITIONS``).
* ``snippet_globals(input)`` gives the snippet a builtins table without anything that opens
  files, evaluates or compiles code, imports freely, reaches frames or globals, reads stdin or
  exits, and an ``__import__`` that hands out attribute copies of the allowed modules (public
  names only, no sub-modules, so ``json.codecs.open`` or ``re.enum.sys`` cannot be reached;
  functools without its getattr-by-name and eval-by-annotation helpers).
"""

import ast
import builtins
import functools
import importlib
import string
import types

ALLOWED_MODULES = (
    "math", "statistics", "json", "re", "datetime", "decimal", "fractions",
    "collections", "itertools", "functools", "string",
)

# Builtins a snippet may name. Everything else (open, eval, exec, compile, __import__ by name,
# getattr, vars, globals, locals, input, breakpoint, exit, quit, help, memoryview, type, ...)
# is absent from its builtins table.
SAFE_BUILTIN_NAMES = (
    "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
    "classmethod", "complex", "dict", "dir", "divmod", "enumerate", "filter", "float",
    "format", "frozenset", "hasattr", "hash", "hex", "id", "int", "isinstance", "issubclass", "iter",
    "len", "list", "map", "max", "min", "next", "object", "oct", "ord", "pow", "print",
    "property", "range", "repr", "reversed", "round", "set", "slice", "sorted",
    "staticmethod", "str", "sum", "super", "tuple", "zip",
    "True", "False", "None", "Ellipsis", "NotImplemented",
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "Exception",
    "IndexError", "KeyError", "LookupError", "NameError", "NotImplementedError",
    "OverflowError", "RecursionError", "RuntimeError", "StopIteration", "TypeError",
    "UnicodeError", "ValueError", "ZeroDivisionError",
)

# Names the static check refuses outright, so the author reads a clear reason instead of a
# NameError at run time.
BLOCKED_NAMES = frozenset((
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "vars", "globals",
    "locals", "breakpoint", "exit", "quit", "help", "memoryview", "type",
    "copyright", "credits", "license",
))

# Attributes without a leading underscore that still lead to frames, code or globals.
BLOCKED_ATTRIBUTES = frozenset((
    "gi_frame", "gi_code", "gi_yieldfrom", "gi_running", "gi_suspended",
    "cr_frame", "cr_code", "cr_await", "cr_running", "cr_origin",
    "ag_frame", "ag_code", "ag_await", "ag_running",
    "f_back", "f_builtins", "f_code", "f_globals", "f_locals", "f_trace", "f_lasti", "f_lineno",
    "tb_frame", "tb_next", "tb_lasti", "tb_lineno",
    "co_code", "co_consts", "co_names", "co_varnames", "co_filename",
    "func_globals", "func_code", "im_func", "im_self", "mro",
))

# Library code of the allowed modules imports these lazily. Jobs run as an unprivileged user
# that may not be able to read the standard library, so the fork server imports them up front.
PRELOADED_SUPPORT = (
    "heapq", "time", "_strptime", "calendar", "locale", "copy", "bisect", "random", "operator",
    "keyword", "reprlib", "numbers", "weakref", "types", "unicodedata",
    "encodings.ascii", "encodings.latin_1", "encodings.utf_16", "encodings.utf_32",
    "encodings.cp1252", "encodings.unicode_escape", "encodings.raw_unicode_escape",
)
# C code of the allowed modules imports these through the running snippet's builtins
# (datetime's strftime and strptime), so the guarded import must hand them out. The static
# check still refuses them in the snippet's own import statements.
INTERNAL_IMPORTS = ("time", "_strptime")

# Module attributes a snippet must not get even though their names are public: Formatter looks
# attributes up by name; singledispatch evaluates string annotations with
# typing.get_type_hints, which runs code the static check never saw.
HIDDEN_MODULE_ATTRIBUTES = {"string": {"Formatter"}, "functools": {"singledispatch", "singledispatchmethod"}}

# Names a def or class statement may not bind even though they look like ordinary dunder
# methods. A class's __match_args__ names the attributes a positional match pattern reads (a
# getattr with strings built at run time). ABCMeta calls __subclasshook__ with the class of
# whatever isinstance() checks, so isinstance(int, C) would hand over `type` itself;
# __instancecheck__ and __subclasscheck__ are the same hooks one level up. The copy hooks:
# UserDict.copy() on a subclass calls copy.copy, which, once __copy__ is overridden, rebuilds
# the object from __reduce_ex__ and calls setattr(anything, name, value) with the names given.
BLOCKED_DEFINITIONS = frozenset((
    "__match_args__", "__subclasshook__", "__instancecheck__", "__subclasscheck__",
    "__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__",
))

FORMAT_METHODS = ("format", "format_map")


class Rejected(Exception):
    """The static check refused the snippet: ``reason`` at ``line``."""

    def __init__(self, reason, line):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def check(code):
    """Parses ``code`` and raises ``Rejected`` (or ``SyntaxError``) if a rule is broken."""
    tree = ast.parse(code, filename="<snippet>", mode="exec")
    for node in ast.walk(tree):
        _check_node(node)
    return tree


def _check_node(node):
    line = getattr(node, "lineno", None)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        _check_import(node, line)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node.attr, line)
        if node.attr in FORMAT_METHODS:
            _check_format_receiver(node, line)
    elif isinstance(node, ast.Name):
        if node.id.startswith("__"):
            raise Rejected(f"the name '{node.id}' is not allowed (double-underscore names reach interpreter internals)", line)
        if node.id in BLOCKED_NAMES:
            raise Rejected(f"the builtin '{node.id}' is not available in the sandbox", line)
    elif isinstance(node, ast.MatchClass):
        for attribute in node.kwd_attrs:
            _check_attribute(attribute, line)
            if attribute in FORMAT_METHODS:
                raise Rejected(f"'.{attribute}' is only allowed on a string literal; use an f-string", line)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        if node.name.startswith("__") and not node.name.endswith("__"):
            raise Rejected(f"the name '{node.name}' is not allowed", line)
        if node.name in BLOCKED_DEFINITIONS:
            raise Rejected(f"defining '{node.name}' is not allowed (library code calls it in ways that reach interpreter internals)", line)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar, ast.ExceptHandler)):
        _check_bound_name(node.name, line)
    elif isinstance(node, ast.MatchMapping):
        _check_bound_name(node.rest, line)


def _check_bound_name(name, line):
    # Names bound without an ast.Name node (import aliases, except ... as, match captures) get
    # the same rule as names: binding __match_args__ in a class body would be a getattr by
    # string, binding __builtins__ would swap the builtins of later functions.
    if name is not None and name.startswith("__"):
        raise Rejected(f"the name '{name}' is not allowed (double-underscore names reach interpreter internals)", line)


def _check_import(node, line):
    if isinstance(node, ast.ImportFrom):
        if node.level:
            raise Rejected("relative imports are not allowed", line)
        names = [node.module or ""]
        for alias in node.names:
            # "from json import __class__" would read an attribute starting with '_'.
            _check_attribute(alias.name, line)
    else:
        names = [alias.name for alias in node.names]
    for alias in node.names:
        _check_bound_name(alias.asname, line)
    for name in names:
        if name not in ALLOWED_MODULES:
            allowed = ", ".join(ALLOWED_MODULES)
            raise Rejected(f"import of '{name}' is not allowed; allowed modules: {allowed}", line)


def _check_attribute(name, line):
    if name.startswith("_"):
        raise Rejected(f"access to the attribute '{name}' is not allowed (names starting with '_' reach interpreter internals)", line)
    if name in BLOCKED_ATTRIBUTES:
        raise Rejected(f"access to the attribute '{name}' is not allowed (it reaches frames, code or globals)", line)


def _check_format_receiver(node, line):
    # str.format resolves "{0.attr}" with getattr at run time, past the static check, so only
    # a literal template without attribute fields is allowed. f-strings are checked as code.
    receiver = node.value
    if not (isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)):
        raise Rejected(f"'.{node.attr}' is only allowed on a string literal; use an f-string", line)
    try:
        fields = list(_format_fields(receiver.value))
    except ValueError as error:
        raise Rejected(f"malformed format string: {error}", line) from None
    for field in fields:
        if "." in field:
            raise Rejected(f"the format field '{{{field}}}' reads an attribute; use an f-string", line)


def _format_fields(template):
    """The replacement fields of a str.format template, including those nested in format
    specs ("{0:{1.__class__}}" looks up the attribute to build the spec)."""
    for _, field, spec, _ in string.Formatter().parse(template):
        if field:
            yield field
        if spec:
            yield from _format_fields(spec)


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


# Module attributes a snippet gets in a safer form.
REPLACED_MODULE_ATTRIBUTES = {"functools": {"update_wrapper": _update_wrapper, "wraps": _wraps}}


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


def snippet_globals(input_value, modules):
    """The globals a snippet runs with: ``input``, and restricted builtins."""

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name not in modules:
            raise ImportError(f"import of '{name}' is not allowed in the sandbox")
        for attribute in fromlist or ():
            if attribute.startswith("_"):
                raise ImportError(f"importing '{attribute}' from '{name}' is not allowed in the sandbox")
        return modules[name]

    table = {name: getattr(builtins, name) for name in SAFE_BUILTIN_NAMES}
    table["__import__"] = guarded_import
    # Class statements need it; it only builds a class from a body the snippet already has.
    table["__build_class__"] = builtins.__build_class__
    return {"__builtins__": table, "__name__": "__snippet__", "input": input_value}
