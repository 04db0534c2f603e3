"""Schemas: load and compile XSD, RELAX NG (.rng, .rnc) and ISO Schematron (.sch) once.

Every validator has the same shape: ``validator.check(tree, file) -> list[Diagnostic]``.

How XSD is run (measured in ``benchmarks/bench_validate.py``):

* XSD 1.0 goes to lxml (libxml2), roughly 100x faster per document than xmlschema.
* XSD 1.1 whose only 1.1 feature is ``<xs:assert>`` (like the bundled teikit profile)
  is split: the structure, with the asserts dropped, goes to lxml; each assert is
  evaluated with elementpath (the XPath 2.0 engine xmlschema itself uses) on just the
  elements whose type carries it.  xmlschema is used once, to learn which elements
  those are; that plan is cached on disk.
* Any other XSD 1.1 (alternatives, open content, assertion facets, ...) is validated by
  xmlschema in full; the compiled schema is pickled in the cache directory.

Nothing here resolves external entities or reads from the network: schema files are
parsed with :func:`teikit.xmlio.safe_parser`, and schemas that include or import
anything by URL are refused.
"""
from __future__ import annotations

import copy
import hashlib
import importlib.resources
import json
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any, Callable, Protocol
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..caching import BoundedCache
from ..errors import TeikitError
from ..ns import RNG_NS, SCH15_NS, SCH_NS, SVRL_NS, VC_NS, XML_NS, XSD_NS, XSL_NS
from ..xmlio import TEI_NS, atomic_write, safe_parser
from .diagnostics import Diagnostic, Severity, element_at, element_path, short_names
from .relaxng import PrunableGrammar, document_names, restriction_problems
from .simple_xpath import compile_test, translate_regex


# XSD 1.1 elements that libxml2 does not know
_XSD11_ONLY = {"assert", "assertion", "alternative", "openContent", "defaultOpenContent", "override",
               "explicitTimezone"}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

#: the bundled teikit profile (an XSD 1.1 schema + its local xml.xsd)
BUNDLED_SCHEMA = "teikit.xsd"


class SchemaError(TeikitError):
    """A schema cannot be read, is not a schema, or needs something not installed.

    >>> teikit.validate(["tei/"], ["missing.rng"])   # doctest: +SKIP
    Traceback (most recent call last):
    teikit.validation.schemas.SchemaError: missing.rng: cannot read the schema"""


class ExtraNeeded(SchemaError):
    """A schema teikit could use with an optional extra that is not installed."""


class Validator(Protocol):
    """What the runner needs from a compiled schema."""

    name: str

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        ...


def bundled_schema_path() -> Path:
    """Path of the bundled teikit profile (package data, identical to schema/teikit.xsd)."""
    return Path(str(importlib.resources.files("teikit") / "data" / BUNDLED_SCHEMA))


# --------------------------------------------------------------------------- cache

