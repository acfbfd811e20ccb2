import OrchJSON
@testable import Sandbox
import Testing

/// Everyday data-shaping code that must keep working inside all the layers.
@Suite(.enabled(if: Python.available, Python.missing))
struct OrdinarySnippetTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let code: String
        var input: JSONValue = .null
        let expected: JSONValue
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "seed example: sum of values", code: "output = {'total': sum(input['values'])}",
             input: ["values": [10, 20, 30]], expected: ["total": 60]),
        Case(name: "list comprehension", code: "output = [x * x for x in input if x % 2 == 0]",
             input: [1, 2, 3, 4], expected: [4, 16]),
        Case(name: "sorting records by key", code: "output = [r['name'] for r in sorted(input, key=lambda r: (-r['qty'], r['name']))]",
             input: [["name": "b", "qty": 1], ["name": "a", "qty": 3], ["name": "c", "qty": 3]], expected: ["a", "c", "b"]),
        Case(name: "math", code: "import math\noutput = [math.sqrt(input), math.floor(math.pi * 100), math.gcd(12, 18)]",
             input: 16, expected: [4, 314, 6]),
        Case(name: "json round trip", code: "import json\ntext = json.dumps(input, sort_keys=True)\noutput = {'text': text, 'back': json.loads(text)}",
             input: ["b": 1, "a": [true, nil]], expected: ["text": "{\"a\": [true, null], \"b\": 1}", "back": ["b": 1, "a": [true, nil]]]),
        Case(name: "string methods", code: "output = ' '.join(w.capitalize() for w in input.strip().split()).replace('Of', 'of')",
             input: "  the lord of   the rings ", expected: "The Lord of The Rings"),
        Case(name: "statistics", code: "import statistics\noutput = {'mean': statistics.mean(input), 'median': statistics.median(input), 'stdev': round(statistics.pstdev(input), 3)}",
             input: [2, 4, 4, 4, 5, 5, 7, 9], expected: ["mean": 5, "median": 4.5, "stdev": 2]),
        Case(name: "datetime", code: "from datetime import date, timedelta\nd = date.fromisoformat(input) + timedelta(days=30)\noutput = {'date': d.isoformat(), 'weekday': d.strftime('%A')}",
             input: "2024-01-15", expected: ["date": "2024-02-14", "weekday": "Wednesday"]),
        Case(name: "collections and itertools", code: "from collections import Counter\nimport itertools\noutput = {'top': Counter(input).most_common(1)[0][0], 'pairs': len(list(itertools.combinations(set(input), 2)))}",
             input: ["a", "b", "a", "c", "a"], expected: ["top": "a", "pairs": 3]),
        Case(name: "decimal and fractions", code: "from decimal import Decimal\nfrom fractions import Fraction\noutput = [str(Decimal('0.1') + Decimal('0.2')), str(Fraction(1, 3) + Fraction(1, 6))]",
             expected: ["0.3", "1/2"]),
        Case(name: "regular expressions", code: "import re\noutput = re.findall(r'\\d+\\.\\d{2}', input)",
             input: "milk 1.99, bread 2.50", expected: ["1.99", "2.50"]),
        Case(name: "functions, classes and f-strings", code: """
            class Item:
                def __init__(self, name, price):
                    self.name, self.price = name, price
                def label(self):
                    return f'{self.name}: {self.price:.2f}'
            def total(items):
                return sum(i.price for i in items)
            items = [Item(**d) for d in input]
            output = {'labels': [i.label() for i in items], 'total': total(items), 'fmt': '{} items'.format(len(items))}
            """, input: [["name": "tea", "price": 2.5], ["name": "cake", "price": 4]],
             expected: ["labels": ["tea: 2.50", "cake: 4.00"], "total": 6.5, "fmt": "2 items"]),
        Case(name: "output never set is null", code: "x = 1", expected: .null),
        // What the red-team rules (RedTeamCorpus.swift) must leave working.
        Case(name: "functools.wraps and lru_cache decorators", code: """
            import functools
            def doubled(f):
                @functools.wraps(f)
                def inner(*args):
                    return f(*args) * 2
                return inner
            @doubled
            def identity(x):
                return x
            @functools.lru_cache(maxsize=None)
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            output = [identity(input), fib(30)]
            """, input: 3, expected: [6, 832040]),
        Case(name: "nested format specs without attributes", code: "output = '{0:>{1}}|{2:{3}}'.format('ab', 5, input, '.2f')",
             input: 3.14159, expected: "   ab|3.14"),
        Case(name: "positional match on a namedtuple", code: """
            from collections import namedtuple
            Point = namedtuple('Point', 'x y')
            match Point(*input):
                case Point(x, 0):
                    output = 'on the x axis'
                case Point(x, y):
                    output = x + y
            """, input: [1, 2], expected: 3),
        Case(name: "from-import of public names with aliases", code: "from json import dumps, loads as parse\noutput = parse(dumps(input))",
             input: ["a": [1]], expected: ["a": [1]]),
        Case(name: "non-ASCII output", code: "output = input + ' ' + chr(0x1F600)", input: "été", expected: "été \u{1F600}"),
        // Everyday idioms the language layers used to refuse (issue 7): they run now, because
        // the OS layers hold without them.
        Case(name: "private attributes on the snippet's own class", code: """
            class Basket:
                def __init__(self):
                    self._items = []
                    self.__total = 0
                def add(self, item, price):
                    self._items.append(item)
                    self.__total += price
                    return self
                def total(self):
                    return self.__total
            b = Basket().add('tea', 2).add('cake', 3)
            output = [b._items, b.total()]
            """, expected: [["tea", "cake"], 5]),
        Case(name: "namedtuple _asdict, _replace and _fields", code: """
            from collections import namedtuple
            Row = namedtuple('Row', 'name qty')
            r = Row('tea', 2)._replace(qty=3)
            output = [r._asdict(), list(Row._fields)]
            """, expected: [["name": "tea", "qty": 3], ["name", "qty"]]),
        Case(name: "type(v).__name__ and isinstance", code: "output = [type(v).__name__ for v in input]",
             input: [1, "a", [1], ["k": 1], nil, 1.5, true], expected: ["int", "str", "list", "dict", "NoneType", "float", "bool"]),
        Case(name: "standard exception names", code: """
            def decode(raw):
                try:
                    return raw.decode('utf-8')
                except UnicodeDecodeError as error:
                    return f'{type(error).__name__} at {error.start}'
            try:
                raise FileNotFoundError('no such receipt')
            except OSError as error:
                found = str(error)
            output = [decode(b'ok'), decode(b'\\xff'), found, issubclass(TimeoutError, OSError)]
            """, expected: ["ok", "UnicodeDecodeError at 0", "no such receipt", true]),
        Case(name: "if __name__ == '__main__'", code: """
            def main(values):
                return max(values)
            if __name__ == "__main__":
                output = main(input)
            """, input: [3, 9, 4], expected: 9),
        Case(name: "super().__init__ and __repr__", code: """
            class Base:
                def __init__(self, name):
                    self.name = name
                def __repr__(self):
                    return f'{type(self).__name__}({self.name!r})'
            class Item(Base):
                def __init__(self, name, price):
                    super().__init__(name)
                    self.price = price
                def __eq__(self, other):
                    return (self.name, self.price) == (other.name, other.price)
            output = [repr(Item('tea', 2)), Item('a', 1) == Item('a', 1), Item.__name__, Item.__init__ is not Base.__init__]
            """, expected: ["Item('tea')", true, "Item", true]),
        Case(name: "getattr with a literal name and a default", code: """
            class Config:
                currency = 'EUR'
            c = Config()
            output = [getattr(c, 'currency', 'USD'), getattr(c, 'rate', 1.0)]
            """, expected: ["EUR", 1]),
        Case(name: "a variable called type", code: "type = input['type']\noutput = type.upper()", input: ["type": "food"], expected: "FOOD"),
        Case(name: "heapq, bisect and operator", code: """
            import heapq, bisect, operator
            rows = [{'n': 'a', 'p': 3}, {'n': 'b', 'p': 1}, {'n': 'c', 'p': 2}]
            cheapest = [r['n'] for r in heapq.nsmallest(2, rows, key=operator.itemgetter('p'))]
            grades = [bisect.bisect([60, 70, 80, 90], s) for s in input]
            output = [cheapest, grades, sorted(map(operator.attrgetter('real'), [3, 1, 2]))]
            """, input: [55, 85, 95], expected: [["b", "c"], [0, 3, 4], [1, 2, 3]]),
        Case(name: "random with a seed, and fresh per job", code: """
            import random
            rng = random.Random(42)
            output = [rng.randint(1, 100), len(random.sample(range(10), 3)), 0 <= random.random() < 1]
            """, expected: [82, 3, true]),
        Case(name: "dataclasses, typing and copy", code: """
            import copy
            from dataclasses import dataclass, field, asdict, replace
            from typing import List, Optional, NamedTuple
            @dataclass
            class Line:
                item: str
                qty: int = 1
                tags: List[str] = field(default_factory=list)
                note: Optional[str] = None
            class Pair(NamedTuple):
                a: int
                b: int
            first = Line('tea', 2, ['drink'])
            second = copy.deepcopy(first)
            second.tags.append('hot')
            output = [asdict(first), asdict(replace(second, qty=5)), Pair(1, 2)._asdict()]
            """, expected: [["item": "tea", "qty": 2, "tags": ["drink"], "note": nil],
                            ["item": "tea", "qty": 5, "tags": ["drink", "hot"], "note": nil], ["a": 1, "b": 2]]),
        Case(name: "textwrap and unicodedata", code: """
            import textwrap, unicodedata
            output = [textwrap.wrap(input, 10), unicodedata.normalize('NFKD', 'café').encode('ascii', 'ignore').decode(), unicodedata.category('A')]
            """, input: "the quick brown fox jumps", expected: [["the quick", "brown fox", "jumps"], "cafe", "Lu"]),
        Case(name: "re flags combined", code: "import re\noutput = re.findall(r'^total: (\\d+)', input, re.I | re.M)",
             input: "Total: 12\nTOTAL: 30", expected: ["12", "30"]),
    ]

    @Test(arguments: cases)
    func returnsTheRightOutput(_ example: Case) async throws {
        let result = try await Sandboxes.shared.run(SandboxJob(code: example.code, input: example.input))
        #expect(result.output == example.expected)
    }

    @Test func printedTextComesBackBesideTheOutput() async throws {
        let result = try await Sandboxes.shared.run(SandboxJob(code: "print('hello', input)\noutput = 1", input: "world"))
        #expect(result.stdout == "hello world\n")
        #expect(result.output == 1)
    }

    /// A str that is not Unicode cannot reach the host as text: an escaped byte comes back as
    /// U+FFFD, a lone surrogate fails the print (stdout is UTF-8 with surrogateescape).
    @Test func printedTextThatIsNotUnicodeComesBackReplaced() async {
        let error = await Sandboxes.shared.failure(of: "print('a' + chr(0xDCFF) + 'b')\nprint('c' + chr(0xD800))")
        guard case .pythonError("UnicodeEncodeError", let message, 2) = error else {
            Issue.record("expected UnicodeEncodeError at line 2, got \(String(describing: error))")
            return
        }
        #expect(message.contains("surrogates not allowed"))
        let result = try? await Sandboxes.shared.run(SandboxJob(code: "print('a' + chr(0xDCFF) + 'b')"))
        #expect(result?.stdout == "a\u{FFFD}b\n")
    }

    @Test func anExceptionCarriesItsTypeMessageAndLine() async {
        let error = await Sandboxes.shared.failure(of: "x = 1\ny = input['missing']\n", input: ["present": 1])
        #expect(error == .pythonError(type: "KeyError", message: "'missing'", line: 2))
        #expect(error?.description.contains("KeyError at line 2") == true)
    }

    @Test func aSyntaxErrorCarriesItsLine() async {
        let error = await Sandboxes.shared.failure(of: "x = 1\ndef broken(:\n")
        guard case .syntaxError(_, let line) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 2)
    }

    @Test func theResultNamesTheActiveLayers() async throws {
        let result = try await Sandboxes.shared.run(SandboxJob(code: "output = 1"))
        #expect(result.layers[.staticCheck]?.active == true)
        #expect(result.layers[.restrictedBuiltins]?.active == true)
        #expect(result.layers[.wallClockTimeout]?.active == true)
        #expect(result.layers.pythonVersion.hasPrefix("3."))
    }
}
