"""``teikit convert``: plain-text documents to TEI files."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterator

import click

from ..batch.cli import convert as _on_cluster, scheduler_option

from ..errors import TeikitError
from .common import Console, console_options, force_option, jobs_option

PARALLEL_THRESHOLD = 16     # below this many files, worker start-up costs more than it saves
CHUNK_SIZE = 8              # files per task sent to a worker: fewer round trips, still balanced
FILE_SUFFIXES = (".xml", ".tei", ".txt")  # an -o ending so names a file, never a folder to create


@dataclass
class _Outcome:
    source: str
    warnings: list[str]
    error: str | None = None
    convention: str | None = None   # the input convention used (detected or chosen)
    data: bytes | None = None       # for standard output
    temporary: str | None = None    # written beside its target, to be renamed there


@dataclass(frozen=True)
class _Source:
    path: str           # as found ('-' for standard input)
    relative: Path      # where its output goes under -o DIR, suffix .xml


@dataclass(frozen=True)
class _Task:
    source: str
    target: str | None  # None: standard output


def _convert_one(task: _Task, convention: str = "auto", force: bool = False) -> _Outcome:
    """Convert one file and (for a target) write it to a temporary beside it; runs in a worker."""
    from ..converter import convert_bytes, convert_file
    from ..xmlio import check_well_formed
    from .batchwrite import write_temporary
    source = task.source
    try:
        if source == "-":
            result = convert_bytes(sys.stdin.buffer.read(), name="<stdin>", convention=convention)
        else:
            result = convert_file(source, convention=convention)
        data = result.to_bytes()
        check_well_formed(data, name=source)
    except TeikitError as exc:
        return _Outcome(source, [], str(exc))
    outcome = _Outcome(source, [str(w) for w in result.warnings], None, result.convention.name)
    if task.target is None:
        outcome.data = data
        return outcome
    if _unchanged(task.target, data):
        return outcome
    outcome.error = _refusal(task.target, force)
    if outcome.error is None:
        try:
            outcome.temporary = write_temporary(task.target, data)
        except OSError as exc:
            outcome.error = f"{task.target}: cannot write: {exc.strerror or exc}"
    return outcome


def _unchanged(target: str, data: bytes) -> bool:
    """An existing file holding exactly ``data`` is left as it is (not even touched)."""
    try:
        return os.path.isfile(target) and Path(target).read_bytes() == data
    except OSError:
        return False


def _refusal(target: str, force: bool) -> str | None:
    """Why a differing ``target`` may not be replaced (None: it may)."""
    if not os.path.lexists(target):
        return None
    if not force:
        return f"{target}: exists and differs; use --force to overwrite"
    if os.path.islink(target) or not os.path.isfile(target):
        return f"{target}: exists and is not a file; not replaced"
    return None


def _convention_names() -> list[str]:
    from ..converter.convention import names
    return names()


def _inputs(paths: tuple[str, ...]) -> list[_Source]:
    """Input files: '-', named files, globs, and the .txt files of folders (recursively).

    A file found in a folder keeps its place below that folder, so ``in/a/x.txt`` and
    ``in/b/x.txt`` become ``OUT/a/x.xml`` and ``OUT/b/x.xml``.
    """
    from ..files import expand_paths
    sources: list[_Source] = []
    seen: set[Path] = set()
    try:
        for arg in paths:
            if arg == "-":
                sources.append(_Source("-", Path("stdin.xml")))
                continue
            folder = Path(arg) if Path(arg).is_dir() else None
            for file in expand_paths([arg], ".txt", recursive=True):
                if file.resolve() in seen:
                    continue
                seen.add(file.resolve())
                relative = file.relative_to(folder) if folder is not None else Path(file.name)
                sources.append(_Source(str(file), relative.with_suffix(".xml")))
    except TeikitError as exc:
        raise click.UsageError(str(exc)) from None
    return sources


def _targets(sources: list[_Source], out: str | None) -> dict[str, str | None]:
    """Output path of each source (None: standard output); refuse names that collide."""
    if out is None or out == "-":
        if len(sources) > 1:
            raise click.UsageError("several inputs need an output folder: -o DIR")
        return {sources[0].path: None}
    names_a_file = Path(out).suffix.lower() in FILE_SUFFIXES and not os.path.isdir(out)
    if len(sources) == 1 and names_a_file:
        return {sources[0].path: out}
    if names_a_file or os.path.isfile(out):
        raise click.UsageError(f"{out}: names a file; -o takes a folder for several inputs")
    targets: dict[str, str | None] = {}
    by_target: dict[str, list[str]] = {}
    for source in sources:
        target = os.path.join(out, source.relative)
        targets[source.path] = target
        by_target.setdefault(os.path.normcase(target), []).append(source.path)
    clashes = [f"{', '.join(names)} -> {target}" for target, names in by_target.items() if len(names) > 1]
    if clashes:
        raise click.UsageError("inputs would be written to the same output: " + "; ".join(clashes))
    return targets


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
    from ..outputs import OutputGuard, sweep_output_folders
    from .batchwrite import BatchCommitter

    sources = _inputs(paths)
    targets = _targets(sources, out)
    outputs = [t for t in targets.values() if t is not None]
    guard = OutputGuard([*paths, *(s.path for s in sources)])
    for output in ([out] if outputs else []) + outputs:
        guard.check(output)
    sweep_output_folders(outputs)
    if scheduler:
        return _on_cluster(scheduler, targets, convention=convention, force=force, strict=strict,
                           quiet=console.quiet, verbose=console.verbose)

    tasks = [_Task(s.path, targets[s.path]) for s in sources]
    failed = warned = 0
    committer = BatchCommitter()
    outcomes = _run(tasks, jobs, convention, force)
    try:
        with console.progress("converting", len(tasks)) as progress:
            for outcome in outcomes:
                progress(1)
                if outcome.convention:
                    how = "detected" if convention == "auto" else "chosen"
                    console.detail(f"{outcome.source}: convention {outcome.convention} ({how})")
                for warning in outcome.warnings:
                    warned += 1
                    console.warning(warning)
                if outcome.error:
                    failed += 1
                    console.error(outcome.error)
                elif outcome.data is not None:
                    sys.stdout.buffer.write(outcome.data)
                    sys.stdout.buffer.flush()
                elif outcome.temporary is not None:
                    committer.add(outcome.temporary, targets[outcome.source] or "")
        committer.close()
    finally:  # an error or an interruption: end the workers, then remove every temporary
        outcomes.close()
        committer.discard()
        sweep_output_folders(outputs)
    if len(sources) > 1:
        console.info(f"converted {len(sources) - failed} of {len(sources)} files"
                     + (f", {warned} warnings" if warned else ""))
    if failed or (strict and warned):
        raise click.exceptions.Exit(1)


def _run(tasks: list[_Task], jobs: int | None, convention: str, force: bool) -> Iterator[_Outcome]:
    convert_one = partial(_convert_one, convention=convention, force=force)
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD and all(t.source != "-" for t in tasks):
        from ..workers import worker_pool
        with worker_pool(min(workers, len(tasks))) as pool:
            yield from pool.imap(convert_one, tasks, chunksize=CHUNK_SIZE)
    else:
        yield from map(convert_one, tasks)
