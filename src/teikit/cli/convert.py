"""``teikit convert``: plain-text documents to TEI files."""
from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generator, Iterable, Iterator, NamedTuple

import click

from ..batch.cli import convert as _on_cluster, scheduler_option

from ..converter import convert_bytes, convert_file  # before any fork: workers inherit them
from ..errors import InputError, TeikitError
from ..xmlio import check_well_formed
from .common import Console, console_options, force_option, jobs_option

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from ..files import RealPaths
    from ..batchwrite import Batch

PARALLEL_THRESHOLD = 16     # below this many files, worker start-up costs more than it saves
MAX_FILES_PER_BATCH = 256   # files a worker converts and writes to temporaries per task
MIN_FILES_PER_BATCH = 16    # the last batches: a disk flush costs about one small file's work
BATCHES_PER_WORKER = 2      # a batch is at most this share of what is left per worker
FILE_SUFFIXES = (".xml", ".tei", ".txt")  # an -o ending so names a file, never a folder to create

#: (source, target): one file to convert; target None: standard output
Task = tuple[str, str | None]


class _Outcome(NamedTuple):
    """What became of one source: small, as it travels back from a worker."""

    warnings: tuple[str, ...] = ()
    error: str | None = None
    convention: str | None = None   # the input convention used (detected or chosen)
    data: bytes | None = None       # for standard output


class _Source(NamedTuple):
    """One input (a tuple: thousands are made before the workers start)."""

    path: str           # as found ('-' for standard input)
    place: str          # the folder its output goes to below -o DIR ('': DIR itself), shared


def _convert_batch(tasks: list[Task], convention: str = "auto", force: bool = False
                   ) -> tuple[list[_Outcome], Batch]:
    """Convert a batch of files and write their outputs to temporaries; runs in a worker.

    Returns each file's outcome and the batch to commit (the caller flushes and
    renames it).  Every failure becomes its file's outcome; on an interruption the
    batch's temporaries are removed.
    """
    from ..batchwrite import Batch, write_output
    batch = Batch()
    outcomes: list[_Outcome] = []
    try:
        for source, target in tasks:
            outcome, data = _convert_one(source, convention)
            if data is not None:
                if target is None:
                    outcome = outcome._replace(data=data)
                else:
                    outcome = outcome._replace(error=write_output(batch, target, data, force))
            outcomes.append(outcome)
    except BaseException:
        batch.discard()
        raise
    return outcomes, batch


def _convert_one(source: str, convention: str) -> tuple[_Outcome, bytes | None]:
    """The outcome of converting ``source``, and the TEI bytes (None: it failed)."""
    try:
        if source == "-":
            result = convert_bytes(sys.stdin.buffer.read(), name="<stdin>", convention=convention)
        else:
            result = convert_file(source, convention=convention)
        data = result.to_bytes()
        check_well_formed(data, name=source)
    except TeikitError as exc:
        return _Outcome(error=str(exc)), None
    used = result.convention.name if result.convention else None
    return _Outcome(tuple(str(w) for w in result.warnings), None, used), data


def _convention_names() -> list[str]:
    from ..converter.convention import names
    return names()


class _Listed(NamedTuple):
    """The files of one argument, as listed before the workers start (names only: they inherit
    this, not the per-file work done afterwards)."""

    arg: str
    files: list[Path]                               # a named file's or a pattern's
    folders: list[tuple[str, list[str], set[str]]]  # a folder's, a folder at a time (walk_files)

    def size(self) -> int:
        """How many files (before those named twice are counted once)."""
        return 1 if self.arg == "-" else len(self.files) + sum(len(names) for _, names, _ in self.folders)


def _list(paths: tuple[str, ...], real_path: RealPaths) -> list[_Listed]:
    """What each argument names: '-', a file, the matches of a pattern, or the .txt files of a
    folder and of its sub-folders."""
    from ..files import expand_paths, walk_files
    listed: list[_Listed] = []
    try:
        for arg in paths:
            folder = Path(arg)
            if arg == "-":
                listed.append(_Listed(arg, [], []))
            elif not folder.is_dir():  # a file or a pattern: few files
                listed.append(_Listed(arg, expand_paths([arg], ".txt", recursive=True, real_path=real_path), []))
            else:
                folders = list(walk_files(folder, ".txt"))
                if not any(names for _, names, _ in folders):
                    raise InputError("no .txt files in this folder", path=arg)
                listed.append(_Listed(arg, [], folders))
    except TeikitError as exc:
        raise click.UsageError(str(exc)) from None
    return listed


