"""Run a validation: find the files, check each (in parallel), resolve cross-file references.

Each file is parsed once with the safe parser, the XIncludes its policy allows are
expanded, then every schema and the integrity rules see the same tree.  A :class:`Plan`
says what to check: the named schemas for every file, and the FRUS profile (bundled
teikit schema + :mod:`.frus` rules) for all files, none, or those that are FRUS ("auto").
Schemas are compiled in the parent process before the worker pool starts (a pruned
RELAX NG for the names of the whole batch); on platforms with ``fork`` the workers
inherit them, elsewhere each worker compiles them once in its initializer.
"""
from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Sequence

from lxml import etree

from ..batch.engine import on_pool
from ..files import expand_paths
from ..workers import available_cores, local_pool
from ..xmlio import parse_source, safe_parser, syntax_error
from . import frus, integrity
from .diagnostics import Diagnostic, Report
from .integrity import ExternalIds, PendingRef, RefPolicy
from .schemas import SchemaError, Validator, bundled_schema_path, load_validator, schema_digest
from .relaxng import scan_local_names
from .xinclude import IncludePolicy, check_includes, expand_reporting, has_includes
from .xml_model import (XmlModelPolicy, load as load_associated, names_schemas, own_schema_keys,
                        prolog_associations, resolve as resolve_href, validators_for)

PathArg = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
BUNDLED_LABEL = "teikit.xsd"

#: below these, a worker pool costs more than it saves
PARALLEL_MIN_FILES = 48
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
#: files per task sent to a worker: larger tasks, fewer round trips (~1 ms each); small enough
#: that the work stays balanced (a worker left alone on the last task: ~30 ms for 64 small
#: files, ~130 ms for 256) and the progress bar moves
CHUNK_MAX = 64


@dataclass
class FileResult:
    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    pending: list[PendingRef] = field(default_factory=list)


# --------------------------------------------------------------------------- discovery

class Discovered(list[str]):
    """The files :func:`discover` found: given to it again, they are not looked for again."""


def discover(paths: PathArg) -> list[str]:
    """Files named, ``*.xml`` under folders (recursively, hidden ones skipped), glob matches.

    Raises :class:`InputError` for a path that does not exist or a glob that matches nothing.
    """
    if isinstance(paths, Discovered):  # e.g. the CLI's list, passed on to :func:`run`
        return paths
    return Discovered(str(p) for p in expand_paths(paths, ".xml"))  # one path alone is one path


# --------------------------------------------------------------------------- one file

def parse_file(file: str, includes: IncludePolicy = IncludePolicy()
               ) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Parse safely and expand XIncludes that ``includes`` allows; problems become diagnostics."""
    parser = _parser()
    try:
        tree = parse_source(file, parser)  # repeated xml:ids are read: the unique-id rule reports them
    except etree.XMLSyntaxError as exc:
        message, line, column = syntax_error(exc, parser.error_log)
        if "amplification" in message or ("entity" in message.lower() and "loop" in message.lower()):
            return None, [Diagnostic(file, line, column, "error", "entity-expansion",
                                     "refused: entity expansion exceeds the safety limit "
                                     "(a 'billion laughs' document?); teikit does not expand it: " + message)]
        return None, [Diagnostic(file, line, column, "error", "well-formed",
                                 f"not well-formed XML: {message}")]
    except OSError as exc:
        return None, [Diagnostic(file, None, None, "error", "io-error", f"cannot read: {exc.strerror or exc}")]
    return _expand(tree, file, includes)


def _expand(tree: etree._ElementTree, file: str, includes: IncludePolicy
            ) -> tuple[etree._ElementTree | None, list[Diagnostic]]:
    """Expand internal entities and drop external ones (reported), expand the XIncludes
    ``includes`` allows."""
    expanded, problems = expand_reporting(tree, file)
    if not expanded:
        return None, problems
    if has_includes(tree):
        refused = check_includes(tree, file, includes)
        if refused:
            return None, refused
        try:
            tree.xinclude()
        except etree.XIncludeError as exc:
            entry = exc.error_log.last_error if exc.error_log else None
            return None, [Diagnostic(file, getattr(entry, "line", None) or None, None, "error", "xinclude",
                                     f"XInclude failed: {getattr(entry, 'message', None) or exc}")]
        # the included files' internal entities (checked above), merged into this file's DTD by libxml2
        expanded, more = expand_reporting(tree, file)
        if not expanded:
            return None, more
        problems += more
    return tree, problems


_LOCAL = threading.local()


def _parser() -> etree.XMLParser:
    """The safe parser, one per thread (making one costs as much as parsing a small file)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = safe_parser()
    return parser


