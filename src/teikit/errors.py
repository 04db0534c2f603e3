"""Exceptions raised by teikit, the checks that raise them at the API boundary, and
:class:`Diagnostic`, the one type of problem teikit reports without raising.

Every error a user can cause through a file carries the file and line it is
about, so the command line can print ``file:line: message`` instead of a traceback.
Misused arguments (a wrong type, an unknown option value) raise the built-in
``TypeError``/``ValueError`` before any work starts.

>>> import teikit
>>> try:
...     teikit.load("<root/>")
... except teikit.InputError as exc:
...     print(exc)
<input>:1: not a TEI document (root <root>, expected the TEI namespace http://www.tei-c.org/ns/1.0)
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any, Literal


class TeikitError(Exception):
    """Base class for errors teikit reports to its users.

    ``path`` and ``line`` say where the problem is, when known; ``str(error)``
    is ``path:line: message``.

    >>> str(TeikitError("no title", path="a.xml", line=3))
    'a.xml:3: no title'
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def located(self, path: str | None = None) -> TeikitError:
        """Return self with ``path`` filled in if it was not known yet."""
        if self.path is None and path is not None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = shown_path(self.path) if self.path else "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class InputError(TeikitError):
    """The input cannot be processed (empty, not text, not well-formed, not TEI, ...).

    >>> str(InputError("not well-formed", path="a.xml", line=7))
    'a.xml:7: not well-formed'
    """


class OutputError(TeikitError):
    """An output cannot be written (exists without --force, no permission, ...).

    >>> str(OutputError("exists (use --force)", path="out/d1.xml"))
    'out/d1.xml: exists (use --force)'
    """


class TeikitKeyError(TeikitError, KeyError):
    """A lookup found nothing: ``doc.note("99")``, ``corpus["d9999"]``.

    A ``KeyError`` too, so ``except KeyError`` and ``dict``-style code keep working;
    unlike a bare ``KeyError`` its message is printed without quotes, after the
    file when one is known.

    >>> try:
    ...     raise TeikitKeyError("no note '99' in d1")
    ... except KeyError as exc:
    ...     print(exc)
    no note '99' in d1
    """

    def __str__(self) -> str:
        return TeikitError.__str__(self) if self.path else self.message


def shown_path(name: str) -> str:
    """``name`` as a ``file:line:`` location shows it: as it is, or, when it holds a character
    that is not printable, as its Python ``repr``, so that a newline in a file name cannot split
    the one-line ``file:line: message`` shape (nor a terminal escape sequence act on the terminal).

    >>> print(shown_path("tei/d1.xml"), shown_path("a\\nb.xml"))
    tei/d1.xml 'a\\nb.xml'
    """
    return name if name.isprintable() else repr(name)


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in one file: by validation, by the converter (a warning) or by an export.

    >>> d = Diagnostic("a.xml", 49, None, "warning", "ref-target", "target '#d60' does not resolve")
    >>> d.location(), d.severity
    ('a.xml:49', 'warning')

    ``rule`` names what found it: a schema file name (``teikit.xsd``), a Schematron
    rule id, or an integrity rule (``unique-id``, ``ref-target``, ...).  ``path`` is
    the element's XPath with TEI prefixes left out (``/TEI/text/body/div[1]/p[3]``).
    ``str(d)`` is ``file:line: severity: message``.
    """

    file: str
    line: int | None
    column: int | None
    severity: Severity
    rule: str
    message: str
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message}"

    def location(self) -> str:
        """``file:line:column`` as editors and compilers print it."""
        return location(self.file, self.line, self.column)


def location(file: str, line: int | None = None, column: int | None = None) -> str:
    """``file:line:column`` of a :class:`Diagnostic` (for a caller with many that makes the line
    without making the object); the file as :func:`shown_path` shows it."""
    where = shown_path(file)
    if line:
        where += f":{line}"
        if column:
            where += f":{column}"
    return where


def check_choice(argument: str, value: object, choices: Collection[str]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices`` (an option passed by name).

    >>> check_choice("refs", "eror", ("error", "warning", "off"))
    Traceback (most recent call last):
    ValueError: refs='eror' is not one of 'error', 'warning', 'off'
    """
    if value not in choices:
        known = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{argument}={value!r} is not one of {known}")


def check_type(argument: str, value: object, expected: type | tuple[type, ...], hint: str = "") -> None:
    """Raise ``TypeError`` naming the argument unless ``value`` is an ``expected`` instance.

    >>> check_type("text", b"x", str, "use convert_bytes() for bytes")
    Traceback (most recent call last):
    TypeError: text must be str, not bytes: use convert_bytes() for bytes
    """
    if not isinstance(value, expected):
        names = expected if isinstance(expected, tuple) else (expected,)
        wanted = " or ".join(kind.__name__ for kind in names)
        raise TypeError(f"{argument} must be {wanted}, not {type(value).__name__}" + (f": {hint}" if hint else ""))


__all__ = ["TeikitError", "InputError", "OutputError", "TeikitKeyError", "Diagnostic", "Severity",
           "check_choice", "shown_path", "location", "check_type"]
