"""The schemas a document names itself, in ``<?xml-model?>`` processing instructions.

Most TEI files open with one or two of them (W3C, *Associating Schemas with XML
documents 1.0*), as the TEI Consortium's templates, oXygen and TEI Publisher write them::

    <?xml-model href="https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
                type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
    <?xml-model href="https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
                type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>

With ``--xml-model`` each file is also checked against the schemas it names.  teikit
never reads from the network, so an ``href`` is used when it is a local file (relative
to the document, or a ``file:`` URL) or a URL mapped to a local copy (``--schema-map
URL=PATH``); a TEI release's ``tei_all`` URL is mapped to ``--tei-all`` when that is given.
Any other URL is an error of that file that says how to map it: the file was not checked
against the schema it names.

The schema language comes from ``schematypens`` (RELAX NG, XML Schema, Schematron), else
from ``type`` (``application/relax-ng-compact-syntax``), else from the file's extension.
Schematron named by a RELAX NG or XSD file means the rules embedded in it (ODD-generated
TEI schemas carry them).  A ``phase`` is not applied: every rule runs.
"""
from __future__ import annotations

import os
import re
import stat as stat_module
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..caching import BoundedCache
from ..ns import RNG_NS, SCH15_NS, SCH_NS, XSD_NS
from .diagnostics import Diagnostic
from .schemas import ExtraNeeded, SchemaError, Validator, load_embedded_schematron, load_validator