#: held while a file is checked against the schemas: a compiled schema is shared by the threads of a
#: process (compiled once), and lxml keeps the errors of its last check in it, so two threads checking
#: at once read each other's errors (a Dask worker with ``--nthreads`` above 1; threads calling
#: ``teikit.validate``).  Parsing and the integrity checks run outside it; so does nothing that
#: compiles or changes the schemas while it is not held
SCHEMA_CHECKS = threading.Lock()


def check_one(file: str, plan: "Plan", validators: Sequence[Validator],
              frus_validators: Sequence[Validator]) -> FileResult:
    """Everything teikit checks in one file (references to other files are left pending)."""
    result = FileResult(file)
    tree, problems = parse_file(file, plan.includes)
    result.diagnostics += problems
    if tree is None:
        return result
    is_frus = plan.profile == "frus" or (plan.profile == "auto" and frus.is_frus(tree))
    unusable: list[Diagnostic] = []  # schemas the file names that cannot be used (said so already)
    if plan.xml_model.enabled:
        named, unusable = validators_for(tree, file, plan.xml_model, plan.own_schemas)
        validators = [*validators, *named]
        result.diagnostics += unusable
    if is_frus:
        validators = [*validators, *frus_validators]
    elif plan.profile == "auto" and not validators and not unusable:
        hint = ("; it names its schemas in <?xml-model?>: --xml-model checks it against them"
                if not plan.xml_model.enabled and names_schemas(tree) else "")
        result.diagnostics.append(Diagnostic(
            file, None, None, "warning", "no-schema",
            "no schema checks this file: it is not a FRUS file, and the default profile is FRUS's; "
            "name a schema with --schema or --tei-all (or in [tool.teikit.validate])" + hint))
    with SCHEMA_CHECKS:
        for validator in validators:
            try:
                result.diagnostics += validator.check(tree, file)
            except (etree.LxmlError, ValueError, TypeError) as exc:  # a validator must not stop the run
                result.diagnostics.append(Diagnostic(file, None, None, "error", validator.name,
                                                     f"validation could not run: {exc}"))
    if plan.integrity:
        docs = frus.documents(tree) if is_frus else None
        owner = frus.owner_of(tree, docs) if is_frus else None
        result.ids, result.pending, diags = integrity.check_file(tree, file, owner)
        result.diagnostics += diags
        if is_frus:
            result.diagnostics += frus.check_file(tree, file, docs)
    return result


# --------------------------------------------------------------------------- plan

Profile = Literal["auto", "frus", "none"]
PROFILES: tuple[str, ...] = ("auto", "frus", "none")


