"""``teikit export --format json`` of many files, on the local pool or a Dask cluster.

Two passes over batches of files: the first gathers each file's xml:ids and the ids its
``#`` references name (a reference is "resolved" when its target is an id of the same
FRUS volume or file, which may be another file), the second renders each file's units
as JSON text, given only the ids its references name that resolve (not the volume's).
A file alone in its id space (any file outside a FRUS volume, or the one file of its
volume) needs no other file's ids: it skips the first pass, and its own ids, read when
it is rendered, resolve its references; a bad one is found then (nothing is installed
unless every input could be read, or ``skip_invalid`` leaves it out).
The output is streamed in input order into one file, byte for byte the output of
:func:`teikit.export.json_export.render_json`.  Memory holds neither the documents nor
their ids: what the first pass finds is kept in a temporary SQLite database on disk
(:class:`_FoundIds`), and the second pass's batches are made from it as they are handed
out; what grows with the number of files is only their list of paths.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Collection
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from lxml import etree

from ..batchwrite import Batch
from ..errors import OutputError, TeikitError
from ..export.inputs import Input, check_problems, tree_ids
from ..export.json_export import file_space, header, unit_json
from ..export.json_indent import dumps
from ..export.writer import check_targets, file_sha256
from ..files import expand_paths
from ..outputs import file_mode, make_temp_file, sweep_output_folders
from ..query.document import load, read_tei
from . import storage
from ..workers import portable
from .engine import Progress, batch_size, batches, run_batches

#: the depth of a unit in render_json's output (in the documents array), and its indentation (indent=1)
_UNIT_LEVEL = 2
_UNIT_INDENT = " " * _UNIT_LEVEL


#: what the first pass tells of one file: (file, space, its xml:ids or why it cannot be read, the ids it names)
Found = tuple[str, str, frozenset[str] | TeikitError, frozenset[str]]


def ids_batch(files: Sequence[str]) -> list[Found]:
    """Worker, first pass: for each file (file, space, its xml:ids, the ids its ``#`` targets name),
    or (file, "", why it cannot be read, nothing).  The file is parsed and checked as
    :func:`~teikit.query.document.load` does, without building its document model (pages, notes):
    this pass needs the tree alone."""
    out: list[Found] = []
    for file in files:
        path = Path(file)
        try:
            root = read_tei(path).getroot()
        except TeikitError as exc:
            out.append((file, "", portable(exc.located(file)), frozenset()))
            continue
        out.append((file, file_space(path), frozenset(tree_ids(root)), _internal_targets(root)))
    return out


def _internal_targets(root: etree._Element) -> frozenset[str]:
    """What every ``@target="#..."`` of the file names (a superset of what its references resolve)."""
    return frozenset(target[1:] for target in root.xpath("//@target") if target.startswith("#"))


def json_batch(items: Sequence[tuple[str, frozenset[str] | None]]) -> list[list[str] | TeikitError]:
    """Worker, second pass: for each (file, the ids its references name that exist in its space,
    or None for a file alone in its space: its own ids), its units as render_json writes them,
    or why the file cannot be read."""
    out: list[list[str] | TeikitError] = []
    for file, ids in items:
        try:
            doc = Input(Path(file), load(file))
        except TeikitError as exc:
            out.append(portable(exc.located(file)))
            continue
        known = tree_ids(doc.root) if ids is None else ids
        out.append([_UNIT_INDENT + dumps(unit_json(doc, unit, known), _UNIT_LEVEL) for unit in doc.units])
    return out


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
    alone = _alone_in_space(files)
    found_ids = _FoundIds()
    try:
        shared = [file for file, single in zip(files, alone) if not single]
        problems: list[TeikitError] = []
        added = 0  # the inputs before this one are in found_ids (or problems): input order is kept
        for chunk in run_batches(ids_batch, batches(shared, client, jobs), client=client, jobs=jobs):
            for file, space, ids, targets in chunk:
                while files[added] != file:  # alone in its space: its own ids resolve its references
                    found_ids.add(files[added])
                    added += 1
                added += 1
                if isinstance(ids, TeikitError):
                    problems.append(ids)
                else:
                    found_ids.add(file, space, ids, targets)
        for file in files[added:]:
            found_ids.add(file)
        if problems and not skip_invalid:  # stop before rendering, naming every bad input
            singles = [file for file, single in zip(files, alone) if single]
            problems += [found[2] for chunk in run_batches(ids_batch, batches(singles, client, jobs),
                                                            client=client, jobs=jobs)
                         for found in chunk if isinstance(found[2], TeikitError)]
            check_problems(_in_order(problems, files), 0, skip_invalid=False)
        work = _SecondPass(found_ids, batch_size(len(found_ids.files), client, jobs))
        rendered = (entry for chunk in run_batches(json_batch, work, client=client, jobs=jobs, progress=progress)
                    for entry in chunk)
        sweep_output_folders([target])
        _write_stream(target, _checked(rendered, problems, files, skip_invalid))
    finally:
        found_ids.close()
    return _in_order(problems, files)


def _alone_in_space(files: Sequence[str]) -> bytearray:
    """For each file, 1 when no other file shares its id space (its space is told by its name)."""
    spaces: dict[str, int] = {}
    for file in files:
        space = file_space(Path(file))
        spaces[space] = spaces.get(space, 0) + 1
    return bytearray(spaces[file_space(Path(file))] == 1 for file in files)


def _checked(rendered: Iterable[list[str] | TeikitError], problems: list[TeikitError], files: Sequence[str],
             skip_invalid: bool) -> Iterator[str]:
    """The pieces of the second pass, file by file; a file that could not be read joins
    ``problems``, and once every file is seen what stops the export is raised (before the
    output is installed)."""
    readable = 0
    for entry in rendered:
        if isinstance(entry, TeikitError):
            problems.append(entry)
            continue
        readable += 1
        yield from entry
    check_problems(_in_order(problems, files), readable, skip_invalid=skip_invalid)


def _in_order(problems: list[TeikitError], files: Sequence[str]) -> list[TeikitError]:
    """``problems`` in the order of their files among the inputs (the two passes find them apart)."""
    if len(problems) < 2:
        return list(problems)
    order = {file: index for index, file in enumerate(files)}
    return sorted(problems, key=lambda problem: order.get(problem.path or "", len(order)))


class _FoundIds:
    """What the first pass found, on disk: each space's xml:ids and the ids each file's ``#``
    targets name, in a private temporary SQLite database (deleted when closed), so memory does
    not grow with them; :meth:`resolved` answers the second pass's question for one file."""

    def __init__(self) -> None:
        self.files: list[str] = []  # the files of the second pass, in input order
        self._alone = bytearray()  # for each, 1 when it is alone in its id space
        self._db = sqlite3.connect("")  # "": a temporary database, spilled to disk beyond a small cache
        self._db.executescript(
            "CREATE TABLE ids (space TEXT, id TEXT, PRIMARY KEY (space, id)) WITHOUT ROWID;"
            "CREATE TABLE named (file INTEGER, id TEXT, PRIMARY KEY (file, id)) WITHOUT ROWID;")

    def add(self, file: str, space: str | None = None, ids: Iterable[str] = (), targets: Iterable[str] = ()) -> None:
        """A file of the second pass: with its space, ids and named targets, or (no space) a file
        alone in its space, whose own ids resolve its references."""
        number = len(self.files)
        self.files.append(file)
        self._alone.append(space is None)
        if space is not None:
            self._db.executemany("INSERT OR IGNORE INTO ids VALUES (?, ?)", ((space, i) for i in ids))
            self._db.executemany("INSERT INTO named VALUES (?, ?)", ((number, t) for t in targets))

    def resolved(self, number: int) -> frozenset[str] | None:
        """The ids the ``number``-th file's targets name that exist in its space (None: the
        file is alone in its space)."""
        if self._alone[number]:
            return None
        space = file_space(Path(self.files[number]))
        return frozenset(row[0] for row in self._db.execute(
            "SELECT named.id FROM named JOIN ids ON ids.space = ? AND ids.id = named.id "
            "WHERE named.file = ?", (space, number)))

    def close(self) -> None:
        self._db.close()


class _SecondPass(Collection[list[tuple[str, frozenset[str] | None]]]):
    """The second pass's batches of (file, the ids its references resolve to), each made only
    when it is handed out."""

    def __init__(self, found: _FoundIds, size: int):
        self._found = found
        self._size = size

    def __len__(self) -> int:
        return -(-len(self._found.files) // self._size)

    def __iter__(self) -> Iterator[list[tuple[str, frozenset[str] | None]]]:
        files = self._found.files
        for start in range(0, len(files), self._size):
            yield [(files[n], self._found.resolved(n)) for n in range(start, min(start + self._size, len(files)))]

    def __contains__(self, item: object) -> bool:
        return any(item == batch for batch in self)


def _write_stream(target: Path, pieces: Iterable[str]) -> None:
    """Write the JSON document around ``pieces`` to a temporary, check it reads back the same,
    then commit it durably (flushed, renamed, its folder flushed)."""
    digest = hashlib.sha256()
    scratch = make_temp_file(target)
    try:
        try:
            with open(scratch, "wb") as handle:
                def put(text: str) -> None:
                    data = text.encode("utf-8")
                    digest.update(data)
                    handle.write(data)
                put(dumps(header())[:-2] + ',\n "documents": [')
                separator = "\n"
                for piece in pieces:
                    put(separator + piece)
                    separator = ",\n"
                put("\n ]\n}\n" if separator == ",\n" else "]\n}\n")
                os.fchmod(handle.fileno(), file_mode())
        except OSError as exc:  # a full disk: name the output (the error names no file)
            raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
        if file_sha256(scratch) != digest.hexdigest():
            raise OutputError("checksum mismatch after writing", path=str(target))
        failed = Batch([(str(scratch), str(target))]).commit()  # on disk before its name points to it
        if failed:
            raise OutputError(failed[str(target)].split(": ", 1)[1], path=str(target))
    finally:
        scratch.unlink(missing_ok=True)
