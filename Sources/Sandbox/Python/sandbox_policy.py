"""The ``static_check`` layer: what a snippet may say, checked on its syntax tree before it runs.

This layer is for friendly early errors, not the boundary: the OS layers (Landlock, seccomp,
privilege drop, namespaces, limits) hold when it is switched off. What it refuses, and why:

* dunder attributes (``x.__class__``, ``f.__globals__``: every known object-graph escape goes
  through one), except the everyday protocol names in ``ALLOWED_DUNDER_ATTRIBUTES``
  (``super().__init__``, ``type(v).__name__``); single-underscore names (``self._items``,
  ``p._asdict()``) are fine;
* the non-dunder frame/code attributes (``gi_frame``, ``f_globals``, ``co_consts``, ``mro``);
* ``str.format``/``format_map`` on anything but a literal without attribute fields, nested
  ones included (``'{0.__class__}'.format(x)`` is a getattr at run time); f-strings are code;
* imports outside ``ALLOWED_MODULES``, relative imports, ``from m import _x``;
* names starting with ``__`` other than reading ``__name__``, however bound (assignment,
  ``global``, import alias, ``except ... as``, match capture, ``def``/``class``): binding
  ``__builtins__`` would swap the builtins of later code and of C-level imports;
* ``def``/``class`` with a dunder name outside a class body, and the few dunder methods that
  make library code hand over internals (``BLOCKED_DEFINITIONS``);
* the builtins that evaluate, open, or reach scopes (``BLOCKED_NAMES``); ``type`` only as
  ``type(x)`` and ``getattr`` only with a literal attribute name (``getattr(obj, "name",
  default)``), both checked again at run time by the ``restricted_builtins`` layer.
"""

import ast
import string

ALLOWED_MODULES = (
    "math", "statistics", "json", "re", "datetime", "decimal", "fractions",
    "collections", "itertools", "functools", "string", "heapq", "bisect", "operator",
    "random", "dataclasses", "typing", "copy", "textwrap", "unicodedata",
)

# Names the static check refuses outright, so the author reads a clear reason instead of a
# NameError at run time.
BLOCKED_NAMES = frozenset((
    "open", "eval", "exec", "compile", "setattr", "delattr", "vars", "globals",
    "locals", "breakpoint", "exit", "quit", "help", "memoryview",
    "copyright", "credits", "license",
))
# Builtins allowed only in one call shape (see _allowed_call).
SHAPED_CALLS = ("type", "getattr")
# Dunder names a snippet may read.
READABLE_DUNDER_NAMES = frozenset(("__name__",))

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

# Dunder attributes of everyday code: names and docs (strings), and protocol methods called
# explicitly (super().__init__(...), self.__eq__(other)). None of them is a getattr by string
# or reaches globals, frames, bases or subclasses.
ALLOWED_DUNDER_ATTRIBUTES = frozenset((
    "__name__", "__qualname__", "__doc__", "__module__",
    "__init__", "__new__", "__post_init__", "__init_subclass__", "__repr__", "__str__",
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__",
    "__len__", "__iter__", "__next__", "__contains__", "__getitem__", "__setitem__",
    "__delitem__", "__missing__", "__enter__", "__exit__", "__call__",
    "__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__", "__mod__", "__neg__", "__abs__",
))

# Names a def or class statement may not bind even though they look like ordinary dunder
# methods. A class's __match_args__ names the attributes a positional match pattern reads (a
# getattr with strings built at run time). ABCMeta calls __subclasshook__ with the class of
# whatever isinstance() checks, so isinstance(int, C) would hand over `type` itself;
# __instancecheck__ and __subclasscheck__ are the same hooks one level up. The copy hooks:
# copy.copy rebuilds an object from __reduce_ex__ (or __getstate__) and calls
# setattr(anything, name, value) with the names given.
BLOCKED_DEFINITIONS = frozenset((
    "__match_args__", "__subclasshook__", "__instancecheck__", "__subclasscheck__",
    "__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
))

FORMAT_METHODS = ("format", "format_map")


class Rejected(Exception):
    """The static check refused the snippet: ``reason`` at ``line``."""

    def __init__(self, reason, line):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def attribute_problem(name):
    """Why reading the attribute ``name`` is refused, or None (shared with the run-time
    ``getattr``, ``operator.attrgetter`` and ``methodcaller`` of the restricted builtins)."""
    if name.startswith("__") and name.endswith("__") and name not in ALLOWED_DUNDER_ATTRIBUTES:
        return f"access to the attribute '{name}' is not allowed (dunder attributes reach interpreter internals)"
    if name in BLOCKED_ATTRIBUTES:
        return f"access to the attribute '{name}' is not allowed (it reaches frames, code or globals)"
    return None


def definition_problem(name):
    """Why a class body (or make_dataclass namespace) may not define ``name``, or None."""
    if name == "__builtins__":
        return "binding '__builtins__' is not allowed (it would swap the builtins of the code that follows, and of C-level imports)"
    if name in BLOCKED_DEFINITIONS:
        return f"defining '{name}' is not allowed (library code calls it in ways that reach interpreter internals)"
    return None


