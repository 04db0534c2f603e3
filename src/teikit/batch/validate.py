"""Validate many TEI files on the local pool or a Dask cluster: the report of ``teikit validate``.

Workers check batches of files with the run's :class:`~teikit.validation.runner.Plan`
and send back each file's diagnostics, ids and pending references; references across
files are resolved here, as in a local run.  A worker keeps the schemas it compiled by
their content digest (computed here, once a run): the workers of a long-lived cluster
compile a schema on their first run against it, not on later runs, and again once it
changed.  A large RELAX NG grammar (tei_all) is pruned to the element names of all the
files, scanned here once as the local run does, so each worker compiles it once (the
pruned grammar comes from the on-disk schema cache when a run has pruned it before)
instead of again each time a batch brings a new name.
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Sequence

from ..caching import BoundedCache
from ..validation.diagnostics import Report
from ..validation.integrity import ExternalIds, RefPolicy
from ..validation.relaxng import scan_local_names
from ..validation.runner import (SCHEMA_CHECKS, Discovered, FileResult, Plan, Profile, check_one, discover,
                                 make_plan, make_report)
from ..validation.schemas import RelaxNGValidator, Validator
from ..validation.xinclude import IncludePolicy
from ..validation.xml_model import XmlModelPolicy
from . import storage
from .engine import Progress, batches, is_dask, run_batches

#: schema suffixes compiled by RELAX NG, whose large grammars are pruned to the names used
_PRUNABLE_SUFFIXES = (".rng", ".rnc")
#: runs' compiled schemas a worker keeps (the oldest goes first): a worker of a cluster that
#: validates corpus after corpus (each with its names) stays small
KEEP_PLANS = 4

Compiled = tuple[list[Validator], list[Validator]]
_COMPILED: BoundedCache[tuple[Plan, tuple[str | None, ...], frozenset[str]], Compiled] = BoundedCache(KEEP_PLANS)


def validate_batch(files: Sequence[str], plan: Plan, names: frozenset[str] = frozenset(),
                   digests: tuple[str | None, ...] = ()) -> list[FileResult]:
    """Worker: check each file with the plan's schemas, compiled on this worker's first batch
    of their ``digests`` (:meth:`Plan.digests`; none: of this plan), pruned grammars for
    ``names``, the element names of every file of the run."""
    with SCHEMA_CHECKS:  # a worker's threads (Dask --nthreads above 1) share what it compiled
        compiled = _COMPILED.get((plan, digests, names), lambda: plan.compile(digests))
        for validator in (v for group in compiled for v in group) if names else ():
            if isinstance(validator, RelaxNGValidator) and validator.prunes:
                validator.expect(names, fresh=True)  # this run's names (compiled once), not earlier runs' too
    validators, frus_validators = compiled
    return [check_one(file, plan, validators, frus_validators) for file in files]


def validate_files(paths: Iterable[str | os.PathLike[str]], schemas: Iterable[str | os.PathLike[str]] | None = None, *,
             integrity_checks: bool = True, tei_all: str | os.PathLike[str] | None = None,
             profile: Profile | None = None, refs: RefPolicy = "warning",
             external: ExternalIds | None = None, includes: IncludePolicy = IncludePolicy(),
             xml_model: XmlModelPolicy = XmlModelPolicy(),
             client: Any = None, jobs: int | None = None, progress: Progress = None) -> Report:
    """Like :func:`teikit.validation.runner.run`, with the files checked by ``client``'s cluster
    (a ``distributed.Client``) or the local pool of ``jobs`` processes."""
    if not isinstance(paths, Discovered):  # the CLI's list is the files found: not looked for again
        paths = [storage.local_path(os.fspath(p)) for p in paths]
    files = discover(paths)
    plan = make_plan(schemas, tei_all, profile, integrity_checks, includes, xml_model)
    prunable = any(path.lower().endswith(_PRUNABLE_SUFFIXES) for path, _ in plan.specs)
    names = scan_local_names(files) if prunable else frozenset()
    digests = plan.digests() if is_dask(client) else ()  # the local pool's workers live one run
    results = (result for chunk in run_batches(validate_batch, batches(files, client, jobs), plan, names,
                                               digests, client=client, jobs=jobs, progress=progress)
               for result in chunk)
    return make_report(files, plan, results, refs, external)