def cache_dir() -> Path:
    """``$TEIKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/teikit``, else ``~/.cache/teikit``."""
    env = os.environ.get("TEIKIT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "teikit"


def _cache_load(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def _cache_store(name: str, data: bytes) -> None:
    try:
        atomic_write(cache_dir() / name, data)
    except OSError:  # a read-only home must not break validation
        pass


# --------------------------------------------------------------------------- loading

def _parse_schema_doc(path: Path) -> etree._ElementTree:
    try:
        return etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SchemaError(f"schema is not well-formed XML: {exc.msg}", path=str(path), line=exc.lineno) from None
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc.strerror or exc}", path=str(path)) from None


_REFERRING = tuple(f"{{{XSD_NS}}}{name}" for name in ("include", "import", "redefine", "override")) + (
    f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef")


def schema_files(path: Path) -> list[Path]:
    """The schema file and every file it includes or imports (XSD and RELAX NG), in order.

    Refuses references by URL: validation never goes to the network.
    """
    seen: list[Path] = []
    todo = [path.resolve()]
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        if current.suffix.lower() == ".rnc":
            continue  # compact syntax: rnc2rng reads its includes
        doc = _parse_schema_doc(current)
        for elem in doc.iter(*_REFERRING):
            ref = (elem.get("schemaLocation") if elem.tag.startswith(f"{{{XSD_NS}}}") else elem.get("href")) or ""
            if not ref:
                continue
            if _URL.match(ref) and not ref.startswith("file://"):
                raise SchemaError(f"schema refers to {ref}: remote schemas are not loaded", path=str(current))
            # relative to the referring element's base (xml:base counts, as for libxml2)
            base = Path(unquote(urlsplit(elem.base).path) if elem.base and elem.base.startswith("file:")
                        else (elem.base or str(current)))
            target = (base.parent / ref.removeprefix("file://")).resolve()
            if not target.exists():
                raise SchemaError(f"schema refers to {ref}, which does not exist", path=str(current))
            todo.append(target)
    return seen


def schema_digest(path: Path, *extra: str) -> str:
    """sha256 of a schema's files (and of ``extra`` strings such as library versions)."""
    digest = hashlib.sha256()
    for file in schema_files(path):
        digest.update(file.read_bytes())
        digest.update(b"\0")
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()


#: compiled schemas a process keeps (the least recently used goes first): a long-lived worker of a
#: cluster that validates against schema after schema, or one schema edited again and again, stays small
COMPILED_KEEP = 8
_COMPILED: BoundedCache[tuple[str, str, str], Validator] = BoundedCache(COMPILED_KEEP)


def load_validator(path: str | os.PathLike[str], *, label: str | None = None,
                   digest: str | None = None) -> Validator:
    """Compile the schema at ``path`` (by extension) once per process and return its validator.

    ``.xsd`` (1.0 or 1.1), ``.rng``, ``.rnc``, ``.sch``.  Raises :class:`SchemaError`.
    ``digest``: the schema's :func:`schema_digest`, when the caller has it: the compiled copy
    is then kept by content (files it includes that changed count), else by the file's
    modification time and size.
    """
    schema = Path(path)
    return _compiled_once(schema, label or "", digest, lambda: _compile(schema, label or schema.name))


def _compiled_once(schema: Path, kind: str, digest: str | None, compile: Callable[[], Validator]) -> Validator:
    """The validator ``compile`` makes of ``schema``, kept in :data:`_COMPILED` by the schema's
    real path, ``digest`` (else its modification time and size) and ``kind`` (label, embedded)."""
    if not schema.is_file():
        raise SchemaError("schema file not found", path=str(schema))
    if digest is None:
        stat = schema.stat()
        digest = f"{stat.st_mtime_ns}:{stat.st_size}"
    return _COMPILED.get((str(schema.resolve()), digest, kind), compile)


def _compile(schema: Path, name: str) -> Validator:
    suffix = schema.suffix.lower()
    if suffix == ".xsd":
        validator: Validator = _load_xsd(schema, name)
    elif suffix == ".rng":
        validator = RelaxNGValidator(_parse_schema_doc(schema), name, schema)
    elif suffix == ".rnc":
        validator = RelaxNGValidator(_rnc_to_rng(schema), name, schema)
    elif suffix == ".sch":
        validator = _load_schematron(schema, name)
    else:
        raise SchemaError("unknown schema type: use .xsd, .rng, .rnc or .sch", path=str(schema))
    return validator


# --------------------------------------------------------------------------- XSD

def _xsd_version(docs: list[etree._ElementTree]) -> str:
    """"1.1" when any of the schema documents uses a feature libxml2 lacks."""
    for doc in docs:
        root = doc.getroot()
        if root.get(f"{{{VC_NS}}}minVersion") == "1.1":
            return "1.1"
        for elem in root.iter(f"{{{XSD_NS}}}*"):
            if etree.QName(elem).localname in _XSD11_ONLY:
                return "1.1"
    return "1.0"


def _only_asserts(docs: list[etree._ElementTree]) -> bool:
    """True when <xs:assert> in complex types is the only XSD 1.1 feature used (main file only)."""
    if len(docs) > 1 and _xsd_version(docs[1:]) == "1.1":
        return False
    root = docs[0].getroot()
    if any(a.startswith(f"{{{VC_NS}}}") for e in root.iter(etree.Element) for a in e.attrib):
        return False
    for elem in root.iter(f"{{{XSD_NS}}}*"):
        local = etree.QName(elem).localname
        if local in _XSD11_ONLY and local != "assert":
            return False
    return True


def _load_xsd(path: Path, name: str) -> Validator:
    files = schema_files(path)
    docs = [_parse_schema_doc(f) for f in files if f.suffix.lower() == ".xsd"]
    if _xsd_version(docs) == "1.0":
        return LxmlXsdValidator(docs[0], name, path)
    if _only_asserts(docs):
        structure = _parse_schema_doc(path)
        for elem in list(structure.getroot().iter(f"{{{XSD_NS}}}assert")):
            elem.getparent().remove(elem)
        checker = AssertionChecker.for_schema(path, name)
        if checker is not None:
            return LxmlXsdValidator(structure, name, path, assertions=checker)
    return XmlschemaValidator(path, name)


class LxmlXsdValidator:
    """XSD 1.0 structure checked by libxml2, plus XSD 1.1 asserts when given."""

    def __init__(self, doc: etree._ElementTree, name: str, path: Path,
                 assertions: "AssertionChecker | None" = None):
        self.name = name
        try:
            self._schema = etree.XMLSchema(doc)
        except etree.XMLSchemaParseError as exc:
            raise SchemaError(f"not a usable XML Schema: {exc}", path=str(path)) from None
        self._assertions = assertions

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if not self._schema.validate(tree):
            out.extend(_from_error_log(self._schema.error_log, file, self.name, tree))
        if self._assertions is not None:
            out.extend(self._assertions.check(tree, file))
        return out


def _from_error_log(log: Any, file: str, rule: str, tree: etree._ElementTree) -> list[Diagnostic]:
    """Diagnostics for a document the validator found invalid (never none)."""
    out = []
    readable: dict[str, str | None] = {}  # errors often come two or more to an element
    for entry in log:
        path = getattr(entry, "path", None)
        if path:  # libxml2 gives /*/*[2]/*: find the element for a readable path
            if path not in readable:
                found = element_at(tree, path)
                readable[path] = element_path(found) if found is not None else path
            path = readable[path]
        out.append(Diagnostic(
            file=file,
            line=entry.line or None,
            column=entry.column or None,
            severity="warning" if entry.level_name == "WARNING" else "error",
            rule=rule,
            message=short_names(entry.message),
            path=path or None,
        ))
    if not out:  # only called for an invalid document: libxml2 sometimes says nothing more
        root = tree.getroot()
        out.append(Diagnostic(file, root.sourceline, None, "error", rule,
                              "the document is not valid against this schema (the validator gives no detail)",
                              element_path(root)))
    return out


class AssertionChecker:
    """Evaluates a schema's ``<xs:assert>`` tests on the elements they apply to: simple
    attribute tests as compiled Python (:mod:`.simple_xpath`), the rest with elementpath.

    The plan (element name -> [(test, message)]) comes from xmlschema once and is cached
    as JSON keyed by the schema's digest.  Only used when every declaration of an element
    name has the same asserts; otherwise :func:`for_schema` returns None and the schema is
    validated by xmlschema in full.
    """

    def __init__(self, name: str, plan: dict[str, list[dict[str, Any]]]):
        self.name = name
        self._rules: dict[str, list[tuple[Any, Any, str, str, bool]]] = {}
        for tag, asserts in plan.items():
            compiled = []
            for item in asserts:
                regexes = item.get("regexes", {})
                fast = compile_test(item["test"], item["namespaces"],
                                    lambda pattern, flags: regexes.get(f"{flags}:{pattern}") or
                                    translate_regex(pattern, flags))
                token = None if fast is not None else _xpath2_token(item)
                compiled.append((fast, token, item["test"], item["message"], attribute_only(item["test"])))
            self._rules[tag] = compiled

    @classmethod
    def for_schema(cls, path: Path, name: str) -> "AssertionChecker | None":
        # the plan's format (2: regexes translated) and xmlschema's version, read without
        # importing xmlschema (a second of start-up) when the plan is cached
        key = "asserts-2-" + schema_digest(path, "xmlschema", _version("xmlschema")) + ".json"
        raw = _cache_load(key)
        if raw is not None:
            plan = json.loads(raw)
        else:
            plan = _assertion_plan(XmlschemaValidator.compile(path))
            _cache_store(key, json.dumps(plan).encode())
        if plan is None:
            return None
        return cls(name, plan)

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        if not self._rules:
            return out
        for elem in tree.getroot().iter(*self._rules):
            # XSD 1.1 evaluates an assert on a tree rooted at the element; build that tree
            # once per element, and only a childless copy for tests that read attributes only
            full = shallow = None
            for fast, token, test, message, attribute_only in self._rules[elem.tag]:
                why = message or f"assertion failed: {test}"
                if fast is not None:  # a simple test, compiled to Python (:mod:`.simple_xpath`)
                    ok = fast(elem)
                else:
                    from elementpath import ElementPathError, XPathContext, get_node_tree

                    if attribute_only:
                        if shallow is None:
                            shallow = get_node_tree(etree.Element(elem.tag, dict(elem.attrib)), fragment=True)
                        root = shallow
                    else:
                        if full is None:
                            full = get_node_tree(elem, fragment=True)
                        root = full
                    try:
                        ok = token.boolean_value(token.evaluate(XPathContext(root=root)))
                    except ElementPathError as exc:
                        ok, why = False, f"assertion {test!r} cannot be evaluated: {exc}"
                if not ok:
                    out.append(Diagnostic(file, elem.sourceline, None, "error", f"{self.name}#assert",
                                          why + _found(elem, test), element_path(elem)))
        return out


_STRING_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_BARE_NAME = re.compile(r"(?<![@$\w:.-])([A-Za-z_][\w-]*(?::[A-Za-z_][\w-]*)?)(?!\s*[(\w:-])")
_OPERATORS = {"and", "or", "div", "mod", "idiv", "eq", "ne", "lt", "le", "gt", "ge", "to", "is",
              "every", "some", "in", "satisfies", "if", "then", "else", "for", "return",
              "instance", "of", "cast", "castable", "as", "treat", "union", "intersect", "except"}


def attribute_only(test: str) -> bool:
    """True when an XPath test can only look at the context element's attributes.

    Conservative: any path step ('/', '.'), zero-argument function (``string()`` reads
    the content), variable or bare element name makes it False.
    """
    code = _STRING_LITERAL.sub("''", test)
    if any(c in code for c in "/.$[") or "()" in code.replace(" ", "") or "::" in code:
        return False
    return all(name in _OPERATORS for name in _BARE_NAME.findall(code))


_ATTR_IN_TEST = re.compile(r"@([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)")


def _found(elem: etree._Element, test: str) -> str:
    """`` (found n="2", xml:id="d5fn3")``: the attributes an assert tests, as they are."""
    shown = []
    for name in dict.fromkeys(_ATTR_IN_TEST.findall(test)):
        key = name.replace("xml:", f"{{{XML_NS}}}")
        value = elem.get(key)
        shown.append(f"{name}={value!r}" if value is not None else f"no @{name}")
    return f" (found {', '.join(shown)})" if shown else ""


def _assertion_plan(schema: Any) -> dict[str, list[dict[str, Any]]] | None:
    """element Clark name -> its type's asserts; None when one name has differing asserts."""
    import xmlschema

    plan: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, tuple[str, ...]] = {}
    for comp in schema.iter_components():
        if not isinstance(comp, xmlschema.XsdElement) or comp.name is None:
            continue
        asserts = list(getattr(comp.type, "assertions", None) or ())
        signature = tuple(a.path for a in asserts)
        if comp.name in seen and seen[comp.name] != signature:
            return None
        seen[comp.name] = signature
        if asserts:
            plan[comp.name] = [
                {
                    "test": a.path,
                    "message": _documentation(a),
                    "namespaces": dict(a.namespaces),
                    "default_namespace": a.xpath_default_namespace,
                    "regexes": _translated_regexes(a.path, dict(a.namespaces)),
                }
                for a in asserts
            ]
    return plan


def _translated_regexes(test: str, namespaces: dict[str, str]) -> dict[str, str]:
    """The Python forms of the XSD regular expressions a simple test uses, for the plan's cache."""
    found: dict[str, str] = {}

    def record(pattern: str, flags: int) -> str:
        found[f"{flags}:{pattern}"] = translate_regex(pattern, flags)
        return found[f"{flags}:{pattern}"]
    compile_test(test, namespaces, record)
    return found


def _xpath2_token(item: dict[str, Any]) -> Any:
    import elementpath

    parser = elementpath.XPath2Parser(namespaces=item["namespaces"],
                                      default_namespace=item["default_namespace"] or "")
    return parser.parse(item["test"])


def _version(package: str) -> str:
    import importlib.metadata  # (not at start-up: it costs more than the runs that need no version)

    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _documentation(component: Any) -> str:
    annotation = getattr(component, "annotation", None)
    docs = getattr(annotation, "documentation", None) or []
    return " ".join(" ".join((d.text or "").split()) for d in docs).strip()


class XmlschemaValidator:
    """Full validation by xmlschema (XSD 1.1); the compiled schema is pickled in the cache dir."""

    def __init__(self, path: Path, name: str):
        self.name = name
        self._schema = self.compile(path)

    @staticmethod
    def compile(path: Path) -> Any:
        import xmlschema

        key = "xsd11-" + schema_digest(path, "xmlschema", xmlschema.__version__, sys.version) + ".pickle"
        raw = _cache_load(key)
        if raw is not None:
            try:
                return pickle.loads(raw)
            except Exception:  # stale or damaged cache entry: rebuild it
                pass
        try:
            schema = xmlschema.XMLSchema11(str(path), allow="local")
        except (xmlschema.XMLSchemaException, etree.XMLSyntaxError, OSError) as exc:
            raise SchemaError(f"not a usable XML Schema 1.1: {exc}", path=str(path)) from None
        try:
            _cache_store(key, pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # an unpicklable schema is still usable
            pass
        return schema

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        out = []
        for err in self._schema.iter_errors(tree):
            elem = getattr(err, "elem", None)
            line = getattr(elem, "sourceline", None) if elem is not None else None
            message = err.reason or err.message
            validator = getattr(err, "validator", None)
            doc = _documentation(validator) if validator is not None else ""
            if doc and "assertion" in (message or ""):
                message = doc
            out.append(Diagnostic(
                file, line, None, "error", self.name, short_names(message or "invalid"),
                element_path(elem) if isinstance(elem, etree._Element) else err.path,
            ))
        return out


# --------------------------------------------------------------------------- RELAX NG

def _rnc_to_rng(path: Path) -> etree._ElementTree:
    """Convert RELAX NG compact syntax with rnc2rng (pip install rnc2rng)."""
    try:
        import rnc2rng
    except ImportError:
        raise SchemaError(
            "RELAX NG compact syntax (.rnc) needs the rnc2rng package (pip install rnc2rng); "
            "or convert it with trang to .rng", path=str(path)) from None
    try:
        with open(path, encoding="utf-8") as handle:
            xml = rnc2rng.dumps(rnc2rng.load(handle))
        return etree.ElementTree(etree.fromstring(xml.encode("utf-8"), safe_parser(), base_url=str(path)))
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc.strerror or exc}", path=str(path)) from None
    except Exception as exc:  # rnc2rng raises plain parser errors
        raise SchemaError(f"not valid RELAX NG compact syntax: {exc}", path=str(path)) from None


class RelaxNGValidator:
    """RELAX NG checked by libxml2; large grammars pruned to the names each batch uses
    (:mod:`.relaxng`), small ones compiled whole."""

    def __init__(self, doc: etree._ElementTree, name: str, path: Path):
        self.name = name
        self._path = path
        if path.suffix.lower() == ".rng":
            schema_files(path)  # refuses URL includes
        problems = restriction_problems(doc)
        if problems:
            line, message = problems[0]
            raise SchemaError(f"not a usable RELAX NG schema: {message}", path=str(path), line=line)
        source = etree.tostring(doc)
        self._grammar: PrunableGrammar | None = None
        self._whole: etree.RelaxNG | None = None
        if PrunableGrammar.applies_to(doc, len(source)):
            self._grammar = PrunableGrammar(doc, source, _cache_load, _cache_store)
        else:
            self._whole = self._compile(lambda: etree.RelaxNG(doc))

    def _compile(self, build: Callable[[], etree.RelaxNG]) -> etree.RelaxNG:
        try:
            return build()
        except etree.RelaxNGParseError as exc:
            raise SchemaError(f"not a usable RELAX NG schema: {exc}", path=str(self._path)) from None

    @property
    def prunes(self) -> bool:
        return self._grammar is not None

    def expect(self, names: frozenset[str], *, fresh: bool = False) -> None:
        """Compile now for a batch whose element local names are ``names`` (pruned grammars);
        ``fresh``: a new run's names (:meth:`PrunableGrammar.expect`)."""
        if self._grammar is not None:
            grammar = self._grammar
            self._compile(lambda: grammar.expect(names, fresh=fresh))

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        if self._grammar is None:
            assert self._whole is not None  # __init__ compiles the whole schema when it does not prune
            schema = self._whole
            if schema.validate(tree):
                return []
        else:
            # pruning only takes patterns away, so a document the batch's grammar accepts is
            # valid; the document's own names are read only for one it rejects (a name the
            # batch scan missed, e.g. from an XInclude, makes the grammar grow)
            grammar = self._grammar
            seen = grammar.current()
            if seen is not None and seen.validate(tree):
                return []
            schema = self._compile(lambda: grammar.for_names(document_names(tree)))
            if schema.validate(tree):
                return []
            precise = self._compile(grammar.diagnosis)
            if not precise.validate(tree):  # (they agree; should they not, the verdict's errors stay)
                schema = precise
        return _from_error_log(schema.error_log, file, self.name, tree)


# --------------------------------------------------------------------------- Schematron

def load_embedded_schematron(path: str | os.PathLike[str], *, label: str | None = None) -> Validator:
    """The Schematron rules embedded in a RELAX NG (``.rng``) or XSD schema, compiled once per
    process, as :func:`load_validator` compiles a schema.

    ODD-generated TEI schemas carry their constraints this way; they are written in XPath
    2.0 (TEI's own tools run them with XSLT 2), so without a ``queryBinding`` the rules are
    compiled as XSLT 1.0 and, when that fails, as XSLT 2.0 (the ``xslt2`` extra).  Raises
    :class:`SchemaError` (:class:`ExtraNeeded` when only the missing extra stops it).
    """
    schema = Path(path)
    return _compiled_once(schema, "embedded\0" + (label or ""), None,
                          lambda: _compile_embedded(schema, label or schema.name))


def _compile_embedded(schema: Path, name: str) -> Validator:
    from lxml import isoschematron as iso

    extract = {".rng": iso.extract_rng, ".xsd": iso.extract_xsd}.get(schema.suffix.lower())
    if extract is None:
        raise SchemaError("embedded Schematron rules are read from .rng or .xsd schemas", path=str(schema))
    doc = extract(_parse_schema_doc(schema))
    root = doc.getroot()
    if root is None or root.find(f"{{{SCH_NS}}}pattern") is None:
        raise SchemaError("no Schematron rules are embedded in this schema", path=str(schema))
    if root.get("queryBinding"):
        return _schematron_from_doc(doc, name, schema)
    try:
        return _schematron_from_doc(doc, name, schema)
    except SchemaError as first:
        root.set("queryBinding", "xslt2")
        try:
            return _schematron_from_doc(doc, name, schema)
        except ExtraNeeded:
            raise ExtraNeeded(f"its embedded Schematron rules are not XPath 1.0 ({first.message}); "
                              "for XPath 2.0 rules install the extra: pip install 'teikit[xslt2]' (saxonche)",
                              path=str(schema)) from None


def _load_schematron(path: Path, name: str) -> Validator:
    return _schematron_from_doc(_parse_schema_doc(path), name, path)


def _schematron_from_doc(doc: etree._ElementTree, name: str, path: Path) -> Validator:
    if doc.getroot().tag == f"{{{SCH15_NS}}}schema":
        doc = iso_from_schematron_15(doc)
    root = doc.getroot()
    if root.tag != f"{{{SCH_NS}}}schema":
        raise SchemaError("not a Schematron schema (root must be the schema element of ISO Schematron, "
                          f"{SCH_NS}, or of Schematron 1.5, {SCH15_NS})", path=str(path))
    binding = (root.get("queryBinding") or "xslt").lower()
    if binding in ("xslt", "xslt1", "exslt"):
        return SchematronValidator(doc, name, path)
    if binding in ("xslt2", "xslt3", "xpath2", "xpath3", "xpath31"):
        return SaxonSchematronValidator(doc, name, path)
    raise SchemaError(f"Schematron queryBinding {binding!r} is not supported", path=str(path))


def iso_from_schematron_15(doc: etree._ElementTree) -> etree._ElementTree:
    """A Schematron 1.5 schema (the ASCC's namespace, older projects' and jing's) as ISO Schematron.

    ISO Schematron grew out of 1.5 and keeps its rules, asserts, reports, phases and
    diagnostics as they were: the elements move to the ISO namespace, a pattern's ``name``
    becomes its ``title``, and 1.5's ``key`` (an XSLT key declared in Schematron, its ``use``
    called ``path``) becomes the ``xsl:key`` ISO Schematron takes in its place.
    """
    root = copy.deepcopy(doc.getroot())
    for el in list(root.iter(f"{{{SCH15_NS}}}*")):
        local = etree.QName(el).localname
        if local == "key":  # <key name match path>: xsl:key's use is 1.5's path
            el.tag = f"{{{XSL_NS}}}key"
            if el.get("path") is not None and el.get("use") is None:
                el.set("use", el.attrib.pop("path"))
            continue
        el.tag = f"{{{SCH_NS}}}{local}"
        if local == "pattern" and el.get("name") is not None:
            title = el.attrib.pop("name")
            if el.find(f"{{{SCH_NS}}}title") is None and el.find(f"{{{SCH15_NS}}}title") is None:
                el.insert(0, etree.Element(f"{{{SCH_NS}}}title"))
                el[0].text = title
    etree.cleanup_namespaces(root)
    return etree.ElementTree(root)


def _xslt1_validator_stylesheet(doc: etree._ElementTree) -> etree._ElementTree:
    """Schematron -> validating XSLT with lxml's bundled ISO skeleton (include, expand, compile)."""
    from lxml import isoschematron as iso

    step = iso.iso_dsdl_include(doc)
    step = iso.iso_abstract_expand(step)
    return iso.iso_svrl_for_xslt1(step)


class SchematronValidator:
    """ISO Schematron with XPath 1.0 (queryBinding xslt), run as XSLT 1.0 by lxml."""

    def __init__(self, doc: etree._ElementTree, name: str, path: Path):
        self.name = name
        try:
            self._xslt = etree.XSLT(_xslt1_validator_stylesheet(doc),
                                    access_control=etree.XSLTAccessControl.DENY_ALL)
        except (etree.XSLTParseError, etree.XSLTApplyError) as exc:
            raise SchemaError(f"not a usable Schematron schema: {exc}", path=str(path)) from None

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        try:
            svrl = self._xslt(tree)
        except etree.XSLTApplyError as exc:
            return [Diagnostic(file, None, None, "error", self.name, f"Schematron failed: {exc}")]
        return svrl_diagnostics(svrl.getroot(), tree, file, self.name)


class SaxonSchematronValidator:
    """ISO Schematron with XPath 2.0+ (queryBinding xslt2/xslt3), run by Saxon (extra ``xslt2``).

    The schema is compiled to XSLT by lxml's ISO skeleton, marked version 2.0 and
    compiled by SaxonC-HE; Saxon objects are not shared across processes, so each
    worker compiles its own on first use.
    """

    def __init__(self, doc: etree._ElementTree, name: str, path: Path):
        self.name = name
        self._path = path
        try:
            import saxonche  # noqa: F401
        except ImportError:
            raise ExtraNeeded(
                "this Schematron uses XPath 2.0 (queryBinding xslt2); install the extra: "
                "pip install 'teikit[xslt2]' (saxonche)", path=str(path)) from None
        source = etree.ElementTree(etree.fromstring(etree.tostring(doc)))
        source.getroot().attrib.pop("queryBinding", None)  # the XSLT1 skeleton accepts only xslt
        try:
            stylesheet = _xslt1_validator_stylesheet(source)
        except (etree.XSLTParseError, etree.XSLTApplyError) as exc:
            raise SchemaError(f"not a usable Schematron schema: {exc}", path=str(path)) from None
        stylesheet.getroot().set("version", "2.0")
        self._stylesheet = etree.tostring(stylesheet, encoding="unicode")
        self._pid: int | None = None
        self._proc: Any = None
        self._exe: Any = None
        self._compile()

    def _compile(self) -> None:
        from saxonche import PySaxonProcessor

        self._proc = PySaxonProcessor(license=False)
        xslt = self._proc.new_xslt30_processor()
        try:
            self._exe = xslt.compile_stylesheet(stylesheet_text=self._stylesheet)
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise SchemaError(f"Saxon cannot compile this Schematron: {exc}", path=str(self._path)) from None
        self._pid = os.getpid()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_proc": None, "_exe": None, "_pid": None}

    def check(self, tree: etree._ElementTree, file: str) -> list[Diagnostic]:
        if self._pid != os.getpid():
            self._compile()
        node = self._proc.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
        try:
            result = self._exe.transform_to_string(xdm_node=node)
        except Exception as exc:
            return [Diagnostic(file, None, None, "error", self.name, f"Schematron failed: {exc}")]
        svrl = etree.fromstring(result.encode("utf-8"), safe_parser())
        return svrl_diagnostics(svrl, tree, file, self.name)


_WARNING_ROLES = {"warning", "warn", "info", "information", "informational"}


def svrl_diagnostics(svrl: etree._Element, tree: etree._ElementTree, file: str, name: str) -> list[Diagnostic]:
    """Failed asserts and successful reports of an SVRL report, located in ``tree``."""
    out = []
    for item in svrl.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        location = item.get("location") or ""
        line, path = None, location or None
        try:
            found = tree.xpath(location) if location else []
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            line, path = found[0].sourceline, element_path(found[0])
        text = item.find(f"{{{SVRL_NS}}}text")
        message = " ".join("".join(text.itertext()).split()) if text is not None else ""
        rule = item.get("id") or item.get("test") or ""
        severity: Severity = "warning" if (item.get("role") or "").lower() in _WARNING_ROLES else "error"
        out.append(Diagnostic(file, line, None, severity, f"{name}#{rule}" if rule else name,
                              message or f"Schematron test failed: {item.get('test')}", path))
    return out


__all__ = [
    "SchemaError", "ExtraNeeded", "Validator", "load_validator", "load_embedded_schematron", "bundled_schema_path", "cache_dir",
    "schema_digest", "schema_files", "TEI_NS",
]
