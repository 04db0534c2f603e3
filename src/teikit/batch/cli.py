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


#: what ``import distributed`` loads when it is installed and a command's client never uses:
#: numpy gives Dask buffers for large arrays (a command's tasks send small pickles); it is a
#: fifth of the import's CPU, which the client spends before its first task is submitted
CLIENT_SKIPS = ("numpy",)


def import_client_library() -> None:
    """``import distributed`` as a command's client needs it: without :data:`CLIENT_SKIPS`
    (distributed imports them when it can, and goes without them when it cannot).  They stay
    importable afterwards.  A process that has imported distributed already is left as it is."""
    if "distributed" in sys.modules:
        return
    skipped = [name for name in CLIENT_SKIPS if name not in sys.modules]
    for name in skipped:
        sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import distributed  # noqa: F401
    except ImportError:
        pass  # connect() says how to install it
    finally:
        for name in skipped:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


@contextmanager
def client_of(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` of ``scheduler``, closed after the block."""
    from .engine import connect
    import_client_library()
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
