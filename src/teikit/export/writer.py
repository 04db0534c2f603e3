"""Writing export outputs without losing anything.

* outputs are checked against the inputs first (:class:`teikit.outputs.OutputGuard`):
  an input is never written over, and an existing output is never replaced unless
  ``force`` is given;
* every file is written atomically (:func:`teikit.xmlio.atomic_write`), an ``.xml``
  file only once it parses;
* after writing, the file is read back and its SHA-256 compared with the
  digest of the bytes meant to be written.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

from ..errors import OutputError
from ..outputs import OutputGuard, sweep_output_folders
from ..xmlio import atomic_write, check_well_formed

Data = bytes | str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_targets(paths: Iterable[os.PathLike[str] | str], *, force: bool,
                  inputs: Iterable[os.PathLike[str] | str] = ()) -> None:
    """Refuse (before anything is written) an output that is, holds or is inside an input,
    and an existing output when ``force`` is false."""
    guard = OutputGuard(inputs)
    for path in paths:
        guard.check_replace(path, force=force)


def write_verified(path: os.PathLike[str] | str, data: Data, *, force: bool = False,
                   inputs: Iterable[os.PathLike[str] | str] = ()) -> str:
    """Write ``data`` atomically to ``path``, re-read it and check its SHA-256; return the digest."""
    target = Path(path)
    check_targets([target], force=force, inputs=inputs)
    sweep_output_folders([target])
    return _write(target, data)


def write_all(outputs: dict[Path, Data], *, force: bool = False,
              inputs: Iterable[os.PathLike[str] | str] = ()) -> dict[Path, str]:
    """Write several files: all targets are checked first, so a refusal writes nothing."""
    check_targets(outputs, force=force, inputs=inputs)
    sweep_output_folders(outputs)
    return {path: _write(Path(path), data) for path, data in outputs.items()}


def _write(target: Path, data: Data) -> str:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.suffix.lower() == ".xml":
        check_well_formed(payload, name=str(target))
    expected = sha256(payload)
    try:
        atomic_write(target, payload)
        actual = sha256(target.read_bytes())
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
    if actual != expected:
        raise OutputError(f"checksum mismatch after writing (sha256 {actual} != {expected})",
                          path=str(target))
    return expected
