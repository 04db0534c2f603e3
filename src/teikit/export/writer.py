"""Writing export outputs without losing anything.

* outputs are checked against the inputs first (:class:`teikit.outputs.OutputGuard`):
  an input is never written over, and an existing output is never replaced unless
  ``force`` is given;
* every file is written atomically, an ``.xml`` file only once it parses (or, lxml's
  serialisation of a tree, once :func:`teikit.xmlio.check_tree_readable` passes it): to a
  temporary beside it, hashed (SHA-256) as it is written, read back once and its
  digest compared, and only then renamed into place; the files of one call are
  flushed to disk together (:class:`teikit.batchwrite.Batch`: one ``syncfs``,
  not an ``fsync`` per file) before any of them is renamed.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Mapping

from lxml import etree

from ..batchwrite import Batch
from ..errors import OutputError
from ..outputs import OutputGuard, sweep_output_folders
from ..xmlio import check_tree_readable, check_well_formed

#: bytes read at a time when a written file is read back to check its digest
READ_BACK_BLOCK = 1 << 20

Data = bytes | str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_targets(paths: Iterable[os.PathLike[str] | str], *, force: bool,
                  inputs: Iterable[os.PathLike[str] | str] = (),
                  folder: os.PathLike[str] | str | None = None) -> None:
    """Refuse (before anything is written) an output that is, holds or is inside an input,
    and an existing output when ``force`` is false.  ``folder``: the folder named as the
    output, when the files go into it: refused too if it is, holds or is inside an input
    (its files need not be: ``-o .`` above the inputs' folder)."""
    guard = OutputGuard(inputs)
    if folder is not None:
        guard.check(folder)
    outputs = list(paths)
    try:
        guard.check_all(outputs)  # each folder listed once, not each output resolved (a text export has hundreds)
    except OutputError:
        pass  # refused: the checks below name the first refusal in the outputs' order, as always
    else:
        outputs = [path for path in outputs if os.path.lexists(path)]  # only these may be refused now
    for path in outputs:
        guard.check_replace(path, force=force)


def write_verified(path: os.PathLike[str] | str, data: Data, *, force: bool = False,
                   inputs: Iterable[os.PathLike[str] | str] = (), tree: etree._Element | None = None) -> str:
    """Write ``data`` atomically to ``path``, re-read it and check its SHA-256; return the digest.

    ``tree``: the element ``data`` is lxml's serialisation of, checked instead of ``data``
    (an ``.xml`` file: see :func:`write_all`)."""
    return write_all({Path(path): data}, force=force, inputs=inputs,
                     trees={Path(path): tree} if tree is not None else {})[Path(path)]


def write_all(outputs: dict[Path, Data], *, force: bool = False,
              inputs: Iterable[os.PathLike[str] | str] = (),
              trees: Mapping[Path, etree._Element] = {},
              folder: os.PathLike[str] | str | None = None) -> dict[Path, str]:
    """Write several files: all targets are checked first, so a refusal writes nothing; a file
    that cannot be written or does not read back the same replaces nothing, and the folders
    made for the outputs are removed again.

    An ``.xml`` file is written only if it parses: checked by parsing it, or, for one that is
    lxml's serialisation of the element ``trees`` gives it, by :func:`~teikit.xmlio.check_tree_readable`
    (the same verdict without parsing megabytes again).  ``folder``: see :func:`check_targets`."""
    check_targets(outputs, force=force, inputs=inputs, folder=folder)
    sweep_output_folders(outputs)
    made = _missing_folders(outputs)
    batch = Batch()
    digests: dict[Path, str] = {}
    try:
        for path, data in outputs.items():
            target = Path(path)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            if target.suffix.lower() == ".xml":
                tree = trees.get(target)
                if tree is None:
                    check_well_formed(payload, name=str(target))
                else:
                    check_tree_readable(tree, name=str(target))
            digests[target] = sha256(payload)
            try:
                temporary = batch.write(os.fspath(target), payload)
                actual = file_sha256(temporary)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
            if actual != digests[target]:
                raise OutputError(f"checksum mismatch after writing (sha256 {actual} != {digests[target]})",
                                  path=str(target))
        failed = batch.commit()
    except BaseException:
        batch.discard()
        _remove_empty(made)
        raise
    if failed:
        _remove_empty(made)
        raise OutputError(next(iter(failed.values())).split(": ", 1)[1], path=next(iter(failed)))
    return digests


def _missing_folders(paths: Iterable[Path]) -> list[Path]:
    """The folders writing ``paths`` makes (they do not exist yet), deepest first."""
    missing: set[Path] = set()
    looked: set[Path] = set()
    for path in paths:
        folder = Path(path).parent
        while folder not in looked:
            looked.add(folder)
            if folder.exists():
                break
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda folder: len(folder.parts), reverse=True)


def _remove_empty(folders: list[Path]) -> None:
    """Remove what :func:`_missing_folders` listed when a write failed: nothing is left behind
    (a folder holding a file committed before the failure stays)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def file_sha256(path: os.PathLike[str] | str) -> str:
    """The SHA-256 of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(READ_BACK_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
