"""``teikit convert``: plain-text documents to TEI files."""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterator

import click

from ..errors import TeikitError
from ..xmlio import atomic_write

PARALLEL_THRESHOLD = 16     # below this many files, worker start-up costs more than it saves


@dataclass
class _Outcome:
    source: str
    data: bytes | None
    warnings: list[str]
    error: str | None
    convention: str | None = None


def _convert_one(source: str, convention: str = "auto") -> _Outcome:
    from ..converter import convert_bytes, convert_file
    try:
        if source == "-":
            result = convert_bytes(sys.stdin.buffer.read(), name="<stdin>", convention=convention)
        else:
            result = convert_file(source, convention=convention)
    except TeikitError as exc:
        return _Outcome(source, None, [], str(exc))
    return _Outcome(source, result.to_bytes(), [str(w) for w in result.warnings], None,
                    result.convention.name)


def _convention_names() -> list[str]:
    from ..converter.convention import names
    return names()


def _inputs(paths: tuple[str, ...]) -> list[str]:
    """Input files: '-', named files, globs, and the .txt files of folders (recursively)."""
    from ..files import expand_paths
    named = [p for p in paths if p != "-"]
    try:
        files = [str(p) for p in expand_paths(named, ".txt", recursive=True)] if named else []
    except TeikitError as exc:
        raise click.UsageError(str(exc)) from None
    return (["-"] if "-" in paths else []) + files


def _target(source: str, out: str | None, single: bool) -> str | None:
    """Output path for ``source`` (None: standard output)."""
    if out is None or out == "-":
        return None
    if single and out.endswith(".xml"):
        return out
    stem = "stdin" if source == "-" else Path(source).stem
    return os.path.join(out, stem + ".xml")


@click.command("convert")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "out", metavar="DIR",
              help="Output folder (or a .xml file for one input; '-' or none: standard output).")
@click.option("-f", "--force", is_flag=True, help="Overwrite output files that differ.")
@click.option("-j", "--jobs", type=int, default=0, metavar="N",
              help="Worker processes for many files (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit status 1).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print warnings.")
@click.option("-c", "--convention", type=click.Choice(_convention_names()), default="auto",
              show_default=True,
              help="Input convention (see docs/input.md); auto detects it per file.")
@click.option("-v", "--verbose", is_flag=True, help="Report the convention used for each file.")
def convert_command(paths: tuple[str, ...], out: str | None, force: bool, jobs: int,
                    strict: bool, quiet: bool, convention: str, verbose: bool) -> None:
    """Convert plain-text documents (files, folders of .txt files, '-' for stdin) to TEI.

    Exit status: 0 all converted, 1 some file could not be converted (or had
    warnings with --strict), 2 usage error.
    """
    sources = _inputs(paths)
    single = len(sources) == 1
    if out in (None, "-") and not single:
        raise click.UsageError("several inputs need an output folder: -o DIR")
    if out not in (None, "-") and not (single and out.endswith(".xml")) and os.path.isfile(out):
        raise click.UsageError(f"{out}: is a file; -o takes a folder for several inputs")

    failed = warned = 0
    for outcome in _run(sources, jobs, convention):
        if verbose and outcome.convention:
            how = "detected" if convention == "auto" else "chosen"
            click.echo(f"{outcome.source}: convention {outcome.convention} ({how})", err=True)
        for warning in outcome.warnings:
            warned += 1
            if not quiet:
                click.echo(warning, err=True)
        if outcome.error:
            failed += 1
            click.echo(f"{outcome.error}", err=True)
            continue
        target = _target(outcome.source, out, single)
        if target is None:
            sys.stdout.buffer.write(outcome.data)
            sys.stdout.buffer.flush()
            continue
        if os.path.exists(target) and not force:
            if Path(target).read_bytes() == outcome.data:
                continue
            failed += 1
            click.echo(f"{target}: exists and differs; use --force to overwrite", err=True)
            continue
        try:
            atomic_write(target, outcome.data)
        except OSError as exc:
            failed += 1
            click.echo(f"{target}: cannot write: {exc.strerror or exc}", err=True)
    if len(sources) > 1:
        click.echo(f"converted {len(sources) - failed} of {len(sources)} files"
                   + (f", {warned} warnings" if warned else ""), err=True)
    if failed or (strict and warned):
        sys.exit(1)


def _run(sources: list[str], jobs: int, convention: str) -> Iterator[_Outcome]:
    workers = jobs or os.cpu_count() or 1
    show = len(sources) > 1 and sys.stderr.isatty()
    convert_one = partial(_convert_one, convention=convention)
    if workers > 1 and len(sources) >= PARALLEL_THRESHOLD and "-" not in sources:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(convert_one, sources, chunksize=8)
            yield from _progress(results, len(sources), show)
    else:
        yield from _progress(map(convert_one, sources), len(sources), show)


def _progress(results, total: int, show: bool) -> Iterator[_Outcome]:
    if not show:
        yield from results
        return
    with click.progressbar(results, length=total, label="converting", file=sys.stderr) as bar:
        yield from bar