@dataclass(frozen=True)
class Plan:
    """What to check in every file; small and picklable, so workers can rebuild it."""

    specs: tuple[tuple[str, str], ...]   # (schema path, label) for every file
    profile: Profile                     # FRUS rules: for FRUS files (auto), all files, or none
    integrity: bool
    includes: IncludePolicy
    xml_model: XmlModelPolicy = XmlModelPolicy()   # schemas each file names itself

    @functools.cached_property
    def own_schemas(self) -> frozenset[str]:
        """The run's named schemas, which a file's ``<?xml-model?>`` does not add again."""
        return own_schema_keys(self.specs)

    @property
    def frus_specs(self) -> tuple[tuple[str, str], ...]:
        return () if self.profile == "none" else ((str(bundled_schema_path()), BUNDLED_LABEL),)

    def compile(self, digests: Sequence[str | None] = ()) -> tuple[list[Validator], list[Validator]]:
        """(validators for every file, validators for FRUS files), compiled once per process;
        ``digests``: :meth:`digests`, to keep the compiled schemas by their content."""
        keys = [*digests] or [None] * (len(self.specs) + len(self.frus_specs))
        every = [load_validator(path, label=label, digest=key) for (path, label), key in zip(self.specs, keys)]
        return (every, [load_validator(path, label=label, digest=key)
                        for (path, label), key in zip(self.frus_specs, keys[len(self.specs):])])

    def digests(self) -> tuple[str | None, ...]:
        """The content digest of each schema of :attr:`specs` then :attr:`frus_specs` (None for
        one that cannot be read: compiling it says why)."""
        out: list[str | None] = []
        for path, _ in (*self.specs, *self.frus_specs):
            try:
                out.append(schema_digest(Path(path)))
            except (SchemaError, OSError):
                out.append(None)
        return tuple(out)


# --------------------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}


def _init_worker(plan: Plan) -> None:
    if _WORKER.get("plan") != plan:  # not inherited through fork (a fork server's worker): compile here
        _WORKER["validators"] = plan.compile()
        _WORKER["plan"] = plan


def _check_chunk(files: list[str]) -> list[FileResult]:
    plan: Plan = _WORKER["plan"]
    validators, frus_validators = _WORKER["validators"]
    return [check_one(f, plan, validators, frus_validators) for f in files]


def _want_parallel(files: list[str], jobs: int) -> bool:
    if jobs <= 1 or len(files) < 2:
        return False
    if len(files) >= PARALLEL_MIN_FILES:
        return True
    return sum(os.path.getsize(f) for f in files if os.path.isfile(f)) >= PARALLEL_MIN_BYTES


def _schema_specs(schemas: Iterable[str | os.PathLike[str]] | None,
                  tei_all: str | os.PathLike[str] | None) -> tuple[tuple[str, str], ...]:
    specs: list[tuple[str, str]] = []
    for schema in ([schemas] if isinstance(schemas, (str, os.PathLike)) else schemas or ()):
        specs.append((os.fspath(schema), Path(schema).name))
    if tei_all is not None:
        specs.append((str(find_tei_all(tei_all)), "tei_all"))
    return tuple(specs)


def find_tei_all(path: str | os.PathLike[str]) -> Path:
    """An official tei_all schema: the file itself, or tei_all.rng / xsd/tei_all.xsd in a folder."""
    where = Path(path)
    if where.is_dir():
        for candidate in ("tei_all.rng", "tei_all.xsd", "xsd/tei_all.xsd", "tei_all.rnc"):
            if (where / candidate).is_file():
                return where / candidate
        raise SchemaError("no tei_all.rng or tei_all.xsd in this folder", path=str(where))
    if not where.is_file():
        raise SchemaError("tei_all schema not found", path=str(where))
    return where


def run(paths: PathArg,
        schemas: Iterable[str | os.PathLike[str]] | None = None,
        *,
        integrity_checks: bool = True,
        tei_all: str | os.PathLike[str] | None = None,
        profile: Profile | None = None,
        jobs: int | None = None,
        refs: RefPolicy = "warning",
        external: ExternalIds | None = None,
        includes: IncludePolicy = IncludePolicy(),
        xml_model: XmlModelPolicy = XmlModelPolicy(),
        progress: Callable[[int], None] | None = None) -> Report:
    """See :func:`teikit.validation.validate`; ``progress(n)`` is called as n more files are done."""
    files = discover(paths)
    plan = make_plan(schemas, tei_all, profile, integrity_checks, includes, xml_model)
    validators = plan.compile()
    expecting: list[Any] = [v for group in validators for v in group if getattr(v, "prunes", False)]
    expecting += associated_prunable(files, plan)
    if expecting:  # pruned RELAX NG: compile once for the batch, before the workers fork
        names = scan_local_names(files)
        for validator in expecting:
            validator.expect(names)
    n_jobs = available_cores() if jobs is None else max(1, int(jobs))
    if _want_parallel(files, n_jobs):
        results = _run_parallel(files, plan, validators, min(n_jobs, len(files)), progress)
    else:
        results = _run_here(files, plan, validators, progress)
    return make_report(files, plan, results, refs, external)


