"""Diagnostics as objects: one :class:`Diagnostic` per problem, a :class:`Report` per run.

Checks produce diagnostics and never print; reporters (:mod:`.reporters`) turn a
report into text, JSON, JUnit XML or GitHub annotations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..ns import TEI_CLARK, XML_CLARK

# the one problem type of teikit lives beside its exceptions; validation re-exports it
from ..errors import Diagnostic as Diagnostic, Severity as Severity


@dataclass
class Report:
    """The outcome of a validation run: the files checked and what was found in them.

    >>> report = teikit.validate(["tei/"])                 # doctest: +SKIP
    >>> report.ok, len(report.files), len(report.errors)   # doctest: +SKIP
    (True, 2, 0)"""

    files: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no diagnostic is an error (warnings do not fail a run)."""
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def for_file(self, file: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.file == file]

    def invalid_files(self) -> list[str]:
        """Files with at least one error, in the order they were checked."""
        bad = {d.file for d in self.diagnostics if d.severity == "error"}
        return [f for f in self.files if f in bad]

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def sort(self) -> None:
        order = {f: i for i, f in enumerate(self.files)}
        self.diagnostics.sort(
            key=lambda d: (order.get(d.file, len(order)), d.line or 0, d.column or 0, d.rule)
        )

    def summary(self) -> str:
        """One line: ``3 files checked, 1 invalid: 2 errors, 1 warning``."""
        n_files = len(self.files)
        bad = len(self.invalid_files())
        errors, warnings = len(self.errors), len(self.warnings)
        text = f"{n_files} file{'s' * (n_files != 1)} checked"
        if bad:
            text += f", {bad} invalid"
        return (
            f"{text}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "schemas": list(self.schemas),
            "files": list(self.files),
            "summary": {
                "files": len(self.files),
                "invalid_files": len(self.invalid_files()),
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


_TEI_PREFIX = re.compile(r"\btei:")


def short_names(text: str | None) -> str:
    """Drop the TEI namespace from names in a message: ``{http://…tei…}note`` -> ``note``."""
    if not text:
        return ""
    text = text.replace(TEI_CLARK, "").replace(XML_CLARK, "xml:")
    return _TEI_PREFIX.sub("", text)


class _SiblingPositions:
    """Where each child stands among its same-named siblings, counted once per parent.

    Counting the siblings again for every diagnostic made a file with n problems
    among n siblings cost n²; here each parent's children are listed once, so the
    paths of all diagnostics of a document cost time linear in its size.  Only the
    latest document is remembered (lxml elements take no weak references), so
    memory stays bounded across a batch.
    """

    def __init__(self) -> None:
        self._root: Any = None
        self._parents: dict[Any, tuple[dict[Any, int], dict[Any, int]]] = {}
        self._named: dict[tuple[Any, str], list[Any]] = {}

    def enter(self, elem: Any) -> None:
        """Forget the counts of the previous document if ``elem`` is in another one (call once
        per path, before :meth:`step` and :meth:`children`)."""
        root = elem.getroottree().getroot()
        if root is not self._root:
            self._root, self._parents, self._named = root, {}, {}

    def step(self, elem: Any, parent: Any) -> str:
        """``name`` or ``name[k]`` for ``elem`` under ``parent``."""
        known = self._parents.get(parent)
        if known is None:
            position: dict[Any, int] = {}
            count: dict[Any, int] = {}
            for child in parent.iterchildren():
                count[child.tag] = count.get(child.tag, 0) + 1
                position[child] = count[child.tag]
            known = self._parents[parent] = (position, count)
        position, count = known
        name = short_names(elem.tag)
        return f"{name}[{position[elem]}]" if count[elem.tag] > 1 else name

    def children(self, parent: Any, name: str) -> list[Any]:
        """Element children of ``parent`` named ``name`` (a local name, or ``*`` for all)."""
        key = (parent, name)
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = [
                c for c in parent.iterchildren()
                if isinstance(c.tag, str) and (name == "*" or c.tag.rsplit("}", 1)[-1] == name)]
        return found


_POSITIONS = _SiblingPositions()
_LIBXML2_STEP = re.compile(r"(\*|(?:[\w.-]+:)?([\w.-]+))(?:\[(\d+)\])?")


def element_path(elem: Any) -> str | None:
    """XPath of an element, TEI names unprefixed: ``/TEI/text/body/div/p[3]``.

    A position is given when the element has same-named siblings.
    """
    if elem is None or not isinstance(getattr(elem, "tag", None), str):
        return None
    steps = []
    _POSITIONS.enter(elem)
    while elem is not None:
        parent = elem.getparent()
        steps.append(short_names(elem.tag) if parent is None else _POSITIONS.step(elem, parent))
        elem = parent
    return "/" + "/".join(reversed(steps))


def element_at(tree: Any, path: str) -> Any:
    """The element a libxml2 error path (``/*/*[2]/*/p[10000]``) points to, or None.

    Evaluating such paths with XPath costs time in the number of siblings for each
    error; this walks the cached child lists instead.
    """
    steps = path.split("/")[1:] if path.startswith("/") else []
    node = tree.getroot()
    _POSITIONS.enter(node)
    for depth, step in enumerate(steps):
        match = _LIBXML2_STEP.fullmatch(step)
        if match is None or node is None:
            return None
        name = "*" if match.group(1) == "*" else match.group(2)
        index = int(match.group(3) or 1) - 1
        if depth == 0:
            if name not in ("*", node.tag.rsplit("}", 1)[-1]) or index:
                return None
            continue
        candidates = _POSITIONS.children(node, name)
        node = candidates[index] if index < len(candidates) else None
    return node