def check(code):
    """Parses ``code`` and raises ``Rejected`` (or ``SyntaxError``) if a rule is broken."""
    tree = ast.parse(code, filename="<snippet>", mode="exec")
    nodes = list(ast.walk(tree))
    shaped = {id(node.func) for node in nodes if isinstance(node, ast.Call) and _allowed_call(node)}
    # A snippet's own variable called `type` or `getattr` is not the builtin.
    bound = {node.id for node in nodes if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
    bound.update(node.arg for node in nodes if isinstance(node, ast.arg))
    shaped.update(id(node) for node in nodes if isinstance(node, ast.Name) and node.id in bound)
    methods = {
        id(statement) for node in nodes if isinstance(node, ast.ClassDef)
        for statement in node.body if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    for node in nodes:
        _check_node(node, shaped, methods)
    return tree


def _allowed_call(call):
    """type(x) with one argument; getattr(obj, "literal"[, default])."""
    func = call.func
    if not isinstance(func, ast.Name) or func.id not in SHAPED_CALLS or call.keywords:
        return False
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return False
    if func.id == "type":
        return len(call.args) == 1
    if len(call.args) not in (2, 3):
        return False
    name = call.args[1]
    return (isinstance(name, ast.Constant) and isinstance(name.value, str)
            and attribute_problem(name.value) is None and name.value not in FORMAT_METHODS)


def _check_node(node, shaped, methods):
    line = getattr(node, "lineno", None)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        _check_import(node, line)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node.attr, line)
        if node.attr in FORMAT_METHODS:
            _check_format_receiver(node, line)
    elif isinstance(node, ast.Name):
        _check_name(node, line, shaped)
    elif isinstance(node, ast.MatchClass):
        for attribute in node.kwd_attrs:
            _check_attribute(attribute, line)
            if attribute in FORMAT_METHODS:
                raise Rejected(f"'.{attribute}' is only allowed on a string literal; use an f-string", line)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        _check_definition(node, line, methods)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar, ast.ExceptHandler)):
        _check_bound_name(node.name, line)
    elif isinstance(node, ast.MatchMapping):
        _check_bound_name(node.rest, line)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        for name in node.names:
            _check_bound_name(name, line)


def _check_name(node, line, shaped):
    if node.id.startswith("__") and not (node.id in READABLE_DUNDER_NAMES and isinstance(node.ctx, ast.Load)):
        raise Rejected(f"the name '{node.id}' is not allowed (double-underscore names reach interpreter internals)", line)
    if node.id in BLOCKED_NAMES:
        raise Rejected(f"the builtin '{node.id}' is not available in the sandbox", line)
    if node.id in SHAPED_CALLS and id(node) not in shaped and isinstance(node.ctx, ast.Load):
        usage = "type(x) with one argument" if node.id == "type" else "getattr(obj, 'name') or getattr(obj, 'name', default) with a literal, non-dunder name"
        raise Rejected(f"'{node.id}' is only available as {usage}", line)


def _check_definition(node, line, methods):
    name = node.name
    problem = definition_problem(name)
    if problem is not None:
        raise Rejected(problem, line)
    if name.startswith("__") and (isinstance(node, ast.ClassDef) or id(node) not in methods):
        raise Rejected(f"the name '{name}' is not allowed outside a class body (double-underscore names reach interpreter internals)", line)
    for parameter in _type_parameters(node):
        _check_bound_name(parameter, line)


def _type_parameters(node):
    # Python 3.12+: def f[T](), class C[T]; the names are bound in an annotation scope.
    return [getattr(parameter, "name", None) for parameter in getattr(node, "type_params", ())]


def _check_bound_name(name, line):
    # Names bound without an ast.Name node (import aliases, except ... as, match captures,
    # global/nonlocal) get the same rule as names: binding __match_args__ in a class body would
    # be a getattr by string, binding __builtins__ would swap the builtins of later functions.
    if name is not None and name.startswith("__"):
        raise Rejected(f"the name '{name}' is not allowed (double-underscore names reach interpreter internals)", line)


def _check_import(node, line):
    if isinstance(node, ast.ImportFrom):
        if node.level:
            raise Rejected("relative imports are not allowed", line)
        names = [node.module or ""]
        for alias in node.names:
            # "from json import _default_encoder" would reach a module's internals.
            if alias.name.startswith("_"):
                raise Rejected(f"importing '{alias.name}' is not allowed (names starting with '_' are module internals)", line)
    else:
        names = [alias.name for alias in node.names]
    for alias in node.names:
        _check_bound_name(alias.asname, line)
    for name in names:
        if name not in ALLOWED_MODULES:
            allowed = ", ".join(ALLOWED_MODULES)
            raise Rejected(f"import of '{name}' is not allowed; allowed modules: {allowed}", line)


def _check_attribute(name, line):
    problem = attribute_problem(name)
    if problem is not None:
        raise Rejected(problem, line)


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
