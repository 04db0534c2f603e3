"""XInclude without surprises: every include is checked before libxml2 reads anything.

An ``<xi:include href>`` may only name a regular file, by a relative path, inside the
including file's folder tree (or a folder the user allowed), no larger than a cap.
Anything else (``/dev/zero``, ``/etc/passwd``, ``../../secret``, a URL, a FIFO, a
symbolic link leading out of the tree, a 10 GB file) is an error on the include's line
and is never opened.  Included XML is checked the same way before it is expanded, and
so are the entities it uses (an external one is reported on the included file's line).
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..ns import XI_NS
from ..errors import InputError
from ..xmlio import EntityBudgetError, expand_entities, safe_parser
from .diagnostics import Diagnostic

XI_INCLUDE = f"{{{XI_NS}}}include"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

#: the largest file an include may pull in (a TEI volume is well under this; /dev/zero is not)
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: includes nested deeper than this are refused (libxml2 itself stops at 40)
MAX_DEPTH = 20


@dataclass(frozen=True)
class IncludePolicy:
    """``roots``: folders, besides each input's own folder tree, that includes may read."""

    roots: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES


def has_includes(tree: etree._ElementTree) -> bool:
    return next(tree.getroot().iter(XI_INCLUDE), None) is not None


def check_includes(tree: etree._ElementTree, file: str, policy: IncludePolicy) -> list[Diagnostic]:
    """Diagnostics for every include ``tree`` (from ``file``) may not read; [] when all are safe."""
    allowed = [os.path.realpath(os.path.dirname(os.path.abspath(file)))]
    allowed += [os.path.realpath(r) for r in policy.roots]
    return _check(tree, file, allowed, policy.max_bytes, depth=0)


def _check(tree: etree._ElementTree, file: str, allowed: list[str], max_bytes: int,
           depth: int) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for inc in tree.getroot().iter(XI_INCLUDE):
        href = inc.get("href") or ""
        if not href:
            continue  # the document itself, by xpointer: nothing is read
        problem, target = _refusal(inc, href, allowed, max_bytes)
        if problem is None and depth >= MAX_DEPTH:
            problem = f"includes nested more than {MAX_DEPTH} deep"
        if problem is not None:
            out.append(Diagnostic(file, inc.sourceline, None, "error", "xinclude",
                                  f"XInclude of {href!r} refused: {problem}"))
            continue
        if target is None or (inc.get("parse") or "xml") != "xml":
            continue
        try:
            included = etree.parse(target, safe_parser())
        except (etree.XMLSyntaxError, OSError):
            continue  # libxml2 reports it (or takes the fallback) when it expands
        out += [Diagnostic(file, inc.sourceline, None, "error", d.rule, f"in {target}:{d.line}: {d.message}"
                           if d.line else f"in {target}: {d.message}")
                for d in expand_reporting(included, target)[1]]  # named with the included file's line
        out += [Diagnostic(file, inc.sourceline, None, "error", "xinclude", f"in {target}: {d.message}")
                for d in _check(included, target, allowed, max_bytes, depth + 1)]
    return out


def _refusal(inc: etree._Element, href: str, allowed: list[str], max_bytes: int) -> tuple[str | None, str | None]:
    """(why the include is refused or None, the file it reads or None when it is missing)."""
    if _SCHEME.match(href):
        return "only relative paths are followed (nothing is fetched from the network or by URL)", None
    if href.startswith(("/", "\\")) or os.path.isabs(href):
        return "only relative paths are followed, not absolute ones", None
    base = inc.base or ""
    if _SCHEME.match(base) and not base.startswith("file:"):
        return f"its xml:base {base!r} is a URL", None
    base_path = unquote(urlsplit(base).path) if base.startswith("file:") else base
    target = os.path.realpath(os.path.join(os.path.dirname(base_path), unquote(href)))
    if not any(target == root or target.startswith(root + os.sep) for root in allowed):
        return (f"{target} is outside the input's folder tree "
                "(allow a folder with --xinclude-root)"), None
    try:
        info = os.stat(target)
    except OSError:
        return None, None  # missing: libxml2 reports it or takes <xi:fallback>
    if not stat.S_ISREG(info.st_mode):
        return f"{target} is not a regular file", None
    if info.st_size > max_bytes:
        return f"{target} is larger than {max_bytes:,} bytes", None
    return None, target


def expand_reporting(tree: etree._ElementTree, file: str) -> tuple[bool, list[Diagnostic]]:
    """Expand the internal entities of ``tree`` (from ``file``) as :func:`teikit.load` does; report
    and remove the references to external (or undeclared) ones.  (False, why) when expansion is
    refused whole.  An included file is checked so too: libxml2 would include its references
    unexpanded, and the schema check then fails with an "internal error"."""
    problems: list[Diagnostic] = []

    def refused(error: InputError) -> None:
        problems.append(Diagnostic(file, error.line, None, "error", "entity", error.message))
    try:
        expand_entities(tree.getroot(), file, refused=refused)
    except EntityBudgetError as exc:
        return False, [Diagnostic(file, exc.line, None, "error", "entity-expansion",
                                  f"refused: {exc.message}; teikit does not expand it")]
    return True, problems
