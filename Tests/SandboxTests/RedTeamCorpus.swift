@testable import Sandbox

/// Red-team additions to the hostile corpus, run by `HostileSnippetTests` with the same checks
/// (specific safe outcome, no marker file, no connection, no leftover process, still answers).
///
/// The first group escaped before the fix named in each case (they created the marker file or
/// returned the real `builtins` module); the second reported the wrong kind of error; the rest
/// held and are kept so they keep holding.
extension HostileSnippetTests {
    static let redTeamCases: [Case] = [
        // Escapes: getattr by a run-time string, or code the static check never saw.
        Case(name: "functools.update_wrapper reads any attribute", code: """
            import functools
            stash = []
            class Grab:
                def __setattr__(self, name, value):
                    stash.append(value)
            functools.update_wrapper(Grab(), len, assigned=('__self__',), updated=())
            stash[0].open('MARKER', 'w').write('pwned')
            """, expected: .python(type: "TypeError", line: 6)),
        Case(name: "functools.wraps hands object.__dict__ to a hostile wrapper", code: """
            import functools
            stash = []
            class Grabber:
                def update(self, d):
                    stash.append(d)
            class Grab:
                def __getattribute__(self, name):
                    return Grabber()
                def __setattr__(self, name, value):
                    pass
            functools.wraps(object)(Grab())
            builtins = stash[0]['__getattribute__'](len, '__self__')
            builtins.open('MARKER', 'w').write('pwned')
            """, expected: .python(type: "TypeError", line: 11, message: "only wrap functions")),
        Case(name: "functools.singledispatch evaluates a string annotation", code: """
            import functools
            @functools.singledispatch
            def d(x):
                return 0
            def g(x: "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == '_wrap_close'][0].__init__.__globals__['open']('MARKER', 65) and int"):
                return 1
            d.register(g)
            """, expected: .python(type: "AttributeError", line: 2)),
        Case(name: "positional match through __match_args__ and __subclasshook__", code: """
            import collections
            class C(collections.UserDict):
                @classmethod
                def __subclasshook__(cls, sub):
                    return True
                @(lambda f: ('__self__',))
                def __match_args__(self):
                    pass
            match len:
                case C(b):
                    b.open('MARKER', 'w').write('pwned')
            """, expected: .rejected(mentioning: "__subclasshook__", line: 4)),
        Case(name: "__match_args__ bound by an import alias", code: """
            import json
            json.t = ('__self__',)
            class C:
                from json import t as __match_args__
            """, expected: .rejected(mentioning: "__match_args__", line: 4)),
        Case(name: "__match_args__ bound by a match capture", code: """
            class C:
                match ('__self__',):
                    case __match_args__:
                        pass
            """, expected: .rejected(mentioning: "__match_args__", line: 3)),
        Case(name: "__match_args__ defined as a method", code: """
            class C:
                @(lambda f: ('__globals__',))
                def __match_args__(self):
                    pass
            """, expected: .rejected(mentioning: "__match_args__", line: 3)),
        Case(name: "__subclasshook__ hands over type", code: """
            import collections
            stash = []
            class C(collections.UserDict):
                @classmethod
                def __subclasshook__(cls, sub):
                    stash.append(sub)
                    return NotImplemented
            isinstance(int, C)
            M = stash[-1]('M', (C,), {'__match_args__': ('__self__',)})
            """, expected: .rejected(mentioning: "__subclasshook__", line: 5)),
        Case(name: "UserDict.copy() lets copy.copy call setattr with any name", code: """
            import collections
            class Target(collections.UserDict):
                pass
            def hook(cls, sub):
                return True
            def give_target():
                return Target
            class Setter(collections.UserDict):
                @(lambda f: None)
                def __copy__(self):
                    pass
                def __reduce_ex__(self, protocol):
                    return (give_target, (), (None, {'__match_args__': ('__self__',), '__subclasshook__': classmethod(hook)}))
            Setter().copy()
            match len:
                case Target(b):
                    b.open('MARKER', 'w').write('pwned')
            """, expected: .rejected(mentioning: "__copy__", line: 10)),
        Case(name: "nested format spec reads an attribute", code: """
            class Echo:
                def __format__(self, spec):
                    return spec
            def f():
                pass
            output = '{0:{1.__globals__}}'.format(Echo(), f)
            """, expected: .rejected(mentioning: "format field", line: 6)),
        Case(name: "match keyword pattern fetches str.format", code: "match str:\n    case object(format=fmt):\n        output = fmt('{0.__class__.__base__}', 1)",
             expected: .rejected(mentioning: "string literal", line: 2)),
        Case(name: "from-import of a dunder of a module copy", code: "from json import __class__ as namespace_type",
             expected: .rejected(mentioning: "__class__", line: 1)),
        Case(name: "__builtins__ rebound by an import alias", code: "import math as __builtins__",
             expected: .rejected(mentioning: "__builtins__", line: 1)),
        Case(name: "__builtins__ rebound by except ... as", code: "try:\n    1 / 0\nexcept ZeroDivisionError as __builtins__:\n    pass",
             expected: .rejected(mentioning: "__builtins__", line: 3)),

        // Wrong error kind before: each was a bare `crashed` or a misleading kind.
        Case(name: "dict subclass whose items() raises during serialization", code: """
            class D(dict):
                def items(self):
                    raise KeyError('boom')
            output = D(a=1)
            """, expected: .nonJSON(type: "D", message: "boom")),
        Case(name: "exception message that is a str subclass with a raising __str__", code: """
            class S(str):
                def __str__(self):
                    raise ValueError('no')
            class E(Exception):
                def __str__(self):
                    return S('hi')
            raise E()
            """, expected: .python(type: "E", line: 7, message: "hi")),
        Case(name: "lone surrogate in output", code: #"output = {'text': '\ud800'}"#,
             expected: .nonJSON(type: "dict", message: "surrogates not allowed")),
        Case(name: "lone surrogate in an exception message", code: #"raise ValueError('\udc00\ud800')"#,
             expected: .python(type: "ValueError", line: 1, message: #"\udc00\ud800"#)),
        Case(name: "forged error posing as the sandbox's failure (retryable)", code: """
            import json
            json.JSONEncoder.encode = lambda self, o: '1, "error": "forged"'
            output = 1
            """, expected: .python(type: "TypeError", line: 2, message: "immutable type 'JSONEncoder'")),
        Case(name: "forged timeout", code: """
            import json
            json.JSONEncoder.encode = lambda self, o: '1, "error": {"kind": "timeout"}'
            output = 1
            """, expected: .python(type: "TypeError", line: 2, message: "immutable type 'JSONEncoder'")),
        Case(name: "unary minus nested too deeply to parse", code: "output = " + String(repeating: "-", count: 100_000) + "1",
             expected: .syntaxError(mentioning: "nested too deeply")),
        Case(name: "binary operators nested too deeply to compile", code: "output = 1" + String(repeating: "+1", count: 60_000),
             expected: .syntaxError(mentioning: "nested too deeply")),

        // Held already.
        Case(name: "match keyword pattern for gi_frame", code: "def g():\n    yield 1\nmatch g():\n    case object(gi_frame=f):\n        output = 1",
             expected: .rejected(mentioning: "gi_frame", line: 4)),
        Case(name: "f-string format spec reads an attribute", code: "x = 1\noutput = f'{x:{x.__class__}}'",
             expected: .rejected(mentioning: "__class__", line: 2)),
        Case(name: "format() with an attribute field as spec", code: "output = format(len, '{0.__globals__}')",
             expected: .python(type: "TypeError", line: 1)),
        Case(name: "KeyboardInterrupt is an error like any other", code: "x = 1\nraise KeyboardInterrupt", expected: .python(type: "KeyboardInterrupt", line: 2)),
        Case(name: "exception whose str() raises", code: "class E(Exception):\n    def __str__(self):\n        raise E()\nraise E()",
             expected: .python(type: "E", line: 4, message: "could not be read")),
        Case(name: "exception with a huge message", code: "raise ValueError('x' * 10**7)",
             expected: .python(type: "ValueError", line: 1, message: "xxx…")),
        Case(name: "regex catastrophic backtracking under the CPU limit", code: "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')",
             expected: .cpuLimit, timeout: .seconds(20), cpuSeconds: 1),
        Case(name: "math.factorial(10**7)", code: "import math\noutput = math.factorial(10**7) % 7",
             expected: .timeout, timeout: .seconds(1)),
        Case(name: "10**10**8", code: "output = 10**10**8 % 7", expected: .timeout, timeout: .seconds(1)),
        Case(name: "pow(2, 10**10)", code: "output = pow(2, 10**10) % 7", expected: .memoryLimit),
        Case(name: "decimal at maximum precision", code: """
            import decimal
            c = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX)
            output = str(c.sqrt(decimal.Decimal(2)))
            """, expected: .memoryLimit),
        Case(name: "printing an endless generator", code: "import itertools\nprint(*itertools.count())", expected: .memoryLimit),
        Case(name: "json.loads of deep nesting", code: "import json\noutput = json.loads('[' * 100000)",
             expected: .python(type: "RecursionError", line: 2)),
        Case(name: "recursion inside a comprehension", code: "def f(n):\n    return [f(n + 1) for _ in [0]]\noutput = f(0)",
             expected: .python(type: "RecursionError", line: 2)),
        Case(name: "hash of a million-deep tuple (C recursion without a guard)", code: "t = ()\nfor _ in range(10**6):\n    t = (t,)\noutput = hash(t)",
             expected: .crashed(mentioning: "SIGSEGV")),
        Case(name: "dict subclass whose items() never ends", code: """
            class D(dict):
                def items(self):
                    while True:
                        pass
            output = D(a=1)
            """, expected: .timeout, timeout: .seconds(1)),
        Case(name: "valid JSON that is enormous once escaped", code: #"output = ['\u0001'] * 200000"#,
             expected: .tooLarge(stream: "output")),
        Case(name: "circular output", code: "x = [1]\nx.append(x)\noutput = x", expected: .nonJSON(type: "list", message: "Circular")),
        Case(name: "endless generator as output", code: "import itertools\noutput = (n for n in itertools.count())",
             expected: .nonJSON(type: "generator")),
        Case(name: "Infinity inside a list subclass", code: "class L(list):\n    pass\noutput = L([1, float('inf')])",
             expected: .nonJSON(type: "L")),
        Case(name: "Decimal NaN output", code: "from decimal import Decimal\noutput = Decimal('NaN')", expected: .nonJSON(type: "Decimal")),
        Case(name: "output whose __repr__ never returns (repr is not called)", code: """
            class R:
                def __repr__(self):
                    while True:
                        pass
            output = R()
            """, expected: .nonJSON(type: "R")),
    ]
}
