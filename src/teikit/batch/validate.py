"""Validate many TEI files on the local pool or a Dask cluster: the report of ``teikit validate``.

Workers check batches of files with the run's :class:`~teikit.validation.runner.Plan`
(compiled once per worker process) and send back each file's diagnostics, ids and
pending references; references across files are resolved here, as in a local run.
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Sequence

from ..validation.diagnostics import Report
from ..validation.integrity import ExternalIds, RefPolicy
from ..validation.runner import FileResult, Plan, Profile, check_one, discover, make_plan, make_report
from ..validation.schemas import Validator
from ..validation.xinclude import IncludePolicy
from . import storage
from .engine import Progress, batches, run_batches

_COMPILED: dict[Plan, tuple[list[Validator], list[Validator]]] = {}   # per worker process: the validators of each plan seen


def validate_batch(files: Sequence[str], plan: Plan) -> list[FileResult]:
    """Worker: check each file (schemas compiled on this worker's first batch of the plan)."""
    if plan not in _COMPILED:
        _COMPILED[plan] = plan.compile()
    validators, frus_validators = _COMPILED[plan]
    return [check_one(file, plan, validators, frus_validators) for file in files]


def validate_files(paths: Iterable[str | os.PathLike[str]], schemas: Iterable[str | os.PathLike[str]] | None = None, *,
             integrity_checks: bool = True, tei_all: str | os.PathLike[str] | None = None,
             profile: Profile | None = None, refs: RefPolicy = "warning",
             external: ExternalIds | None = None, includes: IncludePolicy = IncludePolicy(),
             client: Any = None, jobs: int | None = None, progress: Progress = None) -> Report:
    """Like :func:`teikit.validation.runner.run`, with the files checked by ``client``'s cluster
    (a ``distributed.Client``) or the local pool of ``jobs`` processes."""
    files = discover([storage.local_path(os.fspath(p)) for p in paths])
    plan = make_plan(schemas, tei_all, profile, integrity_checks, includes)
    results = (result for chunk in run_batches(validate_batch, batches(files, client, jobs), plan,
                                               client=client, jobs=jobs, progress=progress)
               for result in chunk)
    return make_report(files, plan, results, refs, external)
