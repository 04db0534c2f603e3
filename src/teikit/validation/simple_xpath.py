"""Evaluate simple XSD assertions in Python, without building XPath 2.0 trees.

Profiles' ``xs:assert`` tests are mostly small predicates over the element's own
attributes: ``not(@type = 'document') or (@n and @xml:id)``, ``matches(@xml:id, '^d[0-9]+$')``,
``ends-with(@xml:id, concat('fn', @n))``.  elementpath evaluates each of them by building
a context and walking a token tree (about 1 ms per element); :func:`compile_test` turns
such a test into one Python closure instead, regular expressions translated and compiled
once.  Anything outside this subset returns None and is left to elementpath.

The subset (XPath 2.0 semantics on untyped attributes): ``or``, ``and``, ``=``, ``!=``,
parentheses, string literals, ``@name`` / ``@prefix:name``, and the functions ``not``,
``concat``, ``starts-with``, ``ends-with``, ``contains``, ``matches`` (literal pattern,
flags ``s``, ``m``, ``i``).  An absent attribute is the empty sequence: false in a
boolean, "" as a function argument, and no comparison with it is true.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from lxml import etree

from ..ns import XML_NS

_TOKEN = re.compile(r"""\s*(?:('[^']*'|"[^"]*")|(@[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)|(!=|[=(),])|"""
                    r"""([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?))""")

# a compiled expression: (kind, function of the element); kind says how it turns into a
# boolean or a string: "attr" (str or None), "string", "boolean"
Compiled = tuple[str, Callable[[etree._Element], Any]]


class Unsupported(Exception):
    """The test uses something outside the subset: evaluate it with elementpath."""


Translate = Callable[[str, int], str]


def compile_test(test: str, namespaces: dict[str, str],
                 translate: Translate | None = None) -> Callable[[etree._Element], bool] | None:
    """A predicate equivalent to the XPath test on an element, or None if not in the subset.

    ``translate(pattern, flags)``: an XSD regular expression as a Python one (default:
    elementpath's translation; a caller may pass translations it has cached).
    """
    try:
        tokens = _tokenize(test)
        parser = _Parser(tokens, namespaces, translate or translate_regex)
        compiled = parser.expr()
        if parser.pos != len(tokens):
            raise Unsupported(test)
    except Unsupported:
        return None
    return _boolean(compiled)


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise Unsupported(text)
        tokens.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
    return tokens


def _boolean(compiled: Compiled) -> Callable[[etree._Element], bool]:
    kind, fn = compiled
    if kind == "attr":
        return lambda e: fn(e) is not None
    if kind == "string":
        return lambda e: fn(e) != ""
    return fn


def _string(compiled: Compiled) -> Callable[[etree._Element], str]:
    kind, fn = compiled
    if kind == "attr":
        return lambda e: fn(e) or ""
    if kind == "string":
        return fn
    raise Unsupported("a boolean where a string is expected")


def translate_regex(pattern: str, flags: int) -> str:
    """An XSD/XPath regular expression as a Python one (elementpath's translation)."""
    from elementpath.regex import translate_pattern

    return translate_pattern(pattern, flags=flags)


