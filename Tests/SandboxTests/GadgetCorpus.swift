@testable import Sandbox

/// The descriptor-gadget family of issue 7, run by `HostileSnippetTests` with every layer on.
/// Each escaped (reached the real `builtins`, then created the marker file) before library
/// classes were frozen and `__builtins__` could no longer be bound; the variants check that the
/// class is closed, not one spelling of it.
extension HostileSnippetTests {
    static let gadgetCases: [Case] = [
        Case(name: "classmethod(cached_property) stored on cached_property", code: """
            import functools
            CP = functools.cached_property
            def f(x):
                pass
            g = CP(f)
            g.attrname = '__get__'
            CP.peek = classmethod(g)
            raw_get = CP.peek
            h = CP(f)
            h.attrname = '__getattribute__'
            b = raw_get(h, object)(len, '__self__')
            b.open('MARKER', 'w').write('pwned')
            """, expected: .python(type: "TypeError", line: 7, message: "immutable type 'cached_property'")),
        Case(name: "the same gadget on a subclass reads only the subclass's own dict", code: """
            import functools
            class D(functools.cached_property):
                pass
            def f(x):
                pass
            g = functools.cached_property(f)
            g.attrname = '__get__'
            D.peek = classmethod(g)
            raw_get = D.peek
            h = functools.cached_property(f)
            h.attrname = '__getattribute__'
            b = raw_get(h, object)(len, '__self__')
            b.open('MARKER', 'w').write('pwned')
            """, expected: .python(type: "TypeError", line: 9, message: "does not support item assignment")),
        Case(name: "attrname set by __set_name__ from a decorated def __get__", code: """
            import functools
            class G:
                @functools.cached_property
                def __get__(self):
                    pass
            functools.cached_property.peek = classmethod(G.__get__)
            """, expected: .rejected(mentioning: "'__get__'", line: 6)),
        Case(name: "partialmethod stored on a library class", code: """
            import functools, collections
            def f(x):
                pass
            g = functools.cached_property(f)
            g.attrname = '__getattribute__'
            collections.UserDict.m = functools.partialmethod(g)
            output = collections.UserDict().m
            """, expected: .python(type: "TypeError", line: 6, message: "immutable type 'UserDict'")),
        Case(name: "UserString.format reached by name", code: """
            import operator, collections
            s = collections.UserString('{0.__self__}')
            output = operator.methodcaller('format', len)(s)
            """, expected: .python(type: "AttributeError", line: 2, message: "UserString")),
        Case(name: "a patched JSONEncoder forging a huge python_error", code: """
            import json
            json.JSONEncoder.encode = lambda self, o: '{"error": {"kind": "python_error", "message": "' + 'x' * 900000 + '"}}'
            output = 1
            """, expected: .python(type: "TypeError", line: 2, message: "immutable type 'JSONEncoder'")),
        Case(name: "class __builtins__ captures C-level imports", code: """
            class __builtins__:
                def __import__(*args):
                    return args
            import datetime
            """, expected: .rejected(mentioning: "'__builtins__'", line: 1)),
        Case(name: "global __builtins__ rebound by def", code: """
            def grab():
                global __builtins__
                def __builtins__():
                    pass
            grab()
            """, expected: .rejected(mentioning: "'__builtins__'", line: 2)),
        Case(name: "a metaclass from type() builds a class with any dunder", code: """
            import collections
            T = type(type(0))
            X = T('X', (collections.UserDict,), {'__match_args__': ('__self__',), '__subclasshook__': classmethod(lambda c, s: True)})
            match len:
                case X(b):
                    b.open('MARKER', 'w').write('pwned')
            """, expected: .python(type: "TypeError", line: 2, message: "type() of a class")),
        Case(name: "make_dataclass with a dunder field becomes __match_args__", code: """
            import dataclasses, collections
            X = dataclasses.make_dataclass('X', ['__self__'], bases=(collections.UserDict,))
            """, expected: .python(type: "TypeError", line: 2, message: "double-underscore")),
        Case(name: "make_dataclass with a __subclasshook__ in its namespace", code: """
            import dataclasses, collections
            X = dataclasses.make_dataclass('X', ['a'], bases=(collections.UserDict,), namespace={'__subclasshook__': classmethod(lambda c, s: True)})
            """, expected: .python(type: "TypeError", line: 2, message: "__subclasshook__")),
        Case(name: "operator.attrgetter of a dunder", code: "import operator\nb = operator.attrgetter('__self__')(len)",
             expected: .python(type: "AttributeError", line: 2, message: "'__self__'")),
        Case(name: "getattr of a dunder", code: "b = getattr(len, '__self__')", expected: .rejected(mentioning: "getattr", line: 1)),
        Case(name: "getattr passed around", code: "g = getattr\nb = g(len, '__self__')", expected: .rejected(mentioning: "getattr", line: 1)),
        Case(name: "copy hooks through __getstate__", code: """
            import copy
            class C:
                def __getstate__(self):
                    return (None, {'__class__': int})
            copy.copy(C())
            """, expected: .rejected(mentioning: "__getstate__", line: 3)),
        Case(name: "typing.get_type_hints evaluates a string annotation", code: """
            import typing
            def g(x: "open('MARKER', 'w')"):
                pass
            typing.get_type_hints(g)
            """, expected: .python(type: "AttributeError", line: 4)),
        Case(name: "copy.dispatch_table picks setattr names", code: "import copy\ncopy.dispatch_table[int] = len",
             expected: .python(type: "AttributeError", line: 2)),
    ]
}
