"""Validate TEI files: schemas (XSD, RELAX NG, Schematron) and integrity rules.

>>> report = teikit.validate(["tei/"])                    # bundled teikit profile
>>> report.ok, len(report.diagnostics)
>>> print(render(report, "text"))

Modules: :mod:`.diagnostics` (Diagnostic, Report), :mod:`.schemas` (loading and
compiling schemas, cache), :mod:`.integrity` (id, reference, note and page rules),
:mod:`.runner` (files, parallel run, XInclude), :mod:`.reporters` (output formats).
"""
from __future__ import annotations

import os
from typing import Callable, Iterable

from .diagnostics import Diagnostic, Report
from .integrity import RefPolicy
from .reporters import FORMATS, render
from .runner import PathArg, run
from .schemas import SchemaError, bundled_schema_path, load_validator


def validate(paths: PathArg,
             schemas: Iterable[str | os.PathLike] | None = None,
             *,
             integrity: bool = True,
             tei_all: str | os.PathLike | None = None,
             jobs: int | None = None,
             refs: RefPolicy = "warning",
             progress: Callable[[int], None] | None = None) -> Report:
    """Validate TEI files and return a :class:`Report` (``report.ok`` is False on any error).

    ``paths``: a file, folder (``*.xml`` inside, recursively) or glob, or a list of them.
    ``schemas``: schema files (.xsd, .rng, .rnc, .sch); None means the bundled teikit
    profile, ``[]`` no schema.  ``integrity``: run the id/reference/note/page rules.
    ``tei_all``: also validate against an official tei_all schema (file or folder).
    ``jobs``: worker processes (default: all cores, used for larger runs only).
    ``refs``: what a ``#id`` reference that no checked file defines is: "warning" (default:
    a single document may point into documents that were not passed), "error" (use it
    when the whole corpus is checked) or "off".

    Raises :class:`teikit.InputError` for a missing path and :class:`SchemaError` for
    a schema that cannot be used; problems inside files are diagnostics, not exceptions.
    """
    return run(paths, schemas, integrity_checks=integrity, tei_all=tei_all, jobs=jobs,
               refs=refs, progress=progress)


__all__ = ["validate", "Report", "Diagnostic", "render", "FORMATS", "SchemaError",
           "bundled_schema_path", "load_validator"]
