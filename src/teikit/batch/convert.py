"""Convert many plain-text files to TEI, on the local pool or a Dask cluster.

Each worker reads its sources, converts them and writes their outputs itself (through
:mod:`.storage`), so only outcomes travel back.  An output already holding the same
bytes is left as it is: a batch run again after its worker died writes nothing twice.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from ..batchwrite import Batch, write_output
from ..errors import TeikitError
from ..outputs import TEMP_PREFIX
from . import storage
from .engine import Progress, batches, run_batches


@dataclass
class Converted:
    """What became of one source."""

    source: str
    target: str
    warnings: list[str] = field(default_factory=list)
    error: str | None = None         # the file:line: message of a failure (source or output)
    convention: str | None = None    # the input convention used


def convert_batch(pairs: Sequence[tuple[str, str]], convention: str, force: bool) -> list[Converted]:
    """Worker: convert and write each (source, target); failures become outcomes, never exceptions.

    Local outputs are written as ``teikit convert`` writes them: temporaries first, one
    disk flush for the whole batch, then the renames (not one fsync per file)."""
    batch = Batch()
    staged: dict[str, Converted] = {}   # local path -> the outcome waiting for the batch's commit
    outcomes = []
    try:
        for source, target in pairs:
            outcome, data = _convert_one(source, target, convention, force)
            if data is not None:
                outcome.error, pending = _write(target, data, force, batch)
                if pending is not None:
                    staged[pending] = outcome
            outcomes.append(outcome)
        for path, message in batch.commit().items():
            staged[path].error = message
    finally:
        batch.discard()
    return outcomes


def _convert_one(source: str, target: str, convention: str, force: bool) -> tuple[Converted, bytes | None]:
    """The outcome of converting ``source``, and the bytes to write (None when it failed)."""
    from ..converter import convert_bytes
    from ..xmlio import check_well_formed
    try:
        result = convert_bytes(storage.read_bytes(source), name=source, convention=convention)
        data = result.to_bytes()
        check_well_formed(data, name=source)
    except TeikitError as exc:
        return Converted(source, target, error=str(exc)), None
    outcome = Converted(source, target, [str(w) for w in result.warnings], None,
                        result.convention.name if result.convention else None)
    return outcome, data


def _write(target: str, data: bytes, force: bool, batch: Batch) -> tuple[str | None, str | None]:
    """Write one output as ``teikit convert`` does: (the message of a refusal or failure, else
    None; the local path, whose batch's commit may still fail).  A local output goes through
    the local command's own rules (:func:`~teikit.batchwrite.write_output`)."""
    if not storage.is_remote(target):
        try:
            path = storage.local_path(target)
        except TeikitError as exc:
            return str(exc), None
        return write_output(batch, path, data, force), path
    try:
        if storage.exists(target):
            existing = storage.read_if_exists(target)
            if existing == data:
                return None, None
            if existing is None:
                return f"{target}: exists and is not a file; not replaced", None
            if not force:
                return f"{target}: exists and differs; use --force to overwrite", None
        storage.write_bytes(target, data)
        return None, None
    except OSError as exc:
        return f"{target}: cannot write: {exc.strerror or exc}", None
    except TeikitError as exc:
        return str(exc), None


def convert_files(targets: Mapping[str, str], *, convention: str = "auto", force: bool = False,
            client: Any = None, jobs: int | None = None, progress: Progress = None) -> Iterator[Converted]:
    """Convert every source of ``targets`` (source path or URL -> output path or URL), in order.

    ``client``: a ``distributed.Client``, else the local pool of ``jobs`` processes.
    """
    pairs = list(targets.items())
    for outcomes in run_batches(convert_batch, batches(pairs, client, jobs), convention, force,
                                client=client, jobs=jobs, progress=progress):
        _remove_leftovers([outcome.target for outcome in outcomes])
        yield from outcomes


def _remove_leftovers(targets: Sequence[str]) -> None:
    """Remove the temporaries a killed worker left of ``targets``: their batch ran again and wrote
    them.  One listing of each folder per batch (not a glob per file)."""
    names_in: dict[Path, set[str]] = {}
    for target in targets:
        if not storage.is_remote(target):  # object stores write whole objects: nothing is left half-written
            path = Path(storage.local_path(target))
            names_in.setdefault(path.parent, set()).add(path.name)
    for folder, names in names_in.items():
        try:
            entries = [entry.name for entry in os.scandir(folder) if entry.name.startswith(TEMP_PREFIX)]
        except OSError:
            continue  # no folder: nothing was written in it
        for entry in entries:
            if _temporary_of(entry) in names:
                (folder / entry).unlink(missing_ok=True)


def _temporary_of(name: str) -> str:
    """The target a temporary named ``.teikit-tmp.<pid>.<target>.<random>.tmp`` stands for."""
    return name[len(TEMP_PREFIX):].partition(".")[2].rsplit(".", 2)[0]
