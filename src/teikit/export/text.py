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
from typing import Iterable, Sequence

from ..converter.convention import Convention, get as get_convention
from ..converter.plaintext import DEFAULT_CONVENTION, recorded_convention, to_text
from ..errors import TeikitError
from ..progress import ProgressCallback
from ..query.document import Document, load
from ..cli.batchwrite import Batch
from ..files import expand_paths
from ..outputs import remove_own_temporaries, sweep_output_folders
from .inputs import Input, check_problems, map_inputs, missing_words, pool_jobs
from .writer import check_targets, commit, stage, write_all


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
    input could be rendered (or, with ``skip_invalid``, the bad ones are left out).

    Each worker writes the texts it renders to temporaries beside their targets (checked by
    reading them back), so that the file system's work is shared and overlaps the rendering;
    once every input is seen the temporaries are committed together (one flush, then renamed)
    or, when the export stops, removed.  When the targets cannot be known or checked before the
    inputs are read, the texts are rendered first and written after (:func:`_render_then_write`),
    which tells what stops the export in the same order as always.
    """
    files = expand_paths(paths)
    out = Path(output)
    was_folder = out.is_dir()
    try:
        targets = text_targets(files, out)
        check_targets(targets, force=force, inputs=[*paths, *files])
        made = _make_folders({target.parent for target in targets})
    except (TeikitError, OSError):
        return _render_then_write(paths, out, force, skip_invalid, progress, jobs)
    try:
        sweep_output_folders(targets)
        staged, skipped = _render_and_stage(targets, skip_invalid, progress, jobs)
        if len(staged) == 1 and len(files) > 1 and not was_folder:  # the one text left goes to `output` itself
            (temporary, source), = staged
            text = Path(temporary).read_text(encoding="utf-8")
            _undo(staged, made)
            write_all({out: text}, force=force, inputs=[*paths, source])
            return skipped
        commit(Batch([(temporary, os.fspath(target_of)) for temporary, target_of in _named(staged, targets)]))
    except BaseException:
        _undo([], made, {target.parent for target in targets})
        raise
    return skipped


def _render_and_stage(targets: dict[Path, Path], skip_invalid: bool, progress: ProgressCallback | None,
                      jobs: int | None) -> tuple[list[tuple[str, str]], list[TeikitError]]:
    """Render each input and stage its text for its target (in workers); the (temporary, input)
    of each input rendered and the problems of the others.  Raises what stops the export."""
    from ..batch.engine import batches, run_batches
    work = [(os.fspath(source), os.fspath(target)) for target, source in targets.items()]
    jobs = pool_jobs(len(work), jobs)
    staged: list[tuple[str, str]] = []
    problems: list[TeikitError] = []
    for chunk in run_batches(stage_texts, batches(work, None, jobs), os.getpid(), jobs=jobs, progress=progress):
        for source, temporary, problem in chunk:
            if problem is not None:
                problems.append(problem)
            else:
                staged.append((temporary, source))
    check_problems(problems, len(staged), skip_invalid=skip_invalid)
    return staged, problems


def stage_texts(items: Sequence[tuple[str, str]], owner: int) -> list[tuple[str, str, TeikitError | None]]:
    """Worker: for each (input, target), the input's text written to a temporary beside the target
    (of ``owner``'s run: the parent commits it): (input, temporary, None), or (input, "", why the
    input cannot be read).  A write that fails raises its :class:`OutputError` (the batch's
    temporaries removed)."""
    out: list[tuple[str, str, TeikitError | None]] = []
    batch = Batch()
    try:
        for source, target in items:
            try:
                text = render_file(Path(source))
            except TeikitError as exc:
                from ..workers import portable  # here: loading it (multiprocessing) costs a run without a pool
                out.append((source, "", portable(exc.located(source))))
                continue
            stage(batch, Path(target), text, owner)
            out.append((source, batch.pending[-1][0], None))
    except BaseException:
        batch.discard()
        raise
    return out


def _named(staged: list[tuple[str, str]], targets: dict[Path, Path]) -> list[tuple[str, Path]]:
    """(temporary, target) of each staged text."""
    target_of = {os.fspath(source): target for target, source in targets.items()}
    return [(temporary, target_of[source]) for temporary, source in staged]


def _make_folders(folders: Iterable[Path]) -> list[Path]:
    """Make the missing ``folders`` (and their missing parents); return those made, deepest first.
    Raises OSError, having made none, when one is in the way (a file) or cannot be made."""
    made: list[Path] = []
    try:
        for folder in folders:
            missing = [parent for parent in (folder, *folder.parents) if not parent.is_dir()]
            for parent in reversed(missing):
                parent.mkdir()  # FileExistsError where a file is in the way
                made.insert(0, parent)
    except OSError:
        _undo([], made)
        raise
    return made


def _undo(staged: list[tuple[str, str]], made: list[Path], folders: Iterable[Path] = ()) -> None:
    """Remove the temporaries staged (and, in ``folders``, any this run left), then the folders it
    made, as if nothing had been written."""
    for temporary, _ in staged:
        Path(temporary).unlink(missing_ok=True)
    for folder in folders:
        remove_own_temporaries(folder)
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            pass  # no longer empty: something else wrote there meanwhile


def _render_then_write(paths: Sequence[os.PathLike[str] | str], out: Path, force: bool, skip_invalid: bool,
                       progress: ProgressCallback | None, jobs: int | None) -> list[TeikitError]:
    """Render every input, then write their texts (the targets told by the inputs rendered)."""
    rendered, skipped = map_inputs(paths, render_file, skip_invalid=skip_invalid, progress=progress, jobs=jobs)
    text_of = dict(rendered)
    targets = text_targets(list(text_of), out)
    write_all({target: text_of[file] for target, file in targets.items()}, force=force,
              inputs=[*paths, *text_of])
    return skipped