class _Parser:
    def __init__(self, tokens: list[str], namespaces: dict[str, str], translate: Translate):
        self.tokens, self.pos, self.namespaces, self.translate = tokens, 0, namespaces, translate

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unsupported(f"expected {expected!r}")
        self.pos += 1
        return token

    def expr(self) -> Compiled:
        left = self.and_expr()
        while self.peek() == "or":
            self.take()
            left = ("boolean", _either(_boolean(left), _boolean(self.and_expr())))
        return left

    def and_expr(self) -> Compiled:
        left = self.comparison()
        while self.peek() == "and":
            self.take()
            left = ("boolean", _both(_boolean(left), _boolean(self.comparison())))
        return left

    def comparison(self) -> Compiled:
        left = self.value()
        if self.peek() in ("=", "!="):
            op = self.take()
            right = self.value()
            if "boolean" in (left[0], right[0]):
                raise Unsupported("comparison of booleans")
            left = ("boolean", _comparing(left[1], right[1], equal=op == "="))
        return left

    def value(self) -> Compiled:
        token = self.take()
        if token[0] in "'\"":
            literal = token[1:-1]
            return ("string", lambda e, s=literal: s)
        if token[0] == "@":
            key = self.attribute_key(token[1:])
            return ("attr", lambda e, k=key: e.get(k))
        if token == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if self.peek() == "(" and token in _FUNCTION_NAMES:
            self.take("(")
            args: list[Compiled] = []
            if self.peek() != ")":
                args.append(self.expr())
                while self.peek() == ",":
                    self.take()
                    args.append(self.expr())
            self.take(")")
            if token == "matches":
                return _matches(args, self.translate)
            return _FUNCTIONS[token](args)
        raise Unsupported(token)

    def attribute_key(self, name: str) -> str:
        if ":" not in name:
            return name
        prefix, local = name.split(":", 1)
        uri = XML_NS if prefix == "xml" else self.namespaces.get(prefix)
        if not uri:
            raise Unsupported(name)
        return f"{{{uri}}}{local}"


Test = Callable[[etree._Element], bool]


def _either(a: Test, b: Test) -> Test:
    return lambda e: a(e) or b(e)


def _both(a: Test, b: Test) -> Test:
    return lambda e: a(e) and b(e)


def _comparing(a: Callable[[etree._Element], Any], b: Callable[[etree._Element], Any], *, equal: bool) -> Test:
    return lambda e: _compare(a(e), b(e), equal)


def _compare(a: Any, b: Any, equal: bool) -> bool:
    if a is None or b is None:  # the empty sequence compares with nothing
        return False
    return (a == b) if equal else (a != b)


def _arity(args: list[Compiled], *allowed: int) -> None:
    if len(args) not in allowed:
        raise Unsupported("wrong number of arguments")


def _not(args: list[Compiled]) -> Compiled:
    _arity(args, 1)
    inner = _boolean(args[0])
    return ("boolean", lambda e: not inner(e))


def _concat(args: list[Compiled]) -> Compiled:
    if len(args) < 2:
        raise Unsupported("concat needs two arguments")
    parts = [_string(a) for a in args]
    return ("string", lambda e: "".join(p(e) for p in parts))


def _two_strings(test: Callable[[str, str], bool]) -> Callable[[list[Compiled]], Compiled]:
    def build(args: list[Compiled]) -> Compiled:
        _arity(args, 2)
        a, b = _string(args[0]), _string(args[1])
        return ("boolean", lambda e: test(a(e), b(e)))
    return build


def _literal(compiled: Compiled) -> str:
    kind, fn = compiled
    if kind != "string":
        raise Unsupported("pattern and flags must be literals")
    return fn(None)  # a literal does not look at the element


def _matches(args: list[Compiled], translate: Translate) -> Compiled:
    _arity(args, 2, 3)
    subject = _string(args[0])
    flags_text = _literal(args[2]) if len(args) == 3 else ""
    if set(flags_text) - set("smi"):
        raise Unsupported("regex flags")
    flags = sum({"s": re.S, "m": re.M, "i": re.I}[f] for f in set(flags_text))
    try:
        regex = re.compile(translate(_literal(args[1]), flags), flags)
    except Exception as exc:  # elementpath reports a bad pattern itself
        raise Unsupported(str(exc)) from None
    return ("boolean", lambda e: regex.search(subject(e)) is not None)


_FUNCTIONS: dict[str, Callable[[list[Compiled]], Compiled]] = {
    "not": _not,
    "concat": _concat,
    "starts-with": _two_strings(lambda s, p: s.startswith(p)),
    "ends-with": _two_strings(lambda s, p: s.endswith(p)),
    "contains": _two_strings(lambda s, p: p in s),
}
_FUNCTION_NAMES = {*_FUNCTIONS, "matches"}
