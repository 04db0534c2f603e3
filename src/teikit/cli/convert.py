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

PARALLEL_THRESHOLD = 16     # below this many files, worker start-up costs more than it saves
CHUNK_SIZE = 8              # files per task sent to a worker: fewer round trips, still balanced
FILE_SUFFIXES = (".xml", ".tei", ".txt")  # an -o ending so names a file, never a folder to create


@dataclass
class _Outcome:
    source: str
    data: bytes | None
    warnings: list[str]
    error: str | None
    convention: str | None = None   # the input convention used (detected or chosen)


@dataclass(frozen=True)
class _Source:
    path: str           # as found ('-' for standard input)
    relative: Path      # where its output goes under -o DIR, suffix .xml


def _convert_one(source: str, convention: str = "auto") -> _Outcome:
    from ..converter import convert_bytes, convert_file
    from ..xmlio import check_well_formed
    try:
        if source == "-":
            result = convert_bytes(sys.stdin.buffer.read(), name="<stdin>", convention=convention)
        else:
            result = convert_file(source, convention=convention)
        data = result.to_bytes()
        check_well_formed(data, name=source)
    except TeikitError as exc:
        return _Outcome(source, None, [], str(exc))
    return _Outcome(source, data, [str(w) for w in result.warnings], None, result.convention.name)


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
@click.option("-f", "--force", is_flag=True, help="Overwrite output files that differ.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for many files (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@click.option("-c", "--convention", type=click.Choice(_convention_names()), default="auto",
              show_default=True,
              help="Input convention (see docs/input.md); auto detects it per file.")
@click.option("-v", "--verbose", is_flag=True, help="Report the convention used for each file.")
@scheduler_option
def convert_command(paths: tuple[str, ...], out: str | None, force: bool, jobs: int | None,
                    strict: bool, quiet: bool, convention: str, verbose: bool, scheduler: str | None) -> None:
    """Convert plain-text documents (files, folders of .txt files, '-' for stdin) to TEI.

    A folder's sub-folders are kept under -o DIR.  Exit status: 0 all converted, 1 some
    file could not be converted (or had warnings with --strict), 2 usage error, 130
    interrupted.
    """
    from ..outputs import OutputGuard, sweep_output_folders

    sources = _inputs(paths)
    targets = _targets(sources, out)
    outputs = [t for t in targets.values() if t is not None]
    guard = OutputGuard([*paths, *(s.path for s in sources)])
    try:
        for output in ([out] if outputs else []) + outputs:
            guard.check(output)
    except TeikitError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    sweep_output_folders(outputs)
    if scheduler:
        return _on_cluster(scheduler, targets, convention=convention, force=force, strict=strict,
                           quiet=quiet, verbose=verbose)

    failed = warned = 0
    for outcome in _run([s.path for s in sources], jobs, convention):
        if verbose and outcome.convention:
            how = "detected" if convention == "auto" else "chosen"
            click.echo(f"{outcome.source}: convention {outcome.convention} ({how})", err=True)
        for warning in outcome.warnings:
            warned += 1
            if not quiet:
                click.echo(warning, err=True)
        if outcome.error or outcome.data is None:
            failed += 1
            click.echo(f"{outcome.error}", err=True)
            continue
        target = targets[outcome.source]
        if target is None:
            sys.stdout.buffer.write(outcome.data)
            sys.stdout.buffer.flush()
        elif not _write(target, outcome.data, force):
            failed += 1
    if len(sources) > 1:
        click.echo(f"converted {len(sources) - failed} of {len(sources)} files"
                   + (f", {warned} warnings" if warned else ""), err=True)
    if failed or (strict and warned):
        sys.exit(1)


def _write(target: str, data: bytes, force: bool) -> bool:
    """Write one output; an identical existing file is left as it is.  False (reported) on failure."""
    from ..xmlio import atomic_write
    if os.path.lexists(target):
        if os.path.isfile(target) and Path(target).read_bytes() == data:
            return True
        if not force:
            click.echo(f"{target}: exists and differs; use --force to overwrite", err=True)
            return False
        if os.path.islink(target) or not os.path.isfile(target):
            click.echo(f"{target}: exists and is not a file; not replaced", err=True)
            return False
    try:
        atomic_write(target, data)
    except OSError as exc:
        click.echo(f"{target}: cannot write: {exc.strerror or exc}", err=True)
        return False
    return True


def _run(sources: list[str], jobs: int | None, convention: str) -> Iterator[_Outcome]:
    convert_one = partial(_convert_one, convention=convention)
    workers = jobs or os.cpu_count() or 1
    show = len(sources) > 1 and sys.stderr.isatty()
    if workers > 1 and len(sources) >= PARALLEL_THRESHOLD and "-" not in sources:
        from ..workers import worker_pool
        with worker_pool(min(workers, len(sources))) as pool:
            yield from _progress(pool.imap(convert_one, sources, chunksize=CHUNK_SIZE),
                                 len(sources), show)
    else:
        yield from _progress(map(convert_one, sources), len(sources), show)


def _progress(results, total: int, show: bool) -> Iterator[_Outcome]:
    if not show:
        yield from results
        return
    with click.progressbar(results, length=total, label="converting", file=sys.stderr) as bar:
        yield from bar