def _run_here(files: list[str], plan: Plan, validators: tuple[list[Validator], list[Validator]],
              progress: Callable[[int], None] | None) -> Iterator[FileResult]:
    for file in files:
        yield check_one(file, plan, *validators)
        if progress:
            progress(1)


def make_plan(schemas: Iterable[str | os.PathLike[str]] | None, tei_all: str | os.PathLike[str] | None,
              profile: Profile | None, integrity_checks: bool, includes: IncludePolicy,
              xml_model: XmlModelPolicy = XmlModelPolicy()) -> Plan:
    """The :class:`Plan` of a run (the profile defaults to none with a schema, else auto)."""
    specs = _schema_specs(schemas, tei_all)
    if profile is None:
        profile = "none" if specs else "auto"
    if profile not in PROFILES:
        raise SchemaError(f"unknown profile {profile!r}: use one of {', '.join(PROFILES)}")
    if xml_model.enabled and tei_all is not None:  # a TEI release's tei_all URL means this copy
        xml_model = XmlModelPolicy(True, xml_model.schema_map, str(find_tei_all(tei_all)))
    return Plan(specs, profile, integrity_checks, includes, xml_model)


def associated_prunable(files: Sequence[str], plan: Plan) -> list[Any]:
    """The large RELAX NG grammars the files name in ``<?xml-model?>``, to be pruned once for
    the batch (before the workers fork) rather than grown file by file."""
    if not plan.xml_model.enabled:
        return []
    found: dict[str, Any] = {}
    for file in files:
        for association in prolog_associations(file):
            path, _ = resolve_href(association.href, file, plan.xml_model)
            if path is None or association.language != "rng" or path in found:
                continue
            try:
                found[path] = load_associated(path, "rng")
            except SchemaError:
                found[path] = None  # each file that names it reports why
    return [v for v in found.values() if getattr(v, "prunes", False)]


def make_report(files: list[str], plan: Plan, results: Iterable[FileResult], refs: RefPolicy,
                external: ExternalIds | None) -> Report:
    """The report of the results of every file (consumed as they come, each one let go once
    read): their diagnostics, then references across files."""
    labels = [label for _, label in plan.specs] + [f"{label} (profile {plan.profile})"
                                                   for _, label in plan.frus_specs]
    report = Report(files=files, schemas=labels)
    resolving = plan.integrity and refs != "off"
    with integrity.CorpusIds() as corpus:
        for result in results:
            report.extend(result.diagnostics)
            if resolving:
                corpus.add(result.file, result.ids, result.pending)
        if resolving:
            report.extend(corpus.resolve(refs, external))
    report.sort()
    return report


def _run_parallel(files: list[str], plan: Plan, validators: tuple[list[Validator], list[Validator]],
                  jobs: int, progress: Callable[[int], None] | None) -> Iterator[FileResult]:
    """The results of ``files`` in their order, a few chunks in flight (not every file's result
    held until the last one is done)."""
    _WORKER.update(plan=plan, validators=validators)  # what forked workers inherit, compiled once
    size = max(1, min(CHUNK_MAX, len(files) // (jobs * 4)))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    try:
        with local_pool(jobs, _init_worker, (plan,)) as pool:
            for chunk in on_pool(pool, _check_chunk, chunks, workers=jobs, progress=progress):
                yield from chunk
    finally:
        _WORKER.clear()