def _inputs(listed: list[_Listed], real_path: RealPaths, found: Callable[[str, str], None]
            ) -> list[_Source]:
    """The input files listed, each once; ``found(path, real path)`` is told of each (the
    output guard's inputs).

    A file found in a folder keeps its place below that folder, so ``in/a/x.txt`` and
    ``in/b/x.txt`` become ``OUT/a/x.xml`` and ``OUT/b/x.xml``.
    """
    sources: list[_Source] = []
    seen: set[str] = set()

    def add(name: str, real: str, place: str) -> None:
        if real not in seen:
            seen.add(real)
            found(name, real)
            sources.append(_Source(name, place))

    for arg, files, folders in listed:
        if arg == "-":
            sources.append(_Source("-", ""))
        for file in files:
            add(str(file), real_path(file), "")
        for root, names, links in folders:
            written = str(Path(root))  # a file's path as expand_paths writes it: Path(root, name)
            start = "" if written == "." else written
            place = _place(Path(written), Path(arg))
            for base in names:
                name = os.path.join(start, base)
                add(name, real_path.listed(name, base in links), place)
    return sources


def _place(parent: Path, folder: Path) -> str:
    """Where the files of ``parent`` go below the output folder: their place below the
    input ``folder``."""
    place = str(parent.relative_to(folder))
    return "" if place == "." else place


def _tasks(sources: list[_Source], out: str | None) -> list[Task]:
    """Each source with its output path (None: standard output); refuse names that collide."""
    if out is None or out == "-":
        if len(sources) > 1:
            raise click.UsageError("several inputs need an output folder: -o DIR")
        return [(sources[0].path, None)]
    names_a_file = Path(out).suffix.lower() in FILE_SUFFIXES and not os.path.isdir(out)
    if len(sources) == 1 and names_a_file:
        return [(sources[0].path, out)]
    if names_a_file or os.path.isfile(out):
        raise click.UsageError(f"{out}: names a file; -o takes a folder for several inputs")
    tasks: list[Task] = []
    first: dict[str, int] = {}            # an output (as the system compares names) -> its first task
    clashes: dict[int, list[str]] = {}    # that task -> the sources sharing its output
    for source in sources:
        target = os.path.join(out, source.place, _output_name(source.path))
        index = first.setdefault(os.path.normcase(target), len(tasks))
        if index != len(tasks):
            clashes.setdefault(index, [tasks[index][0]]).append(source.path)
        tasks.append((source.path, target))
    if clashes:
        raise click.UsageError("inputs would be written to the same output: " + "; ".join(
            f"{', '.join(names)} -> {os.path.normcase(str(tasks[index][1]))}"
            for index, names in sorted(clashes.items())))
    return tasks


def _output_name(source: str) -> str:
    """The name of the output of ``source`` (under -o DIR)."""
    return "stdin.xml" if source == "-" else os.path.splitext(os.path.basename(source))[0] + ".xml"


@click.command("convert")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out", metavar="DIR",
              help="Output folder (or a .xml file for one input; '-' or none: standard output).")
@force_option("Overwrite output files that differ (never an input).")
@jobs_option()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1).")
@click.option("-c", "--convention", type=click.Choice(_convention_names()), default="auto",
              show_default=True,
              help="Input convention (see docs/input.md); auto detects it per file.")
@scheduler_option
@console_options
def convert_command(paths: tuple[str, ...], out: str | None, force: bool, jobs: int | None,
                    strict: bool, convention: str, scheduler: str | None, console: Console) -> None:
    """Convert plain-text documents to TEI.

    PATHS are files, folders of .txt files (sub-folders are kept under -o DIR) and
    '-' for standard input.  -v reports the convention used for each file.

    \b
    Examples:
      teikit convert seeds/frus1969.txt -o tei/frus1969.xml
      teikit convert seeds/ -o tei/ -j 4
      cat letter.txt | teikit convert - > letter.xml

    Exit status: 0 all converted, 1 some file could not be converted (or had
    warnings with --strict), 2 usage error, 130 interrupted.
    """
    from ..files import RealPaths
    from ..outputs import OutputGuard, sweep_output_folders
    from ..workers import available_cores, local_pool

    workers = jobs or available_cores()
    real_path = RealPaths()
    listed = _list(paths, real_path)
    count = sum(item.size() for item in listed)
    checked: list[Task] = []   # once the guard passed: their outputs' folders are swept at the end
    try:
        with ExitStack() as stack:
            # the workers start once the files are known (their number) and before the per-file
            # work, whose lists they would only copy; they write nothing before the checks pass
            size = _pool_size(count, workers) if scheduler is None and "-" not in paths else 0
            pool = stack.enter_context(local_pool(size)) if size > 1 else None
            guard = OutputGuard(paths, real_path=real_path)
            tasks = _tasks(_inputs(listed, real_path, guard.add_input), out)
            del listed
            outputs = list(_outputs(tasks))
            guard.check_all(([out] if out and outputs else []) + outputs)
            del guard, real_path, outputs  # what the run needs of every file: its task
            sweep_output_folders(_outputs(tasks))
            checked = tasks
            if scheduler:
                return _on_cluster(scheduler, dict(tasks), convention=convention, force=force,
                                   strict=strict, quiet=console.quiet, verbose=console.verbose)
            failed, warned = _report(tasks, _run(tasks, pool, workers, convention, force), console,
                                     convention)
    finally:  # the workers ended (killed on an error or an interruption): remove their temporaries
        sweep_output_folders(_outputs(checked))
    if len(tasks) > 1:
        console.info(f"converted {len(tasks) - failed} of {len(tasks)} files"
                     + (f", {warned} warnings" if warned else ""))
    if failed or (strict and warned):
        raise click.exceptions.Exit(1)


