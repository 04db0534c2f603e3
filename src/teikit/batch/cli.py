"""What ``--scheduler ADDRESS`` adds to convert, validate, index and export: one option, one dispatch each."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import partial
from typing import Any, Callable, Iterator, Mapping

import click
from click.core import ParameterSource

from ..errors import TeikitError
from . import SCHEDULER_ENV  # not from .engine: `teikit convert` without a scheduler never loads it

scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", envvar=SCHEDULER_ENV,
    help=f"Run on the Dask cluster of this scheduler (tcp://host:8786; or ${SCHEDULER_ENV}); "
         "needs teikit[dask] and the files on storage every worker reads.")


def scheduler_from_environment() -> bool:
    """Whether the scheduler of this command came from $TEIKIT_SCHEDULER, not from --scheduler
    (then the formats a cluster does not run are run here)."""
    return click.get_current_context().get_parameter_source("scheduler") is ParameterSource.ENVIRONMENT


@contextmanager
def client_of(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` of ``scheduler``, closed after the block."""
    from .engine import connect
    client = connect(scheduler)
    try:
        yield client
    finally:
        client.close()


@contextmanager
def engine(local: Callable[..., Any], distributed: Callable[..., Any], scheduler: str | None
           ) -> Iterator[Callable[..., Any]]:
    """``local`` without a scheduler, else ``distributed`` bound to a client of it (closed after)."""
    if not scheduler:
        yield local
        return
    with client_of(scheduler) as client:
        yield partial(distributed, client=client)


def convert(scheduler: str, targets: Mapping[str, str | None], *, convention: str, force: bool,
            strict: bool, quiet: bool, verbose: bool) -> None:
    """``teikit convert`` on a cluster: same messages, summary and exit status as the local run."""
    from .convert import convert_files
    files = {source: target for source, target in targets.items() if target is not None}
    if len(files) < len(targets) or "-" in targets:
        raise click.UsageError("--scheduler writes files: give -o DIR (and no '-' input)")
    from ..progress import reporter
    failed = warned = 0
    with client_of(scheduler) as client, reporter("converting", len(targets), quiet=quiet) as progress:
        for outcome in convert_files(files, convention=convention, force=force, client=client,
                                     progress=progress):
            if verbose and outcome.convention:
                how = "detected" if convention == "auto" else "chosen"
                click.echo(f"{outcome.source}: convention {outcome.convention} ({how})", err=True)
            warned += len(outcome.warnings)
            for warning in [] if quiet else outcome.warnings:
                click.echo(warning, err=True)
            if outcome.error:
                failed += 1
                click.echo(outcome.error, err=True)
    if len(targets) > 1:
        click.echo(f"converted {len(targets) - failed} of {len(targets)} files"
                   + (f", {warned} warnings" if warned else ""), err=True)
    sys.exit(1 if failed or (strict and warned) else 0)


def export(scheduler: str | None, fmt: str, paths: tuple[str, ...], output: str, *, force: bool,
           skip_invalid: bool, progress: Callable[[int], None] | None = None) -> int:
    """``teikit export --format json`` streamed on all cores, or on a cluster; the exit status."""
    from .export import export_json
    if fmt != "json":  # raised inside export's error guard: a TeikitError, printed as one line
        raise TeikitError("--scheduler exports --format json only", path="teikit export")
    with engine(export_json, export_json, scheduler) as run:
        skipped = run(paths, output, force=force, skip_invalid=skip_invalid, progress=progress)
    for problem in skipped:
        click.echo(f"{problem} (skipped)", err=True)
    return 1 if skipped else 0
