"""``teikit export --format json`` of many files, on the local pool or a Dask cluster.

Two passes over batches of files: the first gathers each file's xml:ids (a reference
is "resolved" when its target is an id of the same FRUS volume or file, which may be
another file), the second renders each file's units as JSON text.  The output is
streamed in input order into one file, byte for byte the output of
:func:`teikit.export.json_export.render_json`; memory holds the ids, never the documents.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import OutputError, TeikitError
from ..export.inputs import Input, check_problems, tree_ids
from ..export.json_export import file_space, header, unit_json
from ..export.writer import check_targets
from ..files import expand_paths
from ..outputs import file_mode, make_temp_file, sweep_output_folders
from ..query.document import load, read_tei
from . import storage
from .engine import Progress, batches, run_batches

#: the indentation of a unit in the documents array of render_json's output (json indent=1, depth 2)
_UNIT_INDENT = "  "


def ids_batch(files: Sequence[str]) -> list[tuple[str, str, frozenset[str] | TeikitError]]:
    """Worker, first pass: (file, space, its xml:ids) or (file, "", why it cannot be read) for each file.

    The file is parsed and checked as :func:`teikit.load` does (its only refusals), without the model."""
    out: list[tuple[str, str, frozenset[str] | TeikitError]] = []
    for file in files:
        try:
            tree = read_tei(file)
        except TeikitError as exc:
            out.append((file, "", exc.located(file)))
            continue
        out.append((file, file_space(Path(file)), frozenset(tree_ids(tree.getroot()))))
    return out


def json_batch(items: Sequence[tuple[str, frozenset[str]]]) -> list[str]:
    """Worker, second pass: for each (file, the ids of its space), its units as render_json writes them."""
    pieces = []
    for file, ids in items:
        doc = Input(Path(file), load(file))
        pieces += [_indent(json.dumps(unit_json(doc, unit, ids), ensure_ascii=False, indent=1))
                   for unit in doc.units]
    return pieces


def _indent(text: str) -> str:
    return _UNIT_INDENT + text.replace("\n", "\n" + _UNIT_INDENT)


def export_json(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], *,
                force: bool = False, skip_invalid: bool = False, client: Any = None,
                jobs: int | None = None, progress: Progress = None) -> list[TeikitError]:
    """Write the JSON export of the TEI files under ``paths`` to ``output``; return the inputs skipped.

    Bad inputs stop the export before anything is written (or, with ``skip_invalid``,
    are left out and returned), as ``teikit export`` does.
    """
    names = [os.fspath(p) for p in paths]  # `paths` may be an iterator: read it once
    files = [str(f) for f in expand_paths([storage.local_path(name) for name in names])]
    target = Path(storage.local_path(os.fspath(output)))
    check_targets([target], force=force, inputs=[*names, *files])
    space_of: dict[str, str] = {}
    ids_of: dict[str, set[str]] = {}
    problems: list[TeikitError] = []
    for found in run_batches(ids_batch, batches(files, client, jobs), client=client, jobs=jobs):
        for file, space, ids in found:
            if isinstance(ids, TeikitError):
                problems.append(ids)
            else:
                space_of[file] = space
                ids_of.setdefault(space, set()).update(ids)
    check_problems(problems, len(space_of), skip_invalid=skip_invalid)
    frozen = {space: frozenset(ids) for space, ids in ids_of.items()}
    work = batches([(file, frozen[space]) for file, space in space_of.items()], client, jobs)
    pieces = (piece for chunk in run_batches(json_batch, work, client=client, jobs=jobs, progress=progress)
              for piece in chunk)
    sweep_output_folders([target])
    _write_stream(target, pieces)
    return problems


def _write_stream(target: Path, pieces: Iterable[str]) -> None:
    """Write the JSON document around ``pieces`` atomically, then check it reads back the same."""
    digest = hashlib.sha256()
    scratch = make_temp_file(target)
    try:
        with open(scratch, "wb") as handle:
            def put(text: str) -> None:
                data = text.encode("utf-8")
                digest.update(data)
                handle.write(data)
            put(json.dumps(header(), ensure_ascii=False, indent=1)[:-2] + ',\n "documents": [')
            separator = "\n"
            for piece in pieces:
                put(separator + piece)
                separator = ",\n"
            put("\n ]\n}\n" if separator == ",\n" else "]\n}\n")
            os.fchmod(handle.fileno(), file_mode())
        if _file_sha256(scratch) != digest.hexdigest():
            raise OutputError("checksum mismatch after writing", path=str(target))
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