def _outputs(tasks: list[Task]) -> Iterator[str]:
    return (target for _, target in tasks if target is not None)


def _report(tasks: list[Task], outcomes: Generator[_Outcome, None, None], console: Console,
            convention: str) -> tuple[int, int]:
    """Report each outcome as it comes (standard output: the TEI); return (failed, warnings)."""
    failed = warned = 0
    try:
        with console.progress("converting", len(tasks)) as progress:
            for (source, _), outcome in zip(tasks, outcomes):
                progress(1)
                if outcome.convention:
                    how = "detected" if convention == "auto" else "chosen"
                    console.detail(f"{source}: convention {outcome.convention} ({how})")
                for warning in outcome.warnings:
                    warned += 1
                    console.warning(warning)
                if outcome.error:
                    failed += 1
                    console.error(outcome.error)
                elif outcome.data is not None:
                    sys.stdout.buffer.write(outcome.data)
                    sys.stdout.buffer.flush()
    finally:  # an error or an interruption: stop committing (the caller ends the workers)
        outcomes.close()
    return failed, warned


def _run(tasks: list[Task], pool: ProcessPoolExecutor | None, workers: int, convention: str, force: bool
         ) -> Generator[_Outcome, None, None]:
    """The outcome of each task, in order, once its output is committed: converted in batches,
    by the workers of ``pool`` (else here); the batches are committed here on a thread of their
    own while the next ones are converted."""
    from ..batch.engine import on_pool
    from ..batchwrite import Committer
    convert_batch = partial(_convert_batch, convention=convention, force=force)
    batches = list(_batches(tasks, workers))
    with Committer[tuple[list[Task], list[_Outcome]]]() as commits:
        converted: Iterable[tuple[list[_Outcome], Batch]] = (
            on_pool(pool, convert_batch, batches, workers=min(workers, len(batches)))
            if pool is not None else map(convert_batch, batches))
        for batch_tasks, (outcomes, written) in zip(batches, converted):
            commits.put(written, (batch_tasks, outcomes))
            yield from _committed(commits.take())
        yield from _committed(commits.take(wait=True))


def _committed(batches: list[tuple[tuple[list[Task], list[_Outcome]], dict[str, str]]]
               ) -> Iterator[_Outcome]:
    """The outcomes of committed batches, a target that could not be committed failed."""
    for (tasks, outcomes), failed in batches:
        for (_, target), outcome in zip(tasks, outcomes):
            yield outcome._replace(error=failed[target]) if target in failed else outcome


def _pool_size(count: int, workers: int) -> int:
    """Worker processes for ``count`` files: none below PARALLEL_THRESHOLD, else one a batch
    up to ``workers`` (a worker without a batch would only cost its start)."""
    if count < PARALLEL_THRESHOLD:
        return 0
    return min(workers, sum(1 for _ in _batch_sizes(count, workers)))


def _batches(tasks: list[Task], workers: int) -> Iterator[list[Task]]:
    """Tasks cut into batches, in order, large first and shrinking toward the end (guided
    scheduling): few disk flushes, yet the workers finish within a small batch of each other."""
    start = 0
    for size in _batch_sizes(len(tasks), workers):
        yield tasks[start:start + size]
        start += size


def _batch_sizes(count: int, workers: int) -> Iterator[int]:
    """The size of each batch of :func:`_batches` for ``count`` tasks."""
    left = count
    while left > 0:
        share = -(-left // (workers * BATCHES_PER_WORKER))
        size = min(left, max(MIN_FILES_PER_BATCH, min(MAX_FILES_PER_BATCH, share)))
        yield size
        left -= size