TARGET = "xml-model"
RULE = "xml-model"
RNC_TYPE = "application/relax-ng-compact-syntax"
#: a schema URL of a TEI P5 release naming tei_all (any host, version or language folder)
TEI_ALL_URL = re.compile(r"^https?://(www\.)?tei-c\.org/.*/tei_all\.(rng|rnc|xsd)$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: outcomes of loading an associated schema, kept per process: a batch names the same few
#: schemas in every file (compiled once); a schema that cannot be used is not tried again per file
KEEP_LOADED = 16

Language = str  # "rng" | "xsd" | "sch" | "embedded-sch"
#: the schema language of a file named without ``schematypens``, by its extension
LANGUAGE_OF_SUFFIX: dict[str, Language] = {".rng": "rng", ".rnc": "rng", ".xsd": "xsd", ".sch": "sch"}


@dataclass(frozen=True)
class XmlModelPolicy:
    """Whether ``<?xml-model?>`` schemas are used, and where URLs are found locally.

    Small and hashable: it is part of a validation run's plan, which workers receive."""

    enabled: bool = False
    schema_map: tuple[tuple[str, str], ...] = ()   # (URL, local path)
    tei_all: str | None = None                     # the run's --tei-all file, for TEI release URLs

    def local_copy(self, url: str) -> str | None:
        for known, path in self.schema_map:
            if known == url:
                return path
        if self.tei_all is not None and TEI_ALL_URL.match(url) \
                and Path(url).suffix.lower() == Path(self.tei_all).suffix.lower():
            return self.tei_all
        return None


@dataclass(frozen=True)
class Association:
    """One ``<?xml-model?>``: what it names and on which line."""

    href: str
    language: Language | None   # None: cannot tell
    line: int | None


def declared(tree: etree._ElementTree) -> Iterator[Association]:
    """The ``<?xml-model?>`` instructions before the root element, in document order (one whose
    ``href`` cannot be read is there too, with an empty ``href``: it is reported, not skipped)."""
    root = tree.getroot()
    for node in reversed(list(root.itersiblings(preceding=True))):
        if isinstance(node, etree._ProcessingInstruction) and node.target == TARGET:
            href = (node.get("href") or "").strip()
            yield Association(href, _language(node, href) if href else None, node.sourceline)


def _language(node: etree._ProcessingInstruction, href: str) -> Language | None:
    namespace = (node.get("schematypens") or "").strip()
    suffix = Path(urlsplit(href).path).suffix.lower()
    if namespace in (SCH_NS, SCH15_NS):
        return "sch" if suffix == ".sch" else "embedded-sch"
    if namespace == RNG_NS or (node.get("type") or "").strip() == RNC_TYPE:
        return "rng"
    if namespace == XSD_NS:
        return "xsd"
    if not namespace:
        return LANGUAGE_OF_SUFFIX.get(suffix)
    return None


def resolve(href: str, file: str, policy: XmlModelPolicy) -> tuple[str | None, str | None]:
    """(local schema path, None) or (None, why it cannot be used)."""
    if _URL.match(href):
        parts = urlsplit(href)
        if parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
            return unquote(parts.path), None
        local = policy.local_copy(href)
        if local is not None:
            return local, None
        return None, (f"schema {href} not read: teikit never uses the network; map the URL to a local "
                      f"copy with --schema-map '{href}=PATH' (or schema-map in [tool.teikit.validate])")
    return os.path.join(os.path.dirname(file) or ".", unquote(href)), None


_LOADED: BoundedCache[tuple[str, Language, str], "Validator | SchemaError"] = BoundedCache(KEEP_LOADED)


def load(path: str, language: Language) -> Validator:
    """The validator of an associated schema, compiled once per process (raises SchemaError)."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise SchemaError(f"schema not found ({exc.strerror or exc})", path=path) from None
    if not stat_module.S_ISREG(stat.st_mode):  # a device or a FIFO would never end
        raise SchemaError("not a regular file", path=path)
    key = (os.path.realpath(path), language, f"{stat.st_mtime_ns}:{stat.st_size}")

    def compile_it() -> Validator | SchemaError:
        label = Path(path).name + (" (embedded Schematron)" if language == "embedded-sch" else "")
        try:
            if language == "embedded-sch":
                return load_embedded_schematron(path, label=label)
            return load_validator(path, label=label)
        except SchemaError as exc:
            return exc

    outcome = _LOADED.get(key, compile_it)
    if isinstance(outcome, SchemaError):
        raise outcome
    return outcome


def validators_for(tree: etree._ElementTree, file: str, policy: XmlModelPolicy,
                   already: frozenset[str] = frozenset()
                   ) -> tuple[list[Validator], list[Diagnostic]]:
    """The validators of the schemas ``tree`` names (those whose real path is in ``already``,
    the run's own schemas, left out), and a diagnostic for each that cannot be used."""
    validators: list[Validator] = []
    problems: list[Diagnostic] = []
    seen = set(already)
    for association in declared(tree):
        if not association.href:
            problems.append(Diagnostic(file, association.line, None, "error", RULE,
                                       "<?xml-model?> without a readable href (pseudo-attributes are "
                                       "written like attributes: href=\"schema.rng\")"))
            continue
        path, why = resolve(association.href, file, policy)
        if path is None or association.language is None:
            problems.append(Diagnostic(file, association.line, None, "error", RULE, why or (
                f"schema {association.href}: cannot tell its language (schematypens is not RELAX NG, "
                "XML Schema or Schematron, and the file name does not say)")))
            continue
        key = f"{os.path.realpath(path)}\0{association.language}"
        if key in seen:
            continue
        seen.add(key)
        try:
            validators.append(load(path, association.language))
        except SchemaError as exc:  # a missing extra: not checked, as a file no schema names
            problems.append(Diagnostic(file, association.line, None,
                                       "warning" if isinstance(exc, ExtraNeeded) else "error", RULE,
                                       f"schema {association.href} cannot be used: {exc}"))
    return validators, problems


def own_schema_keys(specs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """Keys (as :func:`validators_for` makes them) of a run's own schemas, not checked twice."""
    return frozenset(f"{os.path.realpath(path)}\0{LANGUAGE_OF_SUFFIX.get(Path(path).suffix.lower(), 'rng')}"
                     for path, _ in specs)


def names_schemas(tree: etree._ElementTree) -> bool:
    """True when the document has at least one ``<?xml-model?>``."""
    return next(declared(tree), None) is not None


def prolog_associations(file: str) -> list[Association]:
    """The associations of a file, reading only up to its root element's start tag (the
    parent's look ahead at a batch, before the workers parse the files)."""
    found: list[Association] = []
    try:
        for event, node in etree.iterparse(file, events=("pi", "start"), resolve_entities=False,
                                           no_network=True, load_dtd=False, huge_tree=True):
            if event == "start":
                break
            if node.target == TARGET and (node.get("href") or "").strip():
                href = node.get("href").strip()
                found.append(Association(href, _language(node, href), node.sourceline))
    except (etree.XMLSyntaxError, OSError):
        pass  # the file's own check reports it
    return found
