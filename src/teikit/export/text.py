"""TEI -> plain text: the format the converter reads, with nothing left out.

Each document is rendered by :func:`teikit.converter.plaintext.to_text`, the
inverse of ``teikit convert``: for teikit's own output the text equals the
converter's input (lossless round trip); the Office of the Historian's files
come out in the same seed format.  That format has no place for every TEI
construction, so a unit whose rendering would lose words (text outside
documents, a ``teiCorpus``, forme work ...) is written as the text
:func:`teikit.load` reads from it instead (one line per paragraph, its notes
as ``N. text`` lines after it).  Units are separated by a blank line.  A file
converted from a whole-book convention (Project Gutenberg: chapters, no document
divs) is written back whole by that convention.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from ..converter.convention import Convention, get as get_convention
from ..converter.plaintext import DEFAULT_CONVENTION, recorded_convention, to_text
from ..errors import TeikitError
from ..progress import ProgressCallback
from ..query.document import Document, load
from .inputs import Input, map_inputs, missing_words
from .writer import write_all


def render_unit(unit: Document, convention: Convention | None = None) -> str:
    """The seed-format text of ``unit`` when it keeps every word, else the loaded text.

    ``convention``: the one recorded in the unit's file (:func:`recorded_convention`), when
    the caller has read it (else it is read again, a search of the whole file per unit).
    """
    loaded = unit.text(notes=True)
    if unit.is_document:
        seed = to_text(unit.element, convention)
        if not missing_words(loaded, seed):
            return seed
    return loaded


def render_text(doc: Input) -> str:
    """Plain text of one input file (its units separated by a blank line)."""
    book = recorded_convention(doc.root)
    if book is not None and book.write_document is not None:
        return to_text(doc.root, book)
    convention = book or get_convention(DEFAULT_CONVENTION)  # what to_text finds for each unit
    return "\n\n".join(text for text in (render_unit(unit, convention) for unit in doc.units) if text)


def render_file(path: Path) -> str:
    """Worker: the plain text of the file at ``path`` (read with :func:`teikit.load`)."""
    return render_text(Input(path, load(path)))


def text_targets(files: Sequence[Path], output: Path) -> dict[Path, Path]:
    """Where the text of each input goes: ``output`` itself for one input (unless it is a
    folder), else ``output/<stem>.txt``; two inputs with one target are refused."""
    if len(files) == 1 and not output.is_dir():
        return {output: files[0]}
    targets: dict[Path, Path] = {}
    for file in files:
        target = output / f"{file.stem}.txt"
        if target in targets:
            raise TeikitError(f"two inputs would both be written to {target}", path=str(file))
        targets[target] = file
    return targets


def export_text(paths: Sequence[os.PathLike[str] | str], output: os.PathLike[str] | str, *,
                force: bool = False, skip_invalid: bool = False, progress: ProgressCallback | None = None,
                jobs: int | None = None) -> list[TeikitError]:
    """Write the plain text of each file under ``paths`` (see :func:`text_targets`); return the
    inputs skipped.  Files are read and rendered on all cores; nothing is written unless every
    input could be rendered (or, with ``skip_invalid``, the bad ones are left out)."""
    rendered, skipped = map_inputs(paths, render_file, skip_invalid=skip_invalid, progress=progress, jobs=jobs)
    text_of = dict(rendered)
    targets = text_targets(list(text_of), Path(output))
    into_folder = list(targets) != [Path(output)]  # the files go into the folder ``output``
    write_all({target: text_of[file] for target, file in targets.items()}, force=force,
              inputs=[*paths, *text_of], folder=output if into_folder else None)
    return skipped
