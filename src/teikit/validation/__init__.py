"""Validate TEI files: schemas (XSD, RELAX NG, Schematron) and integrity rules.

>>> report = teikit.validate(["tei/"])            # FRUS files: the bundled FRUS profile
>>> report.ok, len(report.diagnostics)
>>> print(render(report, "text"))

Modules: :mod:`.diagnostics` (Diagnostic, Report), :mod:`.schemas` (loading and
compiling schemas, cache), :mod:`.integrity` (generic id and reference rules),
:mod:`.frus` (the FRUS profile), :mod:`.xinclude` (what an include may read),
:mod:`.settings` (options from the config file), :mod:`.runner` (files, parallel run),
:mod:`.reporters` (output formats).
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, Mapping, get_args

from ..errors import check_choice

from .diagnostics import Diagnostic, Report
from .integrity import ExternalIds, RefPolicy
from .reporters import FORMATS, render
from .runner import PathArg, Profile, run
from .xinclude import IncludePolicy
from .xml_model import XmlModelPolicy
from .schemas import SchemaError, bundled_schema_path, load_validator


def validate(paths: PathArg,
             schemas: Iterable[str | os.PathLike[str]] | None = None,
             *,
             integrity: bool = True,
             tei_all: str | os.PathLike[str] | None = None,
             profile: Profile | None = None,
             jobs: int | None = None,
             refs: RefPolicy = "warning",
             known_ids: Iterable[str] = (),
             id_patterns: Iterable[str] = (),
             xinclude_roots: Iterable[str | os.PathLike[str]] = (),
             xml_model: bool = False,
             schema_map: Mapping[str, str | os.PathLike[str]] | None = None,
             progress: Callable[[int], None] | None = None) -> Report:
    """Validate TEI files and return a :class:`Report` (``report.ok`` is False on any error).

    ``paths``: a file, folder (``*.xml`` inside, recursively) or glob, or a list of them.
    ``schemas``: schema files (.xsd, .rng, .rnc, .sch) every file is checked against.
    ``tei_all``: also validate against an official tei_all schema (file or folder).
    ``profile``: "frus" (the bundled teikit schema and FRUS numbering rules for every
    file), "auto" (the same, for the files :func:`.frus.is_frus` recognises) or "none";
    default: "auto" when no schema is named, else "none", so a named schema means
    exactly that schema plus the generic integrity rules.
    ``integrity``: run the id and reference rules (and the profile's rules).
    ``jobs``: worker processes (default: all cores, used for larger runs only).
    ``refs``: what a ``#id`` reference that no checked file defines is: "warning" (default:
    a single document may point into documents that were not passed), "error" (use it
    when the whole corpus is checked) or "off".  ``known_ids`` (ids that exist elsewhere)
    and ``id_patterns`` (regular expressions, matched whole) declare external ids.
    ``xinclude_roots``: folders XIncludes may read besides each file's own folder tree.
    ``xml_model``: also check each file against the schemas its ``<?xml-model?>`` processing
    instructions name (:mod:`.xml_model`); ``schema_map``: local copies of schema URLs
    (teikit never reads from the network; a TEI release's tei_all URL means ``tei_all``).

    Raises :class:`teikit.InputError` for a missing path and :class:`SchemaError` for
    a schema that cannot be used; problems inside files are diagnostics, not exceptions.
    ``ValueError`` for an unknown ``refs`` or ``profile``.

    >>> report = teikit.validate(["tei/"], refs="error")       # doctest: +SKIP
    >>> report.ok, len(report.errors)                        # doctest: +SKIP
    (True, 0)
    """
    check_choice("refs", refs, get_args(RefPolicy))
    if profile is not None:
        check_choice("profile", profile, get_args(Profile))
    return run(paths, schemas, integrity_checks=integrity, tei_all=tei_all, profile=profile, jobs=jobs,
               refs=refs, external=ExternalIds(frozenset(known_ids), tuple(id_patterns)),
               includes=IncludePolicy(tuple(map(os.fsdecode, xinclude_roots))),
               xml_model=XmlModelPolicy(xml_model, tuple((url, os.fspath(path))
                                                         for url, path in (schema_map or {}).items())),
               progress=progress)


__all__ = ["validate", "Report", "Diagnostic", "render", "FORMATS", "SchemaError",
           "bundled_schema_path", "load_validator"]
